"""Enforce `OperationLimits` on a request's document: while parsing, then on its shape."""

from __future__ import annotations

from graphql import DocumentNode, GraphQLSyntaxError, OperationDefinitionNode, parse

from router.limits.config import OperationLimits
from router.limits.errors import LimitExceeded, Violation
from router.limits.shape import OperationShape, fragment_shapes, measure_operation

__all__ = ["check_document", "check_shape", "parse_document"]

# (shape attribute, setting, extensions.code, what the message says is counted)
_CHECKS = (
    (
        "fields",
        "max_expanded_fields",
        "MAX_EXPANDED_FIELDS_EXCEEDED",
        "selects {actual} fields once its fragments are expanded",
    ),
    ("depth", "max_depth", "MAX_DEPTH_EXCEEDED", "is nested {actual} fields deep"),
    ("aliases", "max_aliases", "MAX_ALIASES_EXCEEDED", "uses {actual} aliases"),
    ("root_fields", "max_root_fields", "MAX_ROOT_FIELDS_EXCEEDED", "selects {actual} root fields"),
    ("directives", "max_directives", "MAX_DIRECTIVES_EXCEEDED", "uses {actual} directives"),
)
_HUGE = 10**12  # counts above this are reported as "more than" it
_TOKENS_MESSAGE = "Document contains more than {} tokens."


def parse_document(text: str, limits: OperationLimits) -> DocumentNode:
    """Parse, stopping at `max_tokens` (the parser also refuses too deep a nesting).

    Raises `LimitExceeded` for the token limit and `GraphQLSyntaxError` for bad syntax.
    """
    try:
        return parse(text, max_tokens=limits.max_tokens)
    except GraphQLSyntaxError as error:
        # graphql-core reports its token limit as a syntax error with this wording
        if _TOKENS_MESSAGE.format(limits.max_tokens) in error.message:
            raise LimitExceeded(
                Violation(
                    f"The document has more than {limits.max_tokens} tokens (max_tokens).",
                    "MAX_TOKENS_EXCEEDED",
                    "max_tokens",
                    limits.max_tokens,
                )
            ) from None
        raise


def _count(value: int) -> str:
    return str(value) if value < _HUGE else f"more than {_HUGE:,}"


def check_shape(shape: OperationShape, limits: OperationLimits, name: str = "") -> None:
    """Raise `LimitExceeded` naming every limit `shape` goes over (`name`: "'Op' " or "")."""
    violations = []
    for attribute, setting, code, counted in _CHECKS:
        actual: int = getattr(shape, attribute)
        maximum: int = getattr(limits, setting)
        if actual > maximum:
            message = (
                f"The operation {name}{counted.format(actual=_count(actual))}, over the "
                f"limit of {maximum} ({setting})."
            )
            violations.append(Violation(message, code, setting, maximum))
    if violations:
        raise LimitExceeded(*violations)


def check_document(document: DocumentNode, limits: OperationLimits) -> None:
    """Refuse a document with an operation over a limit, before validating or planning it.

    Every operation is checked (validation reads them all); fragments are measured once each.
    """
    fragments = fragment_shapes(document)
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            name = f"'{definition.name.value}' " if definition.name else ""
            check_shape(measure_operation(document, definition, fragments), limits, name)
