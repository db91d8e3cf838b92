"""Apollo's persisted query list (https://www.apollographql.com/docs/graphos/platform/security/persisted-queries#manifest-format)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import orjson
from graphql import GraphQLSyntaxError, Source, TokenKind
from graphql.language.lexer import Lexer

__all__ = ["Manifest", "ManifestError", "load_manifest", "normalized"]

_FORMAT = "apollo-persisted-query-manifest"
_MAX_TOKENS = 50_000  # a body longer than this is never compared token by token


class ManifestError(ValueError):
    """The manifest file is not a persisted query list."""


def normalized(text: str) -> str | None:
    """The document's tokens joined by one space (comments and layout ignored), None if invalid."""
    lexer = Lexer(Source(text))
    tokens: list[str] = []
    try:
        token = lexer.advance()
        while token.kind != TokenKind.EOF:
            if len(tokens) >= _MAX_TOKENS:
                return None
            tokens.append(token.value if token.value is not None else token.kind.value)
            token = lexer.advance()
    except GraphQLSyntaxError:
        return None
    return " ".join(tokens)


@dataclass(frozen=True, slots=True)
class Manifest:
    """Operation id -> body, and the bodies (as written, and normalized) for safelisting."""

    bodies_by_id: dict[str, str]
    bodies: frozenset[str]
    normalized_bodies: frozenset[str]

    @classmethod
    def from_operations(cls, operations: dict[str, str]) -> Manifest:
        bodies = frozenset(operations.values())
        forms = {normalized(body) for body in bodies}
        return cls(dict(operations), bodies, frozenset(f for f in forms if f is not None))

    def allows(self, query: str) -> bool:
        """Whether `query` is one of the manifest's bodies (layout and comments aside)."""
        if query in self.bodies:
            return True
        form = normalized(query)
        return form is not None and form in self.normalized_bodies


def load_manifest(path: Path) -> Manifest:
    """Read a persisted query list: ``{"format": ..., "version": 1, "operations": [...]}``."""
    try:
        document = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as error:
        raise ManifestError(f"cannot read the persisted query list {path}: {error}") from error
    if not isinstance(document, dict) or document.get("format") != _FORMAT:
        raise ManifestError(f"{path} is not a persisted query list (format {_FORMAT!r})")
    if document.get("version") != 1:
        raise ManifestError(f"{path}: only version 1 of the persisted query list is supported")
    operations: dict[str, str] = {}
    for entry in document.get("operations") or ():
        if not isinstance(entry, dict):
            raise ManifestError(f"{path}: every operation must be an object")
        identifier, body = entry.get("id"), entry.get("body")
        if not isinstance(identifier, str) or not isinstance(body, str):
            raise ManifestError(f"{path}: every operation needs a string id and body")
        operations[identifier] = body
    return Manifest.from_operations(operations)
