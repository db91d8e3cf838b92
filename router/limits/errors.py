"""The error a request gets when it goes over its operation limits (router and subgraphs)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LimitExceeded", "Violation"]


@dataclass(frozen=True, slots=True)
class Violation:
    """One limit an operation goes over; `code` is its stable `extensions.code`."""

    message: str
    code: str
    limit: str  # the setting that bounds it, e.g. "max_depth"
    maximum: float  # an int for counts, seconds for time limits

    def extensions(self) -> dict[str, object]:
        """Its GraphQL error's `extensions`, the same from the router and every subgraph."""
        return {"code": self.code, "limit": self.limit, "maximum": self.maximum}

    def error(self) -> dict[str, object]:
        """As a GraphQL error."""
        return {"message": self.message, "extensions": self.extensions()}


class LimitExceeded(Exception):
    """An operation over one or more limits (each is reported)."""

    def __init__(self, *violations: Violation) -> None:
        assert violations, "a limit error names at least one violation"
        super().__init__(violations[0].message)
        self.violations = violations
        self.message = violations[0].message
        self.code = violations[0].code

    def errors(self) -> list[dict[str, object]]:
        return [violation.error() for violation in self.violations]
