"""join__Graph naming of subgraphs."""

from __future__ import annotations

from router.composition.merge import graph_enum_name


def test_graph_enum_names_are_sanitised_like_apollo() -> None:
    assert graph_enum_name("clinical-records") == "CLINICAL_RECORDS"
    assert graph_enum_name("2fa") == "_2FA"
    assert graph_enum_name("shard_1") == "SHARD_1_"
