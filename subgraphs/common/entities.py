"""Checks of ``_entities`` representations before ``resolve_reference`` runs (Federation v2 spec).

Apollo Federation subgraph specification, ``_entities``
(https://www.apollographql.com/docs/graphos/schema-design/federated-schemas/reference/subgraph-spec).
A representation is an object naming an entity type in ``__typename`` plus that type's key
fields. Anything else (not an object, an unknown type, missing or unknown fields, a key of the
wrong type) is the client's mistake: BAD_USER_INPUT for that representation alone.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

import strawberry

from subgraphs.common.errors import BadUserInput

__all__ = ["representation_problem"]

# Annotations (as written, or resolved) of key parameters whose values must be GraphQL IDs.
_ID_ANNOTATIONS: frozenset[object] = frozenset({strawberry.ID, str, "strawberry.ID", "ID", "str"})


_NOT_KEYS = frozenset({"info", "cls", "self"})


def _is_id(annotation: object) -> bool:
    try:
        return annotation in _ID_ANNOTATIONS
    except TypeError:  # an unhashable annotation is no ID
        return False


@cache
def _parameters(
    resolve_reference: Callable[..., Any],
) -> tuple[dict[str, tuple[bool, bool]], bool]:
    """Key parameters (name -> (required, is an ID)) and whether ``**kwargs`` takes any other."""
    keys: dict[str, tuple[bool, bool]] = {}
    open_ended = False
    for name, parameter in inspect.signature(resolve_reference).parameters.items():
        if parameter.kind is inspect.Parameter.VAR_KEYWORD:
            open_ended = True
        elif name not in _NOT_KEYS and parameter.kind is not inspect.Parameter.VAR_POSITIONAL:
            required = parameter.default is inspect.Parameter.empty
            keys[name] = (required, _is_id(parameter.annotation))
    return keys, open_ended


def representation_problem(
    representation: object, entity_types: Mapping[str, Callable[..., Any]]
) -> BadUserInput | None:
    """Why ``representation`` cannot be resolved, or None when it is well formed.

    ``entity_types`` maps each entity type name to its ``resolve_reference``.
    """
    if not isinstance(representation, dict):
        return BadUserInput("A representation must be an object.")
    typename = representation.get("__typename")
    if not isinstance(typename, str) or typename not in entity_types:
        return BadUserInput(
            "A representation must name an entity type of this subgraph in __typename.",
            extensions={"typename": typename if isinstance(typename, str) else None},
        )
    keys, open_ended = _parameters(entity_types[typename])
    given = set(representation) - {"__typename"}
    missing = sorted(name for name, (required, _) in keys.items() if required and name not in given)
    unknown = [] if open_ended else sorted(given - set(keys))
    if missing or unknown:
        parts = [f"missing {', '.join(missing)}"] if missing else []
        parts += [f"unknown {', '.join(unknown)}"] if unknown else []
        return BadUserInput(
            f"The {typename} representation has {'; '.join(parts)}.",
            extensions={"typename": typename, "missing": missing, "unknown": unknown},
        )
    for name, (_, is_id) in keys.items():
        value = representation.get(name)
        if (
            is_id
            and value is not None
            and (not isinstance(value, str | int) or isinstance(value, bool))
        ):
            return BadUserInput(
                f"The {typename} representation's {name} must be an ID.",
                extensions={"typename": typename, "field": name},
            )
    return None
