"""Search and history results as a Bundle, paged by ``_count`` and ``Bundle.link`` (FHIR R4 http.html#paging)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.resource import Resource
from starlette.datastructures import QueryParams

from subgraphs.common.fhir.outcome import FhirError, UnsupportedParameter

__all__ = [
    "CONTROL_PARAMETERS",
    "SearchPage",
    "bundle",
    "page_size",
    "refuse_unknown",
    "search_links",
    "search_params",
]

# The result parameters a search accepts besides its type's own search parameters.
CONTROL_PARAMETERS = frozenset({"_count", "_cursor", "_format"})


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of search matches and the cursor of the next page (None on the last)."""

    resources: list[Resource]
    next_cursor: str | None = None


def refuse_unknown(
    params: Mapping[str, list[str]], searchable: Mapping[str, str], resource_type: str
) -> None:
    """Refuse (400) search parameters ``resource_type`` does not offer, rather than ignore them."""
    unknown = sorted(set(params) - set(searchable))
    if unknown:
        raise UnsupportedParameter(
            f"Unsupported search parameter(s) for {resource_type}: {', '.join(unknown)}."
        )


def page_size(raw: str | None, *, default: int, maximum: int) -> int:
    """``_count`` clamped to 1..``maximum`` (``default`` when absent)."""
    if raw is None:
        return default
    try:
        count = int(raw)
    except ValueError:
        raise FhirError("_count must be a number.") from None
    return max(1, min(count, maximum))


def search_params(query: QueryParams) -> dict[str, list[str]]:
    """The search parameters of ``query`` by name; modifiers and unknown ``_`` parameters are
    refused rather than ignored."""
    params: dict[str, list[str]] = {}
    for name, value in query.multi_items():
        if ":" in name:
            raise UnsupportedParameter(f"Search modifiers are not supported ({name}).")
        if not name.startswith("_"):
            params.setdefault(name, []).append(value)
        elif name not in CONTROL_PARAMETERS:
            raise UnsupportedParameter(f"Unsupported search parameter {name}.")
    return params


def search_links(
    query: QueryParams, *, base: str, kind: str, next_cursor: str | None
) -> dict[str, str]:
    """``self`` (the query as asked) and, when more matched, ``next`` (the same with the cursor)."""
    plain = [(k, v) for k, v in query.multi_items() if k != "_cursor"]
    links = {"self": f"{base}/{kind}?{urlencode(list(query.multi_items()))}"}
    if next_cursor:
        links["next"] = f"{base}/{kind}?{urlencode([*plain, ('_cursor', next_cursor)])}"
    return links


def bundle(kind: str, resources: Sequence[Resource], base: str, links: dict[str, str]) -> Bundle:
    """A ``searchset`` or ``history`` Bundle of ``resources`` with ``links``."""
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
