"""Input hygiene: NUL bytes, unencodable text and over-long lists, in variables and literals."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import parse

from subgraphs.common.inputs import input_errors, text_problem

QUERY = parse("query ($x: [String]) { f(x: $x) }")


def refused(variables: Any, document: str | None = None, *, max_list_length: int = 5) -> str:
    errors = input_errors(
        parse(document) if document else QUERY, variables, max_list_length=max_list_length
    )
    assert [e.extensions["code"] for e in errors] == ["BAD_USER_INPUT"]  # type: ignore[index]
    return errors[0].message


def test_text_that_cannot_be_stored_is_named() -> None:
    assert text_problem("plain") is None
    assert text_problem("Zoë 🙂") is None
    assert text_problem("a\x00b") == "must not contain NUL characters"
    assert text_problem("lone \ud800") == "must be valid Unicode text"


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"x": ["ok", "a\x00"]}, "Variable $x[1] must not contain NUL characters."),
        ({"x": [{"deep": {"k": "\ud83d"}}]}, "Variable $x[0].deep.k must be valid Unicode text."),
        ({"x": [{"bad\x00key": 1}]}, "A key of variable $x[0] must not contain NUL characters."),
        ({"x": list(range(6))}, "Variable $x has 6 items; at most 5 are allowed."),
        (
            {"x": {"ids": list(range(200_000))}},
            "Variable $x.ids has 200000 items; at most 5 are allowed.",
        ),
    ],
)
def test_bad_variables_are_refused_with_their_path(variables: Any, message: str) -> None:
    assert refused(variables) == message


def test_bad_literals_are_refused() -> None:
    assert (
        refused({}, '{ f(x: "a\\u0000b") }') == "A string argument must not contain NUL characters."
    )
    assert refused({}, "{ f(x: [1, 2, 3, 4, 5, 6]) }").startswith("A list argument has 6 items")


def test_clean_inputs_pass() -> None:
    assert input_errors(QUERY, {"x": ["a", "b"]}, max_list_length=5) == []
    assert input_errors(QUERY, None, max_list_length=5) == []
