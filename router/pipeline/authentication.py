"""The stage that verifies a request's bearer token before anything else (RFC 6750, RFC 8725)."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from router.auth import Authenticator, InvalidToken
from router.pipeline.request import RequestError, SupergraphRequest
from router.pipeline.stages import BaseStage

__all__ = ["UNAUTHENTICATED", "AuthenticationStage"]

logger = logging.getLogger("router.auth")

UNAUTHENTICATED = "UNAUTHENTICATED"


class AuthenticationStage(BaseStage):
    """No ``Authorization`` header: anonymous. A valid bearer token: its claims go to
    ``request.claims``. Anything else: HTTP 401 ``UNAUTHENTICATED``, before parsing, so no
    subgraph is called. The header itself still travels to the subgraphs (``propagate_headers``).

    ``claim_headers`` (header name -> claim name) sends verified claims to the subgraphs as
    headers; whatever the client sent under those names is dropped first.
    """

    def __init__(
        self, authenticator: Authenticator, claim_headers: Mapping[str, str] | None = None
    ) -> None:
        self.authenticator = authenticator
        self.claim_headers = {k.lower(): v for k, v in (claim_headers or {}).items()}

    async def on_request(self, request: SupergraphRequest) -> None:
        authorization = request.context.get("authorization")
        try:
            request.claims = await self.authenticator.authenticate(authorization)
        except InvalidToken as error:
            logger.info("refused request %s: %s", request.context.get("request_id"), error.message)
            raise RequestError(error.message, UNAUTHENTICATED, status=401) from None
        if self.claim_headers:
            headers = dict(request.headers)
            for header, claim in self.claim_headers.items():
                headers.pop(header, None)
                value = request.claims.raw.get(claim) if request.claims is not None else None
                if isinstance(value, str | int | float) and not isinstance(value, bool):
                    headers[header] = str(value)
            request.headers = headers
