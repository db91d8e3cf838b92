"""Post-merge @inaccessible rules."""

from __future__ import annotations

from router.composition.inaccessible import validate_inaccessible
from router.composition.merged import MergedArgument, MergedDirective, MergedField, MergedType
from router.composition.model import Kind

HIDDEN = [MergedDirective("inaccessible")]


def test_referencing_a_hidden_type_is_an_error() -> None:
    types = {
        "Query": MergedType("Query", Kind.OBJECT, fields={"s": MergedField("s", "Secret")}),
        "Secret": MergedType(
            "Secret", Kind.OBJECT, directives=HIDDEN, fields={"x": MergedField("x", "Int")}
        ),
    }
    [error] = validate_inaccessible(types)
    assert (error.code, error.coordinate) == ("REFERENCED_INACCESSIBLE", "Query.s")


def test_hidden_required_argument_is_an_error() -> None:
    arg = MergedArgument("id", "ID!", directives=HIDDEN)
    types = {
        "Query": MergedType(
            "Query", Kind.OBJECT, fields={"p": MergedField("p", "Int", args={"id": arg})}
        )
    }
    assert [e.code for e in validate_inaccessible(types)] == ["REQUIRED_INACCESSIBLE"]


def test_hidden_fields_alongside_visible_ones_are_fine() -> None:
    fields = {"a": MergedField("a", "Int"), "b": MergedField("b", "Int", directives=HIDDEN)}
    assert validate_inaccessible({"Query": MergedType("Query", Kind.OBJECT, fields=fields)}) == []
