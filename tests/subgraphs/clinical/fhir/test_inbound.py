"""JSON Patch (RFC 6902) and JSON Merge Patch (RFC 7386) as the FHIR patch interaction applies them."""

from __future__ import annotations

import pytest

from subgraphs.clinical.fhir.inbound import PatchTestFailed, apply_patch, merge_patch
from subgraphs.common.fhir.outcome import FhirError

DOCUMENT = {"resourceType": "Patient", "id": "p", "name": [{"family": "Ng", "given": ["Al"]}]}


def test_json_patch_operations() -> None:
    patched = apply_patch(
        DOCUMENT,
        [
            {"op": "test", "path": "/name/0/family", "value": "Ng"},
            {"op": "add", "path": "/name/0/given/-", "value": "Bo"},
            {"op": "replace", "path": "/name/0/family", "value": "Ngo"},
            {"op": "copy", "from": "/name/0", "path": "/name/-"},
            {"op": "move", "from": "/name/1/family", "path": "/gender"},
            {"op": "remove", "path": "/name/1"},
        ],
    )
    assert patched == {
        "resourceType": "Patient",
        "id": "p",
        "name": [{"family": "Ngo", "given": ["Al", "Bo"]}],
        "gender": "Ngo",
    }
    assert DOCUMENT["name"] == [{"family": "Ng", "given": ["Al"]}]  # the original is untouched


@pytest.mark.parametrize(
    "operations",
    [
        {"op": "add"},
        [{"op": "remove", "path": "/missing"}],
        [{"op": "jump", "path": "/id"}],
        [{"op": "add", "path": "no-slash", "value": 1}],
    ],
)
def test_malformed_patches_are_refused(operations: object) -> None:
    with pytest.raises(FhirError) as refused:
        apply_patch(DOCUMENT, operations)
    assert refused.value.status == 400


def test_a_failed_test_operation_is_unprocessable() -> None:
    with pytest.raises(PatchTestFailed) as failed:
        apply_patch(DOCUMENT, [{"op": "test", "path": "/id", "value": "q"}])
    assert failed.value.status == 422


def test_merge_patch() -> None:
    merged = merge_patch(
        {"a": {"b": 1, "c": 2}, "d": 3}, {"a": {"b": None, "e": 4}, "d": None, "f": [1]}
    )
    assert merged == {"a": {"c": 2, "e": 4}, "f": [1]}
