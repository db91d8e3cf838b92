"""OWASP GraphQL: at most one credential-checking mutation per request, however it is aliased."""

from __future__ import annotations

from collections import Counter
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValidationRule,
)

from subgraphs.common.errors import ErrorCode

__all__ = ["CREDENTIAL_MUTATIONS", "OneCredentialCheckPerRequest"]

CREDENTIAL_MUTATIONS = frozenset(
    {
        "login",
        "verifyMfa",
        "refreshToken",
        "confirmTotp",
        "enrollTotp",
        "logout",
        "completeOAuthSignIn",
    }
)


class OneCredentialCheckPerRequest(ValidationRule):
    """Reject a mutation that selects a credential mutation more than once (aliases, fragments)."""

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        if node.operation is not OperationType.MUTATION:
            return
        fragments: dict[str, FragmentDefinitionNode] = {
            definition.name.value: definition
            for definition in self.context.document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        counts: Counter[str] = Counter()
        self._count(node.selection_set, fragments, counts, set())
        repeated = sorted(name for name, count in counts.items() if count > 1)
        if repeated:
            self.report_error(
                GraphQLError(
                    f"{', '.join(repeated)} may appear only once per request.",
                    node,
                    extensions={"code": ErrorCode.BAD_USER_INPUT.value},
                )
            )

    def _count(
        self,
        selection_set: SelectionSetNode,
        fragments: dict[str, FragmentDefinitionNode],
        counts: Counter[str],
        seen: set[str],
    ) -> None:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if selection.name.value in CREDENTIAL_MUTATIONS:
                    counts[selection.name.value] += 1
            elif isinstance(selection, InlineFragmentNode):
                self._count(selection.selection_set, fragments, counts, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = fragments.get(name)
                if fragment is not None and name not in seen:  # a cycle is invalid anyway
                    self._count(fragment.selection_set, fragments, counts, seen | {name})
