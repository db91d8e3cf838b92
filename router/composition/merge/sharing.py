"""Fields resolved by several subgraphs must be @shareable (https://specs.apollo.dev/federation/v2.0#@shareable)."""

from __future__ import annotations

from router.composition.merge.override import OverrideRules, OverrideState
from router.composition.merged import MergedField, MergedType
from router.composition.model import Field

__all__ = ["SharingRules"]


class SharingRules(OverrideRules):
    """@shareable: a field resolved by more than one subgraph must be marked shareable in each."""

    def validate_sharing(
        self,
        parent: MergedType,
        dest: MergedField,
        sources: dict[int, Field | None],
        state: OverrideState,
    ) -> None:
        shareable: list[int] = []
        non_shareable: list[int] = []
        resolving: list[int] = []
        for i, f in sources.items():
            candidates = (
                self.abstracted_fields(parent.name, dest.name, i)
                if f is None
                else ([] if state.overridden(i) else [f])
            )
            for candidate in candidates:
                if self.metas[i].is_fully_external(candidate):
                    continue
                resolving.append(i)
                (shareable if self.metas[i].is_shareable(candidate) else non_shareable).append(i)
        if non_shareable and (shareable or len(non_shareable) > 1):
            coordinate = f"{parent.name}.{dest.name}"
            culprits = self.subgraph_list(non_shareable) if shareable else "all of them"
            extra = ""
            typo = next((i for i in non_shareable if i in state.unknown_target), None)
            if typo is not None:
                extra = (
                    f' (please note that "{coordinate}" has an @override directive in '
                    f'"{self.names[typo]}" that targets an unknown subgraph so this could be due '
                    "to misspelling the @override(from:) argument)"
                )
            self.error(
                "INVALID_FIELD_SHARING",
                f'Non-shareable field "{coordinate}" is resolved from multiple subgraphs: it is '
                f"resolved from {self.subgraph_list(resolving)} and defined as non-shareable in "
                f"{culprits}{extra}",
                coordinate,
            )
