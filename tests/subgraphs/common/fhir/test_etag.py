"""ETags of the shared FHIR helpers: weak versions out, If-Match / If-None-Match in."""

from __future__ import annotations

import pytest
from fhir.resources.R4B.basic import Basic

from subgraphs.common.fhir.etag import if_match_version, matches, resource_headers
from subgraphs.common.fhir.outcome import FhirError

_RESOURCE = Basic.model_validate(
    {
        "resourceType": "Basic",
        "id": "b1",
        "meta": {"versionId": "3", "lastUpdated": "2026-12-07T09:00:00+00:00"},
        "code": {"text": "synthetic"},
    }
)


def test_headers_name_the_version() -> None:
    headers = resource_headers(_RESOURCE, "http://x/fhir/R4")
    assert headers["etag"] == 'W/"3"'
    assert headers["content-location"] == "http://x/fhir/R4/Basic/b1/_history/3"
    assert headers["last-modified"] == "Mon, 07 Dec 2026 09:00:00 GMT"


def test_conditional_headers() -> None:
    assert matches('W/"3"', _RESOURCE)
    assert not matches('W/"2"', _RESOURCE)
    assert not matches(None, _RESOURCE)
    assert if_match_version('W/"7"') == 7
    assert if_match_version(None) is None
    with pytest.raises(FhirError):
        if_match_version("W/abc")
