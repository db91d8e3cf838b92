"""Directive authorization of one supergraph's operations, per request, before planning."""

from __future__ import annotations

from collections.abc import Hashable

from graphql import DocumentNode, OperationDefinitionNode

from router.auth.claims import Claims
from router.authorization.filtering import Filtered, RequirementWalker
from router.authorization.metadata import read_metadata
from router.authorization.policies import PolicySet
from router.authorization.requirements import Access, Requirement
from router.supergraph.model import Supergraph

__all__ = ["Authorizer"]

_CACHE_SIZE = 4096


class Authorizer:
    """Decides which parts of an operation a request may see.

    Per operation (cached) it collects the distinct requirements the operation meets; per
    request it evaluates only those against the claims. When all hold (the common case) the
    operation is planned as it is; otherwise the filtered operation is built once per
    combination of decisions and cached.
    """

    def __init__(
        self, supergraph: Supergraph, policies: PolicySet, *, reject_unauthorized: bool = False
    ) -> None:
        self.metadata = read_metadata(supergraph.sdl)
        self.walker = RequirementWalker(supergraph.api_schema, self.metadata)
        self.policies = policies
        self.reject_unauthorized = reject_unauthorized
        self._involved: dict[Hashable, tuple[Requirement, ...]] = {}
        self._filtered: dict[Hashable, Filtered] = {}

    @property
    def active(self) -> bool:
        """Whether the supergraph carries any authorization directive at all."""
        return not self.metadata.empty

    def involved(
        self, key: Hashable, document: DocumentNode, operation: OperationDefinitionNode
    ) -> tuple[Requirement, ...]:
        """The distinct requirements ``operation`` meets (cached under ``key``)."""
        found = self._involved.get(key)
        if found is not None:
            return found
        seen: dict[Requirement, None] = {}

        def record(requirement: Requirement) -> bool:
            seen[requirement] = None
            return True

        self.walker.walk(document, operation, record)
        if len(self._involved) >= _CACHE_SIZE:
            self._involved.clear()
        found = self._involved[key] = tuple(seen)
        return found

    def access(self, claims: Claims | None) -> Access:
        return Access(
            authenticated=claims is not None,
            scopes=claims.scopes if claims is not None else frozenset(),
            policy=lambda name: self.policies.decide(name, claims),
        )

    def authorize(
        self,
        key: Hashable,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        claims: Claims | None,
    ) -> Filtered | None:
        """None when the request may see all of ``operation``, else what is left of it."""
        involved = self.involved(key, document, operation)
        if not involved:
            return None
        access = self.access(claims)
        decisions = tuple(requirement.allows(access) for requirement in involved)
        if all(decisions):
            return None
        cache_key = (key, decisions)
        filtered = self._filtered.get(cache_key)
        if filtered is None:
            table = dict(zip(involved, decisions, strict=True))
            filtered = self.walker.walk(document, operation, table.__getitem__)
            if len(self._filtered) >= _CACHE_SIZE:
                self._filtered.clear()
            self._filtered[cache_key] = filtered
        return filtered
