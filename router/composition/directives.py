"""Merge @inaccessible, @tag, @authenticated, @requiresScopes, @policy and carried directives (https://www.apollographql.com/docs/graphos/schema-design/federated-schemas/reference/directives)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from graphql import StringValueNode, print_ast

from router.composition.merged import Auth, MergedDirective
from router.composition.model import Applied, ListSizeArgs

__all__ = ["dnf_conjunction", "merge_applied", "print_string"]


def print_string(value: str) -> str:
    """Print a GraphQL string literal."""
    return print_ast(StringValueNode(value=value))


def _matrix(values: list[list[str]]) -> str:
    return (
        "["
        + ", ".join("[" + ", ".join(print_string(v) for v in inner) + "]" for inner in values)
        + "]"
    )


def dnf_conjunction(values: list[list[list[str]]]) -> list[list[str]]:
    """AND together requirements in disjunctive normal form, as Apollo merges auth directives."""
    if not values:
        return []
    normalised: list[list[list[str]]] = []
    seen: set[str] = set()
    for value in values:
        dnf = sorted((sorted(inner) for inner in (value or [[]])), key=json.dumps)
        key = json.dumps(dnf)
        if key not in seen:
            seen.add(key)
            normalised.append(dnf)
    result = normalised[0]
    for current in normalised[1:]:
        accumulated: list[list[str]] = []
        keys: set[str] = set()
        for left in result:
            for right in current:
                candidate = sorted([*left, *(e for e in right if e not in left)])
                key = json.dumps(candidate)
                if key not in keys:
                    keys.add(key)
                    accumulated.append(candidate)
        result = _without_subsumed(accumulated)
    return result


def _without_subsumed(values: list[list[str]]) -> list[list[str]]:
    kept: list[list[str]] = []
    for value in sorted(values, key=len):
        if not any(set(k) <= set(value) for k in kept):
            kept.append(value)
    return kept


def _merge_dnf(values: list[list[list[str]]]) -> list[list[str]]:
    """One distinct application is carried verbatim; different ones are ANDed together."""
    distinct = [v for i, v in enumerate(values) if v not in values[:i]]
    return distinct[0] if len(distinct) == 1 else dnf_conjunction(distinct)


_AUTH = ("authenticated", "requiresScopes", "policy")


def _auth(sources: list[Applied]) -> Auth:
    scopes = [s.scopes for s in sources if s.scopes is not None]
    policies = [s.policies for s in sources if s.policies is not None]
    return Auth(
        authenticated=any(s.authenticated for s in sources),
        scopes=_merge_dnf(scopes) if scopes else None,
        policies=_merge_dnf(policies) if policies else None,
    )


def _union(values: list[list[str] | None]) -> list[str] | None:
    given = [v for v in values if v is not None]
    return list(dict.fromkeys(item for value in given for item in value)) if given else None


def _list_size(sizes: list[ListSizeArgs]) -> list[tuple[str, str]]:
    """Apollo's merge: assumedSize max, slicing and sized fields united, requireOne ANDed."""
    assumed = [s.assumed_size for s in sizes if s.assumed_size is not None]
    required = [s.require_one for s in sizes if s.require_one is not None]
    args: list[tuple[str, str]] = []
    if assumed:
        args.append(("assumedSize", str(max(assumed))))
    for name, values in (
        ("slicingArguments", _union([s.slicing_arguments for s in sizes])),
        ("sizedFields", _union([s.sized_fields for s in sizes])),
    ):
        if values is not None:
            args.append((name, "[" + ", ".join(print_string(v) for v in values) + "]"))
    if required:
        args.append(("requireOneSlicingArgument", "true" if all(required) else "false"))
    written = list(dict.fromkeys(name for size in sizes for name in size.order))
    return sorted(args, key=lambda a: written.index(a[0]) if a[0] in written else len(written))


def _demand_control(sources: list[Applied], used: set[str]) -> dict[str, list[MergedDirective]]:
    """@cost (the highest weight) and @listSize (https://specs.apollo.dev/cost/v0.1)."""
    merged: dict[str, list[MergedDirective]] = {}
    weights = [s.cost for s in sources if s.cost is not None]
    if weights:
        used.add("cost")
        merged["cost"] = [MergedDirective("cost", [("weight", str(max(weights)))])]
    sizes = [s.list_size for s in sources if s.list_size is not None]
    if sizes:
        used.add("listSize")
        merged["listSize"] = [MergedDirective("listSize", _list_size(sizes))]
    return merged


def merge_applied(
    sources: Iterable[Applied],
    used: set[str],
    *,
    extra: dict[str, list[Applied]] | None = None,
    auth_first: bool = False,
) -> tuple[list[MergedDirective], Auth]:
    """The carried directives of one element merged across subgraphs, and its access control.

    ``extra`` adds sources per access-control directive (Apollo propagates them from
    implementations to interfaces); with ``auth_first`` those directives come first.
    """
    sources = list(sources)
    extra = extra or {}
    merged: dict[str, list[MergedDirective]] = {}
    if any(s.inaccessible for s in sources):
        used.add("inaccessible")
        merged["inaccessible"] = [MergedDirective("inaccessible")]
    auth = Auth(
        authenticated=_auth([*sources, *extra.get("authenticated", [])]).authenticated,
        scopes=_auth([*sources, *extra.get("requiresScopes", [])]).scopes,
        policies=_auth([*sources, *extra.get("policy", [])]).policies,
    )
    if auth.authenticated:
        used.add("authenticated")
        merged["authenticated"] = [MergedDirective("authenticated")]
    if auth.scopes is not None:
        used.add("requiresScopes")
        merged["requiresScopes"] = [
            MergedDirective("requiresScopes", [("scopes", _matrix(auth.scopes))])
        ]
    if auth.policies is not None:
        used.add("policy")
        merged["policy"] = [MergedDirective("policy", [("policies", _matrix(auth.policies))])]
    tags: list[str] = []
    for source in sources:
        tags += [t for t in source.tags if t not in tags]
    if tags:
        used.add("tag")
        merged["tag"] = [MergedDirective("tag", [("name", print_string(t))]) for t in tags]
    merged.update(_demand_control(sources, used))
    seen: set[str] = set()
    for source in sources:
        for directive in source.others:
            printed = print_ast(directive)
            name = directive.name.value
            if printed in seen or (name == "deprecated" and name in merged):
                continue
            seen.add(printed)
            merged.setdefault(name, []).append(
                MergedDirective(
                    name, [(a.name.value, print_ast(a.value)) for a in directive.arguments or ()]
                )
            )
    order: list[str] = ["inaccessible", *_AUTH] if auth_first else []
    for source in sources:
        order += [n for n in source.order if n not in order]
    order += [n for n in merged if n not in order]
    return [d for name in order for d in merged.get(name, [])], auth
