"""Scope rules: a field opens to a signed-in caller holding any one of its scopes (Apollo ``@requiresScopes``)."""

from __future__ import annotations

from subgraphs.common.context import Caller
from subgraphs.common.errors import Forbidden
from subgraphs.common.tokens.scopes import Scope

__all__ = ["ScopeRule"]


class ScopeRule:
    """Holding any one of ``scopes`` lets a signed-in caller past a field."""

    __slots__ = ("scopes",)

    def __init__(self, *scopes: Scope) -> None:
        if not scopes:
            raise ValueError("a scope rule needs at least one scope")
        self.scopes = scopes

    @property
    def directive(self) -> list[list[str]]:
        """The ``@requiresScopes(scopes:)`` argument: one alternative per scope."""
        return [[scope.value] for scope in self.scopes]

    def allows(self, caller: Caller) -> bool:
        return any(scope.value in caller.scopes for scope in self.scopes)

    def require(self, caller: Caller) -> None:
        """UNAUTHENTICATED when anonymous; FORBIDDEN naming the acceptable scopes otherwise."""
        caller.require_authenticated()
        if not self.allows(caller):
            names = [scope.value for scope in self.scopes]
            raise Forbidden(
                f"Your access token lacks the scope {' or '.join(names)}.",
                extensions={"requiredScopes": self.directive},
            )

    def __repr__(self) -> str:
        return f"ScopeRule({', '.join(scope.value for scope in self.scopes)})"
