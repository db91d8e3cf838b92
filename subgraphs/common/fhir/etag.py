"""Version headers of a FHIR resource: ETag, Last-Modified, Content-Location (FHIR R4 http.html#versioning)."""

from __future__ import annotations

from email.utils import format_datetime

from fhir.resources.R4B.resource import Resource

from subgraphs.common.fhir.outcome import FhirError

__all__ = ["if_match_version", "matches", "resource_headers", "version_of"]


def version_of(resource: Resource) -> str | None:
    """``meta.versionId`` of ``resource``, if it has one."""
    return resource.meta.versionId if resource.meta is not None else None


def resource_headers(resource: Resource, base: str) -> dict[str, str]:
    """ETag and Content-Location of the resource's version, Last-Modified of its ``meta``."""
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


def matches(if_none_match: str | None, resource: Resource) -> bool:
    """Does an ``If-None-Match`` header name the resource's current version?"""
    if if_none_match is None:
        return False
    return if_none_match.removeprefix("W/").strip('"') == version_of(resource)


def if_match_version(if_match: str | None) -> int | None:
    """The version an ``If-Match: W/"<n>"`` header names."""
    if if_match is None:
        return None
    text = if_match.strip().removeprefix("W/").strip('"')
    try:
        return int(text)
    except ValueError:
        raise FhirError('If-Match must be an ETag such as W/"3".') from None
