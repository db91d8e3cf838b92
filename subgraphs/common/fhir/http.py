"""The FastAPI side of a subgraph's FHIR R4 API (FHIR R4 http.html): caller, scope check, errors.

Each request is authenticated by the shared JWT verifier (as ``/graphql``), checked against the
SMART scopes of :mod:`subgraphs.common.fhir.smart`, and every failure becomes an OperationOutcome.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Collection, Sequence

from fastapi import APIRouter, Request
from fastapi.responses import Response
from fhir.resources.R4B.resource import Resource

from subgraphs.common.app import REQUEST_ID_HEADER, caller_of
from subgraphs.common.context import RequestContext
from subgraphs.common.fhir.bundle import bundle, search_links
from subgraphs.common.fhir.etag import matches, resource_headers
from subgraphs.common.fhir.outcome import (
    FhirError,
    NotAllowed,
    NotSupported,
    fhir_response,
    outcome_response,
)
from subgraphs.common.fhir.smart import Mode, require_smart
from subgraphs.common.state import ServiceState

__all__ = [
    "FHIR_PREFIX",
    "Act",
    "add_fallback",
    "base_url",
    "fhir_context",
    "interaction",
    "one",
    "read_response",
    "searchset",
]

FHIR_PREFIX = "/fhir/R4"

Act = Callable[[RequestContext, str], Awaitable[Response]]


async def fhir_context(request: Request) -> RequestContext:
    """The request's caller (from its bearer token), database and request id."""
    state: ServiceState = request.app.state.service
    caller = await caller_of(state, request.headers.get("authorization"))
    request_id = request.headers.get(REQUEST_ID_HEADER) or str(uuid.uuid4())
    return RequestContext(caller=caller, database=state.database, request_id=request_id)


def base_url(request: Request) -> str:
    """The FHIR base URL of this server, as the client reached it."""
    return f"{str(request.base_url).rstrip('/')}{FHIR_PREFIX}"


def _require_served(resource_type: str, served: Collection[str]) -> None:
    if resource_type not in served:
        raise NotSupported(f"This server does not serve {resource_type} resources.")


async def interaction(
    request: Request, resource_type: str, mode: Mode, act: Act, *, served: Collection[str]
) -> Response:
    """Authenticate, check the SMART scope of ``mode`` on the type (one of ``served``), then
    ``act(context, type)``; any failure becomes an OperationOutcome."""
    try:
        _require_served(resource_type, served)
        context = await fhir_context(request)
        require_smart(context.caller, resource_type, mode)
        return await act(context, resource_type)
    except Exception as error:  # noqa: BLE001 (every failure becomes an OperationOutcome)
        return outcome_response(error)


def one(request: Request, resource: Resource, *, created: bool = False) -> Response:
    """One resource, with its ETag, Last-Modified and Content-Location (Location when created)."""
    headers = resource_headers(resource, base_url(request))
    if created:
        headers["location"] = headers["content-location"]
    return fhir_response(resource, status_code=201 if created else 200, headers=headers)


def read_response(request: Request, resource: Resource) -> Response:
    """:func:`one`, or 304 Not Modified when ``If-None-Match`` names its current version."""
    answer = one(request, resource)
    if matches(request.headers.get("if-none-match"), resource):
        return Response(status_code=304, headers={"etag": answer.headers["etag"]})
    return answer


def searchset(
    request: Request, kind: str, resources: Sequence[Resource], next_cursor: str | None
) -> Response:
    """A page of search matches as a ``searchset`` Bundle linking ``self`` and ``next``."""
    base = base_url(request)
    links = search_links(request.query_params, base=base, kind=kind, next_cursor=next_cursor)
    return fhir_response(bundle("searchset", resources, base, links))


def add_fallback(router: APIRouter, *, served: Collection[str]) -> None:
    """Answer every other path and method with an OperationOutcome (404, or 405 on a served type);
    add it last, after the router's own routes."""

    @router.api_route("/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    async def unsupported(request: Request, path: str) -> Response:
        kind = path.split("/", maxsplit=1)[0]
        if kind in served and request.method != "GET":
            error: FhirError = NotAllowed(f"{request.method} is not supported on {kind} here.")
        else:
            error = NotSupported(f"This server has no {request.method} /{path}.")
        return outcome_response(error)
