"""The FHIR R4 RESTful API (hl7.org/fhir/R4/http.html) at ``/fhir/R4``: thin routes over :mod:`.service`.

Each request is authenticated by the shared JWT verifier (as ``/graphql``), checked against the
SMART scopes of :mod:`subgraphs.common.fhir.smart`, and served by :mod:`.service`; every error is an OperationOutcome.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from fhir.resources.R4B.resource import Resource

from subgraphs.clinical.fhir import service
from subgraphs.clinical.fhir.capability import capability_statement
from subgraphs.clinical.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from subgraphs.common.context import RequestContext
from subgraphs.common.fhir.bundle import bundle, page_size, search_params
from subgraphs.common.fhir.etag import if_match_version
from subgraphs.common.fhir.http import (
    FHIR_PREFIX,
    Act,
    add_fallback,
    base_url,
    interaction,
    one,
    read_response,
    searchset,
)
from subgraphs.common.fhir.outcome import FhirError, UnsupportedMediaType, fhir_response
from subgraphs.common.fhir.smart import Mode

__all__ = ["FHIR_PREFIX", "fhir_router"]

_JSON_TYPES = {
    "application/fhir+json",
    "application/json",
    "application/json-patch+json",
    "application/merge-patch+json",
}


async def _body(request: Request) -> Any:
    media = request.headers.get("content-type", "application/fhir+json").split(";")[0].strip()
    if media not in _JSON_TYPES:
        raise UnsupportedMediaType(f"Send application/fhir+json, not {media}.")
    try:
        return json.loads(await request.body())
    except ValueError:
        raise FhirError("The body is not valid JSON.") from None


async def _interaction(request: Request, resource_type: str, mode: Mode, act: Act) -> Response:
    return await interaction(request, resource_type, mode, act, served=service.READABLE)


async def _search(request: Request, context: RequestContext, kind: str) -> Response:
    query = request.query_params
    params = search_params(query)
    count = page_size(query.get("_count"), default=DEFAULT_PAGE_SIZE, maximum=MAX_PAGE_SIZE)
    page = await service.search(context, kind, params, count=count, cursor=query.get("_cursor"))
    return searchset(request, kind, page.resources, page.next_cursor)


def fhir_router() -> APIRouter:
    """The ``/fhir/R4`` routes; the app's service state provides the verifier and database."""
    router = APIRouter(prefix=FHIR_PREFIX, tags=["FHIR R4"])
    read, write = Mode.READ, Mode.WRITE

    @router.get("/metadata")
    async def metadata(request: Request) -> Response:
        return fhir_response(capability_statement(base_url(request)))

    @router.get("/{resource_type}")
    async def search(request: Request, resource_type: str) -> Response:
        return await _interaction(request, resource_type, read, lambda c, k: _search(request, c, k))

    @router.get("/{resource_type}/{resource_id}")
    async def read_one(request: Request, resource_type: str, resource_id: str) -> Response:
        async def act(context: RequestContext, kind: str) -> Response:
            return read_response(request, await service.read(context, kind, resource_id))

        return await _interaction(request, resource_type, read, act)

    @router.get("/{resource_type}/{resource_id}/_history")
    async def history(request: Request, resource_type: str, resource_id: str) -> Response:
        async def act(context: RequestContext, kind: str) -> Response:
            versions = await service.history(context, kind, resource_id)
            base = base_url(request)
            links = {"self": f"{base}/{kind}/{resource_id}/_history"}
            return fhir_response(bundle("history", versions, base, links))

        return await _interaction(request, resource_type, read, act)

    @router.get("/{resource_type}/{resource_id}/_history/{version}")
    async def vread(
        request: Request, resource_type: str, resource_id: str, version: str
    ) -> Response:
        async def act(context: RequestContext, kind: str) -> Response:
            return one(request, await service.vread(context, kind, resource_id, version))

        return await _interaction(request, resource_type, read, act)

    @router.post("/{resource_type}")
    async def create(request: Request, resource_type: str) -> Response:
        async def act(context: RequestContext, kind: str) -> Response:
            resource = await service.create(context, kind, await _body(request))
            return one(request, resource, created=True)

        return await _interaction(request, resource_type, write, act)

    def changing(
        operation: Callable[..., Awaitable[Resource]],
    ) -> Callable[..., Awaitable[Response]]:
        """An update-like route: ``operation(context, type, id, body, expected=<If-Match>)``."""

        async def route(request: Request, resource_type: str, resource_id: str) -> Response:
            async def act(context: RequestContext, kind: str) -> Response:
                expected = if_match_version(request.headers.get("if-match"))
                body = await _body(request)
                resource = await operation(context, kind, resource_id, body, expected=expected)
                return one(request, resource)

            return await _interaction(request, resource_type, write, act)

        return route

    router.put("/{resource_type}/{resource_id}")(changing(service.update))
    router.patch("/{resource_type}/{resource_id}")(changing(service.patch))

    add_fallback(router, served=service.READABLE)
    return router
