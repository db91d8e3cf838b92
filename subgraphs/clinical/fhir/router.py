"""The FHIR R4 RESTful API (hl7.org/fhir/R4/http.html) at ``/fhir/R4``: thin routes over :mod:`.service`.

Each request is authenticated by the shared JWT verifier (as ``/graphql``), checked against the
SMART scopes of :mod:`.smart`, and served by :mod:`.service`; every error is an OperationOutcome.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.resource import Resource

from subgraphs.clinical.fhir import service
from subgraphs.clinical.fhir.capability import capability_statement
from subgraphs.clinical.fhir.outcome import (
    FhirError,
    NotAllowed,
    NotSupported,
    UnsupportedMediaType,
    UnsupportedParameter,
    fhir_response,
    outcome_response,
)
from subgraphs.clinical.fhir.smart import Mode, require_smart
from subgraphs.clinical.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from subgraphs.common.app import REQUEST_ID_HEADER, caller_of
from subgraphs.common.context import RequestContext
from subgraphs.common.state import ServiceState

__all__ = ["FHIR_PREFIX", "fhir_router"]

FHIR_PREFIX = "/fhir/R4"

_JSON_TYPES = {
    "application/fhir+json",
    "application/json",
    "application/json-patch+json",
    "application/merge-patch+json",
}


async def _context(request: Request) -> RequestContext:
    state: ServiceState = request.app.state.service
    caller = await caller_of(state, request.headers.get("authorization"))
    request_id = request.headers.get(REQUEST_ID_HEADER) or str(uuid.uuid4())
    return RequestContext(caller=caller, database=state.database, request_id=request_id)


def _base(request: Request) -> str:
    return f"{str(request.base_url).rstrip('/')}{FHIR_PREFIX}"


def _headers(resource: Resource, base: str) -> dict[str, str]:
    headers: dict[str, str] = {}
    meta = resource.meta
    if meta is not None and meta.versionId is not None:
        headers["etag"] = f'W/"{meta.versionId}"'
        headers["content-location"] = (
            f"{base}/{resource.get_resource_type()}/{resource.id}/_history/{meta.versionId}"
        )
    if meta is not None and meta.lastUpdated is not None:
        headers["last-modified"] = format_datetime(meta.lastUpdated, usegmt=True)
    return headers


def _version_of(resource: Resource) -> str | None:
    return resource.meta.versionId if resource.meta is not None else None


def _version(if_match: str | None) -> int | None:
    """The version an ``If-Match: W/"<n>"`` header names."""
    if if_match is None:
        return None
    text = if_match.strip().removeprefix("W/").strip('"')
    try:
        return int(text)
    except ValueError:
        raise FhirError('If-Match must be an ETag such as W/"3".') from None


async def _body(request: Request) -> Any:
    media = request.headers.get("content-type", "application/fhir+json").split(";")[0].strip()
    if media not in _JSON_TYPES:
        raise UnsupportedMediaType(f"Send application/fhir+json, not {media}.")
    try:
        return json.loads(await request.body())
    except ValueError:
        raise FhirError("The body is not valid JSON.") from None


def _type(resource_type: str) -> str:
    if resource_type not in service.READABLE:
        raise NotSupported(f"This server does not serve {resource_type} resources.")
    return resource_type


def _count(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_PAGE_SIZE
    try:
        count = int(raw)
    except ValueError:
        raise FhirError("_count must be a number.") from None
    return max(1, min(count, MAX_PAGE_SIZE))


def _bundle(kind: str, resources: list[Resource], base: str, links: dict[str, str]) -> Bundle:
    return Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "type": kind,
            "total": len(resources) if kind == "history" else None,
            "link": [{"relation": rel, "url": url} for rel, url in links.items()],
            "entry": [
                {
                    "fullUrl": f"{base}/{r.get_resource_type()}/{r.id}",
                    "resource": r,
                    **({"search": {"mode": "match"}} if kind == "searchset" else {}),
                }
                for r in resources
            ],
        }
    )


_Act = Callable[[RequestContext, str], Awaitable[Response]]


async def _interaction(request: Request, resource_type: str, mode: Mode, act: _Act) -> Response:
    """Authenticate, check the SMART scope of ``mode`` on the type, then ``act(context, type)``;
    any failure becomes an OperationOutcome."""
    try:
        kind = _type(resource_type)
        context = await _context(request)
        require_smart(context.caller, kind, mode)
        return await act(context, kind)
    except Exception as error:  # noqa: BLE001 (every failure becomes an OperationOutcome)
        return outcome_response(error)


def _one(request: Request, resource: Resource, *, created: bool = False) -> Response:
    """One resource, with its ETag, Last-Modified and Content-Location (Location when created)."""
    headers = _headers(resource, _base(request))
    if created:
        headers["location"] = headers["content-location"]
    return fhir_response(resource, status_code=201 if created else 200, headers=headers)


async def _search(request: Request, context: RequestContext, kind: str) -> Response:
    query = request.query_params
    params: dict[str, list[str]] = {}
    for name, value in query.multi_items():
        if ":" in name:
            raise UnsupportedParameter(f"Search modifiers are not supported ({name}).")
        if not name.startswith("_"):
            params.setdefault(name, []).append(value)
        elif name not in {"_count", "_cursor", "_format"}:
            raise UnsupportedParameter(f"Unsupported search parameter {name}.")
    count = _count(query.get("_count"))
    page = await service.search(context, kind, params, count=count, cursor=query.get("_cursor"))
    base = _base(request)
    plain = [(k, v) for k, v in query.multi_items() if k != "_cursor"]
    links = {"self": f"{base}/{kind}?{urlencode(list(query.multi_items()))}"}
    if page.next_cursor:
        links["next"] = f"{base}/{kind}?{urlencode([*plain, ('_cursor', page.next_cursor)])}"
    return fhir_response(_bundle("searchset", page.resources, base, links))


def fhir_router() -> APIRouter:
    """The ``/fhir/R4`` routes; the app's service state provides the verifier and database."""
    router = APIRouter(prefix=FHIR_PREFIX, tags=["FHIR R4"])
    read, write = Mode.READ, Mode.WRITE

    @router.get("/metadata")
    async def metadata(request: Request) -> Response:
        return fhir_response(capability_statement(_base(request)))

    @router.get("/{resource_type}")
    async def search(request: Request, resource_type: str) -> Response:
        return await _interaction(request, resource_type, read, lambda c, k: _search(request, c, k))

    @router.get("/{resource_type}/{resource_id}")
    async def read_one(request: Request, resource_type: str, resource_id: str) -> Response:
        async def act(context: RequestContext, kind: str) -> Response:
            resource = await service.read(context, kind, resource_id)
            answer = _one(request, resource)
            seen = request.headers.get("if-none-match")
            if seen is not None and seen.removeprefix("W/").strip('"') == _version_of(resource):
                return Response(status_code=304, headers={"etag": answer.headers["etag"]})
            return answer

        return await _interaction(request, resource_type, read, act)

    @router.get("/{resource_type}/{resource_id}/_history")
    async def history(request: Request, resource_type: str, resource_id: str) -> Response:
        async def act(context: RequestContext, kind: str) -> Response:
            versions = await service.history(context, kind, resource_id)
            base = _base(request)
            links = {"self": f"{base}/{kind}/{resource_id}/_history"}
            return fhir_response(_bundle("history", versions, base, links))

        return await _interaction(request, resource_type, read, act)

    @router.get("/{resource_type}/{resource_id}/_history/{version}")
    async def vread(
        request: Request, resource_type: str, resource_id: str, version: str
    ) -> Response:
        async def act(context: RequestContext, kind: str) -> Response:
            return _one(request, await service.vread(context, kind, resource_id, version))

        return await _interaction(request, resource_type, read, act)

    @router.post("/{resource_type}")
    async def create(request: Request, resource_type: str) -> Response:
        async def act(context: RequestContext, kind: str) -> Response:
            resource = await service.create(context, kind, await _body(request))
            return _one(request, resource, created=True)

        return await _interaction(request, resource_type, write, act)

    def changing(
        operation: Callable[..., Awaitable[Resource]],
    ) -> Callable[..., Awaitable[Response]]:
        """An update-like route: ``operation(context, type, id, body, expected=<If-Match>)``."""

        async def route(request: Request, resource_type: str, resource_id: str) -> Response:
            async def act(context: RequestContext, kind: str) -> Response:
                expected = _version(request.headers.get("if-match"))
                body = await _body(request)
                resource = await operation(context, kind, resource_id, body, expected=expected)
                return _one(request, resource)

            return await _interaction(request, resource_type, write, act)

        return route

    router.put("/{resource_type}/{resource_id}")(changing(service.update))
    router.patch("/{resource_type}/{resource_id}")(changing(service.patch))

    @router.api_route("/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    async def unsupported(request: Request, path: str) -> Response:
        kind = path.split("/", maxsplit=1)[0]
        if kind in service.READABLE and request.method != "GET":
            error: FhirError = NotAllowed(f"{request.method} is not supported on {kind} here.")
        else:
            error = NotSupported(f"This server has no {request.method} /{path}.")
        return outcome_response(error)

    return router
