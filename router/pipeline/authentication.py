"""The stage that verifies a request's bearer token before anything else (RFC 6750, RFC 8725)."""

from __future__ import annotations

import logging

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
    """

    def __init__(self, authenticator: Authenticator) -> None:
        self.authenticator = authenticator

    async def on_request(self, request: SupergraphRequest) -> None:
        authorization = request.context.get("authorization")
        try:
            request.claims = await self.authenticator.authenticate(authorization)
        except InvalidToken as error:
            logger.info("refused request %s: %s", request.context.get("request_id"), error.message)
            raise RequestError(error.message, UNAUTHENTICATED, status=401) from None
