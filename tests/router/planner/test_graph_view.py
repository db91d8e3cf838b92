"""What the join metadata says each subgraph can resolve."""

from __future__ import annotations

from router.planner.graph_view import GraphView
from router.supergraph import parse_supergraph
from tests.router.loopback import sample_sdl

VIEW = GraphView(parse_supergraph(sample_sdl()))
INTERFACE_OBJECT = GraphView(parse_supergraph(sample_sdl("interface-object")))
OVERRIDE = GraphView(parse_supergraph(sample_sdl("override-progressive")))


def test_external_fields_are_not_resolvable() -> None:
    assert VIEW.resolvable("patients", "Patient", "name")
    assert not VIEW.resolvable("billing", "Patient", "name")
    assert VIEW.external("billing", "Patient", "name")
    assert VIEW.join("billing", "Patient", "statementName") == ("name", None)


def test_overridden_fields_move_to_the_new_owner() -> None:
    assert OVERRIDE.resolvable("inventory", "Drug", "stock")
    assert not OVERRIDE.resolvable("pharmacy", "Drug", "stock")


def test_runtime_types_per_subgraph() -> None:
    assert VIEW.runtime_types("clinical", "Event") == ["Visit", "Admission"]
    assert INTERFACE_OBJECT.runtime_types("accounts", "Clinician") == ["Doctor", "Nurse"]
    assert INTERFACE_OBJECT.is_interface_object("staff", "Clinician")
    assert not INTERFACE_OBJECT.is_interface_object("accounts", "Clinician")
    assert VIEW.matches("Visit", "Event")
    assert not VIEW.matches("Patient", "Event")


def test_keys() -> None:
    assert [k.fields for k in VIEW.resolvable_keys("billing", "Invoice")] == ["number"]
    assert VIEW.key_field_names("clinical", "Patient") == {"id"}
