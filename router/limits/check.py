"""Enforce `OperationLimits` on a request's document: while parsing, then on its shape."""

from __future__ import annotations

import re

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSyntaxError,
    OperationDefinitionNode,
    parse,
)

from router.limits.config import OperationLimits
from router.limits.errors import LimitExceeded, Violation
from router.limits.shape import OperationShape, fragment_shapes, measure_operation

__all__ = [
    "LIMIT_CODES",
    "check_document",
    "parse_document",
    "parser_violation",
    "violations",
]

# (shape attribute, setting, extensions.code, what the message says is counted)
_CHECKS = (
    (
        "selections",
        "max_selections",
        "MAX_SELECTIONS_EXCEEDED",
        "selects {actual} fields and fragments once its fragments are expanded",
    ),
    ("depth", "max_depth", "MAX_DEPTH_EXCEEDED", "is nested {actual} fields deep"),
    ("aliases", "max_aliases", "MAX_ALIASES_EXCEEDED", "uses {actual} aliases"),
    ("root_fields", "max_root_fields", "MAX_ROOT_FIELDS_EXCEEDED", "selects {actual} root fields"),
    ("directives", "max_directives", "MAX_DIRECTIVES_EXCEEDED", "uses {actual} directives"),
    (
        "field_directives",
        "max_directives_per_field",
        "MAX_FIELD_DIRECTIVES_EXCEEDED",
        "puts {actual} directives on one field or fragment",
    ),
)
# Every extensions.code an operation limit answers with (all request errors, HTTP 400).
LIMIT_CODES = frozenset({"MAX_TOKENS_EXCEEDED", *(code for _, _, code, _ in _CHECKS)})
_HUGE = 10**12  # counts above this are reported as "more than" it
# graphql-core's parser reports the two limits it enforces itself as syntax errors.
_TOO_MANY_TOKENS = "Document contains more than"
_NESTED_TOO_DEEPLY = "Document is nested too deeply"


def _tokens_violation(limits: OperationLimits) -> Violation:
    return Violation(
        f"The document has more than {limits.max_tokens} tokens (max_tokens).",
        "MAX_TOKENS_EXCEEDED",
        "max_tokens",
        limits.max_tokens,
    )


def parser_violation(error: GraphQLError, limits: OperationLimits) -> Violation | None:
    """The limit a parser error stands for (tokens, or nesting too deep to parse), if any."""
    if _TOO_MANY_TOKENS in error.message:
        return _tokens_violation(limits)
    if _NESTED_TOO_DEEPLY in error.message:
        return Violation(
            "The document is nested too deeply to parse (max_depth).",
            "MAX_DEPTH_EXCEEDED",
            "max_depth",
            limits.max_depth,
        )
    return None


# One match per GraphQL token (comments included, as the parser counts them): block strings,
# strings, comments, numbers, names, punctuators (GraphQL spec 2.1). Each match is at most one
# token of a valid document, so the count is a lower bound of the parser's.
_TOKEN = re.compile(
    r'"""(?:\\"""|[^"]|"(?!""))*"""|"(?:\\.|[^"\\\n\r])*"|#[^\n\r]*'
    r"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[_A-Za-z][_0-9A-Za-z]*|\.\.\.|[!$&()\[\]{}:=@|]"
)


def _over_token_limit(text: str, max_tokens: int) -> bool:
    """Whether `text` surely has more than `max_tokens` tokens, found at regex speed: a
    10,000-alias or 1 MB query is refused before the (much slower) parser starts."""
    if len(text) <= max_tokens:  # every token is at least one character
        return False
    return any(count > max_tokens for count, _ in enumerate(_TOKEN.finditer(text), start=1))


def parse_document(text: str, limits: OperationLimits) -> DocumentNode:
    """Parse, stopping at `max_tokens` (the parser also refuses too deep a nesting).

    Raises `LimitExceeded` for either and `GraphQLSyntaxError` for bad syntax.
    """
    if _over_token_limit(text, limits.max_tokens):
        raise LimitExceeded(_tokens_violation(limits))
    try:
        return parse(text, max_tokens=limits.max_tokens)
    except GraphQLSyntaxError as error:
        violation = parser_violation(error, limits)
        if violation is not None:
            raise LimitExceeded(violation) from None
        raise


def _count(value: int) -> str:
    return str(value) if value < _HUGE else f"more than {_HUGE:,}"


def _shape_violations(shape: OperationShape, limits: OperationLimits, name: str) -> list[Violation]:
    """Every limit `shape` goes over (`name`: "'Op' " or "")."""
    found = []
    for attribute, setting, code, counted in _CHECKS:
        actual: int = getattr(shape, attribute)
        maximum: int = getattr(limits, setting)
        if actual > maximum:
            message = (
                f"The operation {name}{counted.format(actual=_count(actual))}, over the "
                f"limit of {maximum} ({setting})."
            )
            found.append(Violation(message, code, setting, maximum))
    return found


def violations(document: DocumentNode, limits: OperationLimits) -> list[Violation]:
    """Every limit each operation of `document` goes over (fragments are measured once each).

    Every operation is checked, as validation reads them all.
    """
    fragments = fragment_shapes(document)
    found: list[Violation] = []
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            name = f"'{definition.name.value}' " if definition.name else ""
            shape = measure_operation(document, definition, fragments)
            found.extend(_shape_violations(shape, limits, name))
    return found


def check_document(document: DocumentNode, limits: OperationLimits) -> None:
    """Refuse a document with an operation over a limit, before validating or planning it."""
    found = violations(document, limits)
    if found:
        raise LimitExceeded(*found)
