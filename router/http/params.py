"""A client's GraphQL request parameters as a pipeline request (GraphQL over HTTP, section 6.1 "Request Parameters")."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from router.http.forwarded import ForwardedHeaders
from router.pipeline import RequestError, SupergraphRequest
from router.ratelimit.limiter import CLIENT_ADDRESS
from router.settings import RouterSettings

__all__ = ["supergraph_request"]


def supergraph_request(
    params: Mapping[str, Any],
    *,
    headers: Mapping[str, str],
    peer: str | None,
    scheme: str,
    method: str,
    settings: RouterSettings,
    forwarded: ForwardedHeaders,
    authorization: str | None = None,
) -> SupergraphRequest:
    """Check the parameters (query, operationName, variables, extensions) and pick the headers
    that travel to the subgraphs; ``authorization`` replaces the client's header (sockets)."""
    query = params.get("query")
    if not isinstance(query, str) or not query.strip():
        raise RequestError("Must provide query string.", "BAD_REQUEST")
    operation_name = params.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise RequestError("'operationName' must be a string.", "BAD_REQUEST")
    variables = params.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise RequestError("'variables' must be an object.", "BAD_REQUEST")
    extensions = params.get("extensions")
    sent: dict[str, str] = {}
    for name in settings.propagate_headers:
        value = headers.get(name)
        if value is not None:
            sent[name] = value
    if authorization is not None:
        sent["authorization"] = authorization
    request_id = headers.get(settings.request_id_header) or uuid.uuid4().hex
    sent[settings.request_id_header] = request_id
    sent.update(forwarded.headers(peer, scheme, headers))
    return SupergraphRequest(
        query=query,
        operation_name=operation_name or None,
        variables=variables or {},
        extensions=extensions if isinstance(extensions, dict) else {},
        headers=sent,
        method=method,
        context={
            "request_id": request_id,
            CLIENT_ADDRESS: forwarded.client_address(peer, headers),
            # the bearer token the authentication stage verifies (a socket's connection_init one)
            "authorization": authorization
            if authorization is not None
            else headers.get("authorization"),
            "expose_query_plan": settings.expose_query_plan
            and headers.get("x-expose-query-plan") == "true",
        },
    )
