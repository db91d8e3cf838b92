"""Composition errors with Apollo Federation's stable error codes (https://www.apollographql.com/docs/graphos/reference/federation/errors)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CompositionError", "CompositionFailedError"]


@dataclass(frozen=True, slots=True)
class CompositionError:
    """One composition error: a stable ``code`` and a message naming subgraph, type and field."""

    code: str
    message: str
    subgraph: str | None = None
    coordinate: str | None = None

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class CompositionFailedError(Exception):
    """Raised when subgraphs do not compose; carries every error found, not only the first."""

    def __init__(self, errors: list[CompositionError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))
