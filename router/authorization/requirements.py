"""What a field or type requires (Apollo's @authenticated, @requiresScopes and @policy) and who has it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Access", "Alternatives", "Requirement"]

# One directive's argument: the outer tuple is OR, each inner set is AND.
Alternatives = tuple[frozenset[str], ...]


@dataclass(frozen=True, slots=True)
class Access:
    """What a request brings: whether it is authenticated, its scopes, and a policy decision."""

    authenticated: bool
    scopes: frozenset[str]
    policy: Callable[[str], bool]

    def holds_scopes(self, alternatives: Alternatives) -> bool:
        return any(required <= self.scopes for required in alternatives)

    def holds_policies(self, alternatives: Alternatives) -> bool:
        return any(all(self.policy(name) for name in group) for group in alternatives)


@dataclass(frozen=True, slots=True)
class Requirement:
    """Every directive that applies to one field, combined with AND (as composition does)."""

    authenticated: bool = False
    scopes: tuple[Alternatives, ...] = ()
    policies: tuple[Alternatives, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.authenticated or self.scopes or self.policies)

    def __and__(self, other: Requirement) -> Requirement:
        if other.empty:
            return self
        if self.empty:
            return other
        return Requirement(
            self.authenticated or other.authenticated,
            tuple(dict.fromkeys(self.scopes + other.scopes)),
            tuple(dict.fromkeys(self.policies + other.policies)),
        )

    def allows(self, access: Access) -> bool:
        if self.authenticated and not access.authenticated:
            return False
        return all(access.holds_scopes(s) for s in self.scopes) and all(
            access.holds_policies(p) for p in self.policies
        )

    def policy_names(self) -> frozenset[str]:
        return frozenset(name for alts in self.policies for group in alts for name in group)
