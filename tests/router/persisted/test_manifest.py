"""Apollo's persisted query list: loading and safelist matching."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from router.persisted import ManifestError, load_manifest


def _write(path: Path, document: object) -> Path:
    path.write_bytes(orjson.dumps(document))
    return path


def test_operations_by_id_and_body(tmp_path: Path) -> None:
    manifest = load_manifest(
        _write(
            tmp_path / "pql.json",
            {
                "format": "apollo-persisted-query-manifest",
                "version": 1,
                "operations": [
                    {
                        "id": "abc",
                        "name": "P",
                        "type": "query",
                        "body": "query P { patients { id } }",
                    }
                ],
            },
        )
    )
    assert manifest.bodies_by_id == {"abc": "query P { patients { id } }"}
    assert manifest.allows("query P { patients { id } }")
    assert manifest.allows("query P {\n  patients {\n    id # the key\n  }\n}\n")
    assert not manifest.allows("query P { patients { id name } }")
    assert not manifest.allows("query P { patients { id ")  # not even a document


@pytest.mark.parametrize(
    "document",
    [
        [],
        {"format": "something-else", "version": 1, "operations": []},
        {"format": "apollo-persisted-query-manifest", "version": 2, "operations": []},
        {"format": "apollo-persisted-query-manifest", "version": 1, "operations": [{"id": 1}]},
    ],
)
def test_bad_manifests_are_refused(tmp_path: Path, document: object) -> None:
    with pytest.raises(ManifestError):
        load_manifest(_write(tmp_path / "pql.json", document))


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ManifestError):
        load_manifest(tmp_path / "absent.json")
