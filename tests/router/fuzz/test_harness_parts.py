"""The fuzz harness's own parts, without Node: generator, deterministic subgraphs, comparison."""

from __future__ import annotations

from typing import Any

from graphql import parse, validate

from router.supergraph import parse_supergraph
from tests.router.fuzz.compare import Difference, KnownDifference, compare
from tests.router.fuzz.generate import OperationGenerator
from tests.router.fuzz.harness import supergraphs
from tests.router.fuzz.subgraph import DeterministicSubgraphs
from tests.router.loopback import sample_sdl


def test_generated_operations_are_valid_and_reproducible() -> None:
    schema = parse_supergraph(sample_sdl()).api_schema
    first = OperationGenerator(schema, 7).operations(40)
    assert len(first) == 40
    assert [o.query for o in first] == [
        o.query for o in OperationGenerator(schema, 7).operations(40)
    ]
    for operation in first:
        assert not validate(schema, parse(operation.query)), operation.query


def test_every_fuzzed_supergraph_parses() -> None:
    found = supergraphs()
    assert {"healthgraph", "samples", "fixture-catalog"} <= set(found)
    for sdl in found.values():
        assert parse_supergraph(sdl).api_schema.query_type is not None


def test_entities_agree_across_subgraphs_and_subgraphs_refuse_what_graphql_js_does() -> None:
    subgraphs = DeterministicSubgraphs(parse_supergraph(sample_sdl()))
    root = subgraphs.execute("patients", "{ patients { __typename id name } }", {})
    patients = root["data"]["patients"]
    assert (
        patients
        == subgraphs.execute("patients", "{ patients { __typename id name } }", {})["data"][
            "patients"
        ]
    )
    representations = [{"__typename": "Patient", "id": p["id"]} for p in patients]
    query = "query($r:[_Any!]!){_entities(representations:$r){...on Patient{balance}}}"
    first = subgraphs.execute(
        "billing", query.replace("$r", "$representations"), {"representations": representations}
    )
    again = subgraphs.execute(
        "billing", query.replace("$r", "$representations"), {"representations": representations}
    )
    assert first == again
    assert all(isinstance(e["balance"], int) for e in first["data"]["_entities"])
    for bad in (
        "{ patients { } }",  # empty selection set
        "{ openInvoices { number } }",  # not a field of this subgraph
        "query($x: Boolean!) { patients { id } }",  # unused variable
    ):
        answer = subgraphs.execute("patients", bad, {"x": True})
        assert answer.get("data") is None, bad
        assert answer["errors"], bad


def _difference(ours: Any, reference: Any) -> Difference:
    difference = compare("g", {"query": "{ a }", "variables": {}}, ours, reference)
    assert difference is not None
    return difference


def test_known_difference_shapes_are_tight() -> None:
    emptied = KnownDifference("*", "*", "reference-nulls-empty-selection", "")
    nulled = {"data": None, "extensions": {"valueCompletion": [{"path": ["a"]}]}}
    assert emptied.matches(_difference({"data": {"a": [{}]}}, nulled), set())
    assert not emptied.matches(_difference({"data": {"a": [{"x": 1}]}}, nulled), set())
    drops = KnownDifference("g", "T.f", "reference-drops-fields", "")
    wider = _difference({"data": {"a": {"x": 1, "y": 2}}}, {"data": {"a": {"x": 1}}})
    assert drops.matches(wider, {"T.f"})
    assert not drops.matches(wider, {"T.g"})
    narrower = _difference({"data": {"a": {"x": 1}}}, {"data": {"a": {"x": 1, "y": 2}}})
    assert not drops.matches(narrower, {"T.f"})
    index = KnownDifference("*", "*", "reference-error-path-index", "")
    data = {"a": [{}, {"s": None}]}
    ours = {"data": data, "errors": [{"path": ["a", 1, "s"]}]}
    assert index.matches(
        _difference(ours, {"data": data, "errors": [{"path": ["a", 0, "s"]}]}), set()
    )
    wrong = {"data": data, "errors": [{"path": ["a", 0, "s"]}]}  # ours must point at a null
    assert not index.matches(_difference(wrong, ours), set())
    skipped = KnownDifference("*", "*", "reference-errors-on-skipped-fields", "")
    answer = {"a": {"x": 1}}
    extra = {"data": answer, "errors": [{"path": ["a", "user"]}]}
    assert skipped.matches(_difference({"data": answer}, extra), set())
    null_field = {"data": {"a": {"x": None}}, "errors": [{"path": ["a", "x"]}]}
    assert not skipped.matches(_difference({"data": {"a": {"x": None}}}, null_field), set())
    assert not skipped.matches(_difference({"data": {"a": {"x": 2}}}, extra), set())


def test_a_null_propagated_from_an_emptied_list_is_the_known_empty_selection_case() -> None:
    emptied = KnownDifference("*", "*", "reference-nulls-empty-selection", "")
    ours = {"data": {"wards": [], "openInvoices": [{"id": 1}]}}
    bubbled = {"data": None, "extensions": {"valueCompletion": [{"path": ["wards"]}]}}
    assert emptied.matches(_difference(ours, bubbled), set())
    elsewhere = {"data": None, "extensions": {"valueCompletion": [{"path": ["openInvoices"]}]}}
    assert not emptied.matches(_difference(ours, elsewhere), set())
