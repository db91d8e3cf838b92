"""Interfaces across subgraphs, including @interfaceObject (https://specs.apollo.dev/federation/v2.3#@interfaceObject)."""

from __future__ import annotations

from collections.abc import Mapping

from router.composition.directives import merge_applied
from router.composition.merge.enums_inputs import EnumInputMerging
from router.composition.merged import MergedArgument, MergedDirective, MergedField
from router.composition.model import Kind, TypeDef
from router.composition.types import is_subtype

__all__ = ["InterfaceRules"]

_AUTH_DIRECTIVES = frozenset({"authenticated", "requiresScopes", "policy"})


class InterfaceRules(EnumInputMerging):
    """Interfaces: implementations carry every interface field, @interfaceObject fields reach them."""

    def validate_interface(self, name: str, sources: Mapping[int, TypeDef]) -> None:
        implementations = [
            t.name for t in self.types.values() if t.kind is Kind.OBJECT and name in t.interfaces
        ]
        for i, typedef in sources.items():
            subgraph = self.subgraphs[i]
            if typedef.interface_object:
                defined = [n for n in implementations if n in subgraph.types]
                if defined:
                    self.error(
                        "INTERFACE_OBJECT_USAGE_ERROR",
                        f'[{subgraph.name}] Interface type "{name}" is defined as an '
                        f'@interfaceObject in subgraph "{subgraph.name}" so that subgraph should '
                        f'not define any of the implementation types of "{name}", but it defines '
                        + ", ".join(f'"{d}"' for d in defined),
                        name,
                    )
                continue
            if not any(k.resolvable for k in typedef.keys):
                continue
            local = [
                t.name
                for t in subgraph.types.values()
                if t.kind is Kind.OBJECT and name in t.interfaces
            ]
            missing = [n for n in implementations if n not in local]
            if missing:
                self.error(
                    "INTERFACE_KEY_MISSING_IMPLEMENTATION_TYPE",
                    f'[{subgraph.name}] Interface type "{name}" has a resolvable key in subgraph '
                    f'"{subgraph.name}" but that subgraph is missing some of the supergraph '
                    f'implementation types of "{name}". Subgraph "{subgraph.name}" should define '
                    + ", ".join(f'"{m}"' for m in missing)
                    + f' (and have {"them" if len(missing) > 1 else "it"} implement "{name}").',
                    name,
                )

    def check_interface_fields_implemented(self) -> None:
        """Every implementer has each interface field with a compatible type (merged schema)."""
        for merged in self.types.values():
            if merged.kind not in {Kind.OBJECT, Kind.INTERFACE}:
                continue
            for itf_name in merged.interfaces:
                itf = self.types.get(itf_name)
                if itf is None or itf.kind is not Kind.INTERFACE:
                    continue
                for name, itf_field in itf.fields.items():
                    mine = merged.fields.get(name)
                    if mine is not None:
                        if not is_subtype(itf_field.type, mine.type, self.is_possible):
                            self.error(
                                "INVALID_GRAPHQL",
                                f"Interface field {itf_name}.{name} expects type "
                                f"{itf_field.type} but {merged.name}.{name} of type {mine.type} "
                                "is not a proper subtype.",
                                f"{merged.name}.{name}",
                            )
                        continue
                    declaring = [
                        i
                        for i, s in enumerate(self.subgraphs)
                        if itf_name in s.types and name in s.types[itf_name].fields
                    ]
                    implementing = [
                        i
                        for i, s in enumerate(self.subgraphs)
                        if merged.name in s.types and itf_name in s.types[merged.name].interfaces
                    ]
                    self.error(
                        "INTERFACE_FIELD_NO_IMPLEM",
                        f'Interface field "{itf_name}.{name}" is declared in '
                        f'{self.subgraph_list(declaring)} but type "{merged.name}", which '
                        f'implements "{itf_name}" only in {self.subgraph_list(implementing)} does '
                        f'not have field "{name}".',
                        f"{merged.name}.{name}",
                    )

    def add_interface_object_fields_to_implementations(self) -> None:
        for merged in self.types.values():
            if merged.kind is not Kind.OBJECT:
                continue
            for itf_name in merged.interfaces:
                itf = self.types.get(itf_name)
                if itf is None:
                    continue
                provided = self.interface_object_fields.get(itf_name, set())
                for name, itf_field in itf.fields.items():
                    if name in merged.fields or name not in provided:
                        continue
                    copy = MergedField(
                        name=name,
                        type=itf_field.type,
                        description=itf_field.description,
                        args={
                            a.name: MergedArgument(
                                a.name,
                                a.type,
                                a.default,
                                a.description,
                                [d for d in a.directives if not d.name.startswith("join__")],
                            )
                            for a in itf_field.args.values()
                        },
                        directives=[
                            d for d in itf_field.directives if not d.name.startswith("join__")
                        ],
                    )
                    auth_directives, copy.auth = merge_applied(
                        [], self.used, extra=self.auth_sources.get(f"{merged.name}.{name}")
                    )
                    copy.directives = [
                        *auth_directives,
                        *(d for d in copy.directives if d.name not in _AUTH_DIRECTIVES),
                        MergedDirective("join__field"),
                    ]
                    merged.fields[name] = copy
