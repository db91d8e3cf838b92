"""Canonical JSON: one byte string per value, whatever the key order or spacing."""

from __future__ import annotations

import json

import pytest

from subgraphs.common.canonical import canonical_json


def test_key_order_and_spacing_do_not_matter() -> None:
    a = json.loads('{ "b": 2, "a": {"y": [1, "x"], "x": null}, "c": true }')
    b = json.loads('{"c":true,"a":{"x":null,"y":[1,"x"]},"b":2}')
    assert canonical_json(a) == canonical_json(b) == b'{"a":{"x":null,"y":[1,"x"]},"b":2,"c":true}'


def test_strings_are_escaped_minimally_as_utf8() -> None:
    assert canonical_json({"s": 'Zoë "Z" \\ \n\u0001/'}) == (
        '{"s":"Zoë \\"Z\\" \\\\ \\n\\u0001/"}'.encode()
    )


@pytest.mark.parametrize(
    "value", [{"f": 1.5}, {"n": float("nan")}, {1: "x"}, {"é": 1}, {"s": "\ud800"}]
)
def test_values_without_a_canonical_form_are_refused(value: object) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 (each case has its own message)
        canonical_json(value)
