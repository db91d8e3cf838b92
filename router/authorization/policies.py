"""`@policy` at the router: named policies decided from the token's claims by declarative rules.

A rule names the roles (the ``role`` claim) and the scopes (outer list OR, inner list AND) that
grant its policy at the router; a policy the router grants still reaches the subgraph, which
decides row by row. A policy with no rule is refused: none is ever granted by default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from router.auth.claims import Claims

__all__ = ["PolicyRule", "PolicySet"]


@dataclass(frozen=True, slots=True)
class PolicyRule:
    """Granted to an authenticated caller (unless ``anonymous``) whose claims meet every condition."""

    roles: frozenset[str] | None = None
    scopes: tuple[frozenset[str], ...] | None = None
    anonymous: bool = False

    def grants(self, claims: Claims | None) -> bool:
        if claims is None:
            return self.anonymous
        if self.roles is not None and claims.role not in self.roles:
            return False
        return self.scopes is None or any(required <= claims.scopes for required in self.scopes)


class PolicySet:
    """The configured rules by policy name."""

    def __init__(self, rules: Mapping[str, PolicyRule]) -> None:
        self.rules = dict(rules)

    def decide(self, name: str, claims: Claims | None) -> bool:
        rule = self.rules.get(name)
        return rule is not None and rule.grants(claims)
