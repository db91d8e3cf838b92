"""Input hygiene for every subgraph: list lengths, NUL bytes and unencodable text in any input.

Checked once per request, before execution, on the variables (JSON) and on the document's
literals, so no resolver and no database driver ever sees them: PostgreSQL text cannot hold
NUL (``\\x00``), lone UTF-16 surrogates cannot be encoded as UTF-8, and a list of 200,000 ids
would exceed the 32,767 bind parameters of one PostgreSQL statement.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    GraphQLError,
    ListValueNode,
    StringValueNode,
    Visitor,
    visit,
)

from subgraphs.common.errors import ErrorCode

__all__ = ["input_errors", "text_problem"]


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored as text (a NUL byte, invalid Unicode), or None."""
    if "\x00" in value:
        return "must not contain NUL characters"
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "must be valid Unicode text"
    return None


def _bad_input(message: str, path: str, **extensions: Any) -> GraphQLError:
    return GraphQLError(
        message,
        extensions={"code": ErrorCode.BAD_USER_INPUT.value, "path": path, **extensions},
    )


def _variable_error(variables: Mapping[str, Any], max_list_length: int) -> GraphQLError | None:
    # Iterative walk: the JSON decoder bounds the nesting, but a wide document is cheap to walk.
    pending: list[tuple[str, Any]] = [(f"${name}", value) for name, value in variables.items()]
    while pending:
        path, value = pending.pop()
        if isinstance(value, str):
            problem = text_problem(value)
            if problem:
                return _bad_input(f"Variable {path} {problem}.", path)
        elif isinstance(value, list):
            if len(value) > max_list_length:
                return _bad_input(
                    f"Variable {path} has {len(value)} items; at most {max_list_length} are allowed.",
                    path,
                    maxLength=max_list_length,
                )
            pending.extend((f"{path}[{index}]", item) for index, item in enumerate(value))
        elif isinstance(value, dict):
            for key, item in value.items():
                problem = text_problem(key) if isinstance(key, str) else None
                if problem:
                    return _bad_input(f"A key of variable {path} {problem}.", path)
                pending.append((f"{path}.{key}", item))
    return None


class _LiteralCheck(Visitor):
    """The first bad literal of a document: bad text, or a list longer than allowed."""

    def __init__(self, max_list_length: int) -> None:
        super().__init__()
        self.max_list_length = max_list_length
        self.error: GraphQLError | None = None

    def enter_string_value(self, node: StringValueNode, *_: Any) -> Any:
        problem = text_problem(node.value)
        if problem:
            self.error = GraphQLError(
                f"A string argument {problem}.",
                node,
                extensions={"code": ErrorCode.BAD_USER_INPUT.value},
            )
            return self.BREAK
        return None

    def enter_list_value(self, node: ListValueNode, *_: Any) -> Any:
        if len(node.values) > self.max_list_length:
            self.error = GraphQLError(
                f"A list argument has {len(node.values)} items; "
                f"at most {self.max_list_length} are allowed.",
                node,
                extensions={
                    "code": ErrorCode.BAD_USER_INPUT.value,
                    "maxLength": self.max_list_length,
                },
            )
            return self.BREAK
        return None


def input_errors(
    document: DocumentNode, variables: Mapping[str, Any] | None, *, max_list_length: int
) -> list[GraphQLError]:
    """BAD_USER_INPUT errors (at most one) for the first bad value in the literals or variables."""
    check = _LiteralCheck(max_list_length)
    visit(document, check)
    if check.error is not None:
        return [check.error]
    error = _variable_error(variables, max_list_length) if isinstance(variables, Mapping) else None
    return [error] if error is not None else []
