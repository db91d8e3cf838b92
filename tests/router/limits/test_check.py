"""Enforcing operation limits: each limit's stable code, the token limit while parsing."""

from __future__ import annotations

import tracemalloc

import pytest
from graphql import GraphQLSyntaxError, get_introspection_query

from router.limits import LimitExceeded, OperationLimits, check_document, parse_document
from tests.router.hostile import aliases, chain, fragment_bomb

DEFAULTS = OperationLimits()


def _check(text: str, limits: OperationLimits = DEFAULTS) -> None:
    check_document(parse_document(text, limits), limits)


def _codes(text: str, limits: OperationLimits = DEFAULTS) -> list[str]:
    with pytest.raises(LimitExceeded) as caught:
        _check(text, limits)
    return [v.code for v in caught.value.violations]


@pytest.mark.parametrize(
    ("text", "limits", "code"),
    [
        ("{ a { b { c } } }", OperationLimits(max_depth=2), "MAX_DEPTH_EXCEEDED"),
        ("{ x: a y: a z: a }", OperationLimits(max_aliases=2), "MAX_ALIASES_EXCEEDED"),
        ("{ a b ...F } fragment F on Q { c }", OperationLimits(max_root_fields=2), "MAX_ROOT_FIELDS_EXCEEDED"),
        ("{ a @skip(if: true) b @include(if: true) }", OperationLimits(max_directives=1), "MAX_DIRECTIVES_EXCEEDED"),
        ("{ a { b c } ...F } fragment F on Q { d }", OperationLimits(max_expanded_fields=3), "MAX_EXPANDED_FIELDS_EXCEEDED"),
    ],
)  # fmt: skip
def test_each_limit_has_its_code(text: str, limits: OperationLimits, code: str) -> None:
    assert _codes(text, limits) == [code]
    _check(text)  # within the defaults


def test_every_limit_gone_over_is_reported_with_its_setting() -> None:
    with pytest.raises(LimitExceeded) as caught:
        _check(fragment_bomb(25, "me { id }"))
    errors = caught.value.errors()
    assert [e["extensions"]["code"] for e in errors] == [  # type: ignore[index]
        "MAX_EXPANDED_FIELDS_EXCEEDED",
        "MAX_ROOT_FIELDS_EXCEEDED",
    ]
    assert errors[0]["extensions"] == {
        "code": "MAX_EXPANDED_FIELDS_EXCEEDED",
        "limit": "max_expanded_fields",
        "maximum": 2000,
    }
    assert "33554432 fields once its fragments are expanded" in str(errors[0]["message"])


def test_huge_counts_are_not_spelled_out() -> None:
    with pytest.raises(LimitExceeded) as caught:
        _check(fragment_bomb(100, "me { id }"))
    assert "more than 1,000,000,000,000 fields" in caught.value.message


def test_the_token_limit_stops_the_parser() -> None:
    with pytest.raises(LimitExceeded) as caught:
        parse_document(aliases(10_000, "me { id }"), DEFAULTS)
    assert caught.value.code == "MAX_TOKENS_EXCEEDED"
    assert caught.value.errors()[0]["extensions"] == {
        "code": "MAX_TOKENS_EXCEEDED",
        "limit": "max_tokens",
        "maximum": 15_000,
    }
    with pytest.raises(GraphQLSyntaxError):  # other syntax errors stay syntax errors
        parse_document("{ a ", DEFAULTS)


def test_the_standard_introspection_query_is_within_the_defaults() -> None:
    _check(get_introspection_query(descriptions=True, input_value_deprecation=True))


def test_a_deep_chain_is_refused_by_depth() -> None:
    assert _codes(chain(100, ("patient", "user"), "id", "me")) == ["MAX_DEPTH_EXCEEDED"]


@pytest.mark.timeout(30)
@pytest.mark.parametrize("levels", [25, 50, 100])
def test_refusing_a_fragment_bomb_allocates_little(levels: int) -> None:
    text = fragment_bomb(levels, "me { id }")
    tracemalloc.start()
    try:
        with pytest.raises(LimitExceeded):
            _check(text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * 1024 * 1024  # the parsed document and one summary per fragment
