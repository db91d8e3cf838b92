"""A service's limits on one GraphQL operation: the router's measured limits plus its own.

Operations are measured by :mod:`router.limits` (the same module, codes and error extensions
as the router's; OWASP GraphQL cheat sheet, denial of service); a service adds the length of
its input lists and a time budget.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import DocumentNode, GraphQLError

from router.limits import OperationLimits, Violation, violations

__all__ = ["SERVICE_OPERATION_LIMITS", "ServiceLimits", "limit_error", "limit_errors"]

# A subgraph's defaults: tighter than the router's in tokens and size (the router sends it
# smaller, planned operations), looser in root fields (one fetch may merge several).
SERVICE_OPERATION_LIMITS = OperationLimits(
    max_tokens=10_000, max_root_fields=30, max_selections=1_000
)


@dataclass(frozen=True, slots=True)
class ServiceLimits:
    """What one GraphQL operation may cost (from :class:`~subgraphs.common.settings.ServiceSettings`)."""

    operation: OperationLimits = SERVICE_OPERATION_LIMITS
    # items of any list in the variables or literals (``_entities`` representations included)
    max_list_length: int = 10_000
    # seconds an HTTP operation may run
    timeout: float = 30.0


def limit_error(violation: Violation) -> GraphQLError:
    """A violated limit as the GraphQL error the router would answer with."""
    return GraphQLError(violation.message, extensions=violation.extensions())


def limit_errors(document: DocumentNode, limits: OperationLimits) -> list[GraphQLError]:
    """One error per limit that an operation of ``document`` goes over (empty when within)."""
    return [limit_error(violation) for violation in violations(document, limits)]
