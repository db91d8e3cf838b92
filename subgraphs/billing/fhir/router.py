"""Billing's FHIR R4 RESTful API (hl7.org/fhir/R4/http.html) at ``/fhir/R4``: Invoice, Claim, Coverage.

Read and search only, over :mod:`.service`; the request handling (JWT, SMART scopes, OperationOutcome
errors, Bundle paging, ETags) is the shared one of :mod:`subgraphs.common.fhir`.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from subgraphs.billing.fhir import service
from subgraphs.billing.fhir.capability import capability_statement
from subgraphs.common.context import RequestContext
from subgraphs.common.fhir.bundle import page_size, search_params
from subgraphs.common.fhir.http import (
    FHIR_PREFIX,
    add_fallback,
    base_url,
    interaction,
    read_response,
    searchset,
)
from subgraphs.common.fhir.outcome import fhir_response
from subgraphs.common.fhir.smart import Mode

__all__ = ["FHIR_PREFIX", "fhir_router"]

_DEFAULT_COUNT = 20


def fhir_router() -> APIRouter:
    """The billing ``/fhir/R4`` routes; the app's service state provides the verifier and database."""
    router = APIRouter(prefix=FHIR_PREFIX, tags=["FHIR R4"])

    @router.get("/metadata")
    async def metadata(request: Request) -> Response:
        return fhir_response(capability_statement(base_url(request)))

    @router.get("/{resource_type}")
    async def search(request: Request, resource_type: str) -> Response:
        async def act(context: RequestContext, kind: str) -> Response:
            query = request.query_params
            params = search_params(query)
            count = page_size(
                query.get("_count"), default=_DEFAULT_COUNT, maximum=service.MAX_COUNT
            )
            page = await service.search(
                context, kind, params, count=count, cursor=query.get("_cursor")
            )
            return searchset(request, kind, page.resources, page.next_cursor)

        return await interaction(request, resource_type, Mode.READ, act, served=service.READABLE)

    @router.get("/{resource_type}/{resource_id}")
    async def read_one(request: Request, resource_type: str, resource_id: str) -> Response:
        async def act(context: RequestContext, kind: str) -> Response:
            return read_response(request, await service.read(context, kind, resource_id))

        return await interaction(request, resource_type, Mode.READ, act, served=service.READABLE)

    add_fallback(router, served=service.READABLE)
    return router
