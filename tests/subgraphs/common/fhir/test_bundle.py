"""Paging and search parameters of the shared FHIR Bundle helpers."""

from __future__ import annotations

import pytest
from starlette.datastructures import QueryParams

from subgraphs.common.fhir.bundle import page_size, refuse_unknown, search_links, search_params
from subgraphs.common.fhir.outcome import FhirError, UnsupportedParameter


def test_count_is_clamped_and_must_be_a_number() -> None:
    assert page_size(None, default=20, maximum=100) == 20
    assert page_size("0", default=20, maximum=100) == 1
    assert page_size("500", default=20, maximum=100) == 100
    with pytest.raises(FhirError):
        page_size("many", default=20, maximum=100)


def test_search_parameters_are_refused_rather_than_ignored() -> None:
    query = QueryParams("patient=Patient/1&patient=Patient/2&_count=5")
    assert search_params(query) == {"patient": ["Patient/1", "Patient/2"]}
    for bad in ("patient:missing=true", "_sort=date"):
        with pytest.raises(UnsupportedParameter):
            search_params(QueryParams(bad))
    with pytest.raises(UnsupportedParameter):
        refuse_unknown({"status": ["issued"]}, {"patient": "reference"}, "Invoice")


def test_next_link_keeps_the_query_and_replaces_the_cursor() -> None:
    query = QueryParams("patient=P&_count=1&_cursor=old")
    links = search_links(query, base="http://x/fhir/R4", kind="Invoice", next_cursor="new")
    assert links["next"] == "http://x/fhir/R4/Invoice?patient=P&_count=1&_cursor=new"
    assert "next" not in search_links(query, base="b", kind="Invoice", next_cursor=None)
