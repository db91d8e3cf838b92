"""Operation-name labels stay bounded."""

from __future__ import annotations

from router.telemetry.prometheus import OTHER, BoundedLabel


def test_names_past_the_limit_collapse_to_other() -> None:
    label = BoundedLabel(limit=2)
    assert label("GetPatient") == "GetPatient"
    assert label("Book") == "Book"
    assert label("Third") == OTHER
    assert label("GetPatient") == "GetPatient"  # known names keep their series


def test_anything_but_a_graphql_name_is_other() -> None:
    label = BoundedLabel()
    assert label(None) == "anonymous"
    assert label("") == "anonymous"
    assert label("query { patient }") == OTHER
    assert label("x" * 101) == OTHER
    assert label(42) == OTHER
    assert label("Ünïcode") == OTHER
