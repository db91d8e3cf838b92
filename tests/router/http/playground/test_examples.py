"""The playground's example tabs: valid against the supergraph, one per role's first steps."""

from __future__ import annotations

import re
from pathlib import Path

import orjson
import pytest
from graphql import OperationDefinitionNode, parse, validate

from router.http.playground.examples import EXAMPLES, Example, examples_script
from router.supergraph.parser import load_supergraph

SUPERGRAPH = Path(__file__).resolve().parents[4] / "schema" / "supergraph.graphql"


def operations(query: str) -> dict[str, OperationDefinitionNode]:
    document = parse(query)
    named = {
        d.name.value: d
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode) and d.name
    }
    assert len(named) == len(document.definitions), "every operation is named"
    return named


def test_each_role_has_its_tab() -> None:
    tabs = [list(operations(example.query)) for example in EXAMPLES]
    assert tabs == [
        ["Login", "VerifyMfa"],
        ["MyAppointments"],
        ["MyInvoices"],
        ["FindPatientAndDoctor", "FreeSlots", "BookAppointment"],
        ["AppointmentChanged"],
        ["Users", "AccessLog", "VerifyAuditChain"],
    ]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: next(iter(operations(e.query))))
def test_examples_are_valid_against_the_supergraph(example: Example) -> None:
    api = load_supergraph(str(SUPERGRAPH)).api_schema
    query = example.query
    assert validate(api, parse(query)) == []
    variables = orjson.loads(example.variables or "{}")
    taken = {
        v.variable.name.value
        for op in operations(query).values()
        for v in op.variable_definitions or ()
    }
    assert set(variables) <= taken, "every variable shown is one an operation takes"


def test_tabs_say_how_to_send_the_token() -> None:
    for example in EXAMPLES[1:]:
        assert "Authorization" in example.query or "signed in as" in example.query


def test_subscription_tab_sends_you_to_the_clinical_subgraph() -> None:
    (live,) = (e.query for e in EXAMPLES if "subscription " in e.query)
    assert "SUBSCRIPTION_NOT_SUPPORTED" in live
    assert re.search(r"clinical subgraph's own GraphiQL, at its /graphql", live)


def test_script_defines_the_default_tabs() -> None:
    script = examples_script()
    prefix = b"window.healthgraphExamples = "
    assert script.startswith(prefix)
    tabs = orjson.loads(script[len(prefix) :].rstrip(b";\n"))
    assert tabs == [{"query": e.query, "variables": e.variables} for e in EXAMPLES]
