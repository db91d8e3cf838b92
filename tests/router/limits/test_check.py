"""Enforcing operation limits: each limit's stable code, the token limit while parsing."""

from __future__ import annotations

import tracemalloc

import pytest
from graphql import GraphQLSyntaxError, Source, Token, TokenKind, get_introspection_query
from graphql.language.lexer import Lexer

from router.limits import (
    LIMIT_CODES,
    LimitExceeded,
    OperationLimits,
    check_document,
    parse_document,
    violations,
)
from router.limits import check as check_module
from tests.support.hostile import aliases, chain, fragment_bomb

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
        ("{ a { b c } ...F } fragment F on Q { d }", OperationLimits(max_selections=4), "MAX_SELECTIONS_EXCEEDED"),
        ("{ a @r @r @r }", OperationLimits(max_directives_per_field=2), "MAX_FIELD_DIRECTIVES_EXCEEDED"),
        ("{ ...F @r @r @r } fragment F on Q { a }", OperationLimits(max_directives_per_field=2), "MAX_FIELD_DIRECTIVES_EXCEEDED"),
        ("{ ...F } fragment F on Q @r @r @r { a }", OperationLimits(max_directives_per_field=2), "MAX_FIELD_DIRECTIVES_EXCEEDED"),
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
        "MAX_SELECTIONS_EXCEEDED",
        "MAX_ROOT_FIELDS_EXCEEDED",
    ]
    assert errors[0]["extensions"] == {
        "code": "MAX_SELECTIONS_EXCEEDED",
        "limit": "max_selections",
        "maximum": 2000,
    }
    # 2**25 - 1 spreads and 2**24 copies of `me { id }`
    assert "67108863 fields and fragments once its" in str(errors[0]["message"])


@pytest.mark.timeout(10)
def test_a_bomb_of_empty_fragments_is_refused_too() -> None:
    """Nothing to select, yet validation (or auth's credential rule) would walk 2**30 spreads."""
    assert _codes(fragment_bomb(30, "")) == ["MAX_SELECTIONS_EXCEEDED"]


def test_every_operation_of_the_document_is_held_to_the_limits() -> None:
    document = parse_document("query A { a } query B { a { b { c } } }", DEFAULTS)
    assert violations(document, DEFAULTS) == []
    [violation] = violations(document, OperationLimits(max_depth=2))
    assert violation.message == (
        "The operation 'B' is nested 3 fields deep, over the limit of 2 (max_depth)."
    )
    assert violation.extensions() == {
        "code": "MAX_DEPTH_EXCEEDED",
        "limit": "max_depth",
        "maximum": 2,
    }


def test_every_limit_code_is_listed() -> None:
    assert {
        "MAX_TOKENS_EXCEEDED",
        "MAX_DEPTH_EXCEEDED",
        "MAX_ALIASES_EXCEEDED",
        "MAX_ROOT_FIELDS_EXCEEDED",
        "MAX_DIRECTIVES_EXCEEDED",
        "MAX_SELECTIONS_EXCEEDED",
        "MAX_FIELD_DIRECTIVES_EXCEEDED",
    } == LIMIT_CODES


def test_huge_counts_are_not_spelled_out() -> None:
    with pytest.raises(LimitExceeded) as caught:
        _check(fragment_bomb(100, "me { id }"))
    assert "more than 1,000,000,000,000 fields and fragments" in caught.value.message


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


def test_nesting_too_deep_to_parse_is_the_depth_limit() -> None:
    with pytest.raises(LimitExceeded) as caught:
        parse_document("{ a " + "{ a " * 10_000 + "}" * 10_001, OperationLimits(max_tokens=10**6))
    assert caught.value.code == "MAX_DEPTH_EXCEEDED"


def test_graphiqls_introspection_query_passes_even_a_tight_depth_limit() -> None:
    query = get_introspection_query(
        descriptions=True,
        specified_by_url=True,
        directive_is_repeatable=True,
        input_value_deprecation=True,
    )
    _check(query)
    _check(query, OperationLimits(max_depth=1))


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


def _lexer_tokens(text: str) -> int:
    """What graphql-core's parser counts toward max_tokens: every token, comments included."""
    lexer = Lexer(Source(text))
    count = 0
    token = lexer.token
    while True:
        token = lexer.lookahead()
        lexer.token = token
        count += 1 + _comments_before(token)
        if token.kind == TokenKind.EOF:
            return count - 1


def _comments_before(token: Token) -> int:
    count = 0
    previous = token.prev
    while previous is not None and previous.kind == TokenKind.COMMENT:
        count += 1
        previous = previous.prev
    return count


@pytest.mark.parametrize(
    "text",
    [
        get_introspection_query(descriptions=True),
        '{ a(s: "x \\" } # y", n: -1.5e3, b: """ block "" \\""" { } """) # tail\n { b } }',
        "query Q($v: [Int!]! = [1, 2]) @d { ...F ... on T { x: y } } fragment F on T { z }",
        aliases(50, "me { id }"),
    ],
)
def test_the_fast_token_count_never_exceeds_the_parsers(text: str) -> None:
    fast = sum(1 for _ in check_module._TOKEN.finditer(text))
    assert fast == _lexer_tokens(text)


def test_long_documents_are_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(check_module, "parse", lambda *_a, **_k: pytest.fail("parsed"))
    limits = OperationLimits(max_tokens=100)
    assert _codes(aliases(10_000, "me { id }"), limits) == ["MAX_TOKENS_EXCEEDED"]
    assert _codes("{ " + "# comment\n" * 200 + "a }", limits) == ["MAX_TOKENS_EXCEEDED"]
