"""Random valid operations over an API schema (GraphQL spec sections 2 and 5: every one validates)."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLField,
    GraphQLFloat,
    GraphQLID,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInt,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLString,
    GraphQLUnionType,
    get_named_type,
    is_composite_type,
    parse,
    validate,
)

__all__ = ["FuzzOperation", "OperationGenerator"]

_MAX_DEPTH = 4


class _Unsupported(Exception):
    """An argument type we cannot make a value for (custom scalar): pick another field."""


@dataclass(frozen=True, slots=True)
class FuzzOperation:
    """One generated operation and the variables it is sent with."""

    query: str
    variables: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"query": self.query, "variables": self.variables}


@dataclass
class _Draft:
    rng: random.Random
    variables: dict[str, Any] = field(default_factory=dict)
    definitions: list[str] = field(default_factory=list)
    fragments: list[str] = field(default_factory=list)
    counter: int = 0

    def name(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"


class OperationGenerator:
    """Draws random valid queries: fields, aliases, fragments, @skip/@include, arguments."""

    def __init__(self, schema: GraphQLSchema, seed: int) -> None:
        self.schema = schema
        self.rng = random.Random(seed)

    def operations(self, count: int) -> list[FuzzOperation]:
        found: list[FuzzOperation] = []
        attempts = 0
        while len(found) < count and attempts < count * 20:
            attempts += 1
            operation = self.draw()
            if operation is not None:
                found.append(operation)
        return found

    def draw(self) -> FuzzOperation | None:
        root = self.schema.query_type
        if root is None:
            return None
        draft = _Draft(random.Random(self.rng.random()))
        try:
            body = self._selection_set(draft, root, 0)
        except _Unsupported:
            return None
        header = "query Fuzz"
        if draft.definitions:
            header += "(" + ", ".join(draft.definitions) + ")"
        text = "\n".join([f"{header} {body}", *draft.fragments])
        document = parse(text)
        if validate(self.schema, document):
            return None
        return FuzzOperation(text, draft.variables)

    # ------------------------------------------------------------------ selections
    def _selection_set(self, draft: _Draft, parent: GraphQLNamedType, depth: int) -> str:
        rng = draft.rng
        parts: list[str] = []
        abstract = isinstance(parent, GraphQLInterfaceType | GraphQLUnionType)
        fields = (
            dict(parent.fields)
            if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType)
            else {}
        )
        if depth >= _MAX_DEPTH or (not fields and not abstract):
            return "{ __typename }"
        count = rng.choice((1, 1, 2, 2, 3))
        for _ in range(count):
            roll = rng.random()
            if abstract and roll < 0.45:
                parts.append(self._type_fragment(draft, parent, depth))
            elif roll < 0.1:
                parts.append(self._directives(draft, "__typename"))
            elif roll < 0.18 and fields:
                inner = self._selection_set(draft, parent, depth + 1)
                parts.append(self._directives(draft, "...") + " " + inner)
            elif fields:
                name = rng.choice(sorted(fields))
                parts.append(self._field(draft, name, fields[name], depth))
        if not parts:
            parts.append("__typename")
        return "{ " + " ".join(parts) + " }"

    def _type_fragment(self, draft: _Draft, parent: GraphQLNamedType, depth: int) -> str:
        rng = draft.rng
        assert isinstance(parent, GraphQLInterfaceType | GraphQLUnionType)
        possible = sorted(t.name for t in self.schema.get_possible_types(parent))
        interfaces = sorted(
            t.name
            for t in self.schema.type_map.values()
            if isinstance(t, GraphQLInterfaceType)
            and t.name != parent.name
            and set(possible) & {p.name for p in self.schema.get_possible_types(t)}
        )
        choices = possible + interfaces[:3]
        if not choices:
            return "__typename"
        target = self.schema.type_map[rng.choice(choices)]
        inner = self._selection_set(draft, target, depth + 1)
        if rng.random() < 0.3:
            name = draft.name("F")
            draft.fragments.append(f"fragment {name} on {target.name} {inner}")
            return self._directives(draft, f"...{name}")
        return self._directives(draft, f"... on {target.name}") + " " + inner

    def _field(self, draft: _Draft, name: str, definition: GraphQLField, depth: int) -> str:
        rng = draft.rng
        text = name
        arguments: list[str] = []
        for argument_name, argument in sorted(definition.args.items()):
            required = isinstance(argument.type, GraphQLNonNull) and argument.default_value is None
            if required or rng.random() < 0.3:
                arguments.append(f"{argument_name}: {self._argument(draft, argument.type)}")
        if arguments:
            text += "(" + ", ".join(arguments) + ")"
        if arguments or rng.random() < 0.2:
            text = f"{draft.name('a')}: {text}"
        text = self._directives(draft, text)
        named = get_named_type(definition.type)
        if is_composite_type(named):
            text += " " + self._selection_set(draft, named, depth + 1)
        return text

    def _directives(self, draft: _Draft, text: str) -> str:
        rng = draft.rng
        if rng.random() >= 0.3:
            return text
        directive = rng.choice(("skip", "include"))
        value = rng.random() < 0.5
        if rng.random() < 0.5:
            condition = "true" if value else "false"
        else:
            variable = draft.name("c")
            draft.definitions.append(f"${variable}: Boolean!")
            draft.variables[variable] = value
            condition = f"${variable}"
        return f"{text} @{directive}(if: {condition})"

    # ------------------------------------------------------------------ values
    def _argument(self, draft: _Draft, type_: GraphQLInputType) -> str:
        value = self._value(draft, type_)
        if draft.rng.random() < 0.3:
            variable = draft.name("v")
            draft.definitions.append(f"${variable}: {type_}")
            draft.variables[variable] = value
            return f"${variable}"
        return _literal(value, type_)

    def _value(self, draft: _Draft, type_: GraphQLInputType) -> Any:
        rng = draft.rng
        if isinstance(type_, GraphQLNonNull):
            return self._value(draft, type_.of_type)
        if isinstance(type_, GraphQLList):
            return [self._value(draft, type_.of_type) for _ in range(rng.randint(0, 2))]
        if isinstance(type_, GraphQLEnumType):
            return rng.choice(sorted(type_.values))
        if isinstance(type_, GraphQLInputObjectType):
            return {
                name: self._value(draft, f.type)
                for name, f in sorted(type_.fields.items())
                if (isinstance(f.type, GraphQLNonNull) and f.default_value is None)
                or rng.random() < 0.3
            }
        scalars: dict[str, Callable[[], Any]] = {
            GraphQLInt.name: lambda: rng.randint(0, 5),
            GraphQLFloat.name: lambda: rng.randint(0, 8) / 2,
            GraphQLBoolean.name: lambda: rng.random() < 0.5,
            GraphQLString.name: lambda: str(rng.randint(1, 9)),
            GraphQLID.name: lambda: str(rng.randint(1, 9)),
        }
        make = scalars.get(getattr(type_, "name", ""))
        if make is None:
            raise _Unsupported(str(type_))
        return make()


def _literal(value: Any, type_: GraphQLInputType) -> str:
    if isinstance(type_, GraphQLNonNull):
        return _literal(value, type_.of_type)
    if isinstance(type_, GraphQLList):
        return "[" + ", ".join(_literal(v, type_.of_type) for v in value) + "]"
    if isinstance(type_, GraphQLEnumType):
        return str(value)
    if isinstance(type_, GraphQLInputObjectType):
        return (
            "{"
            + ", ".join(f"{k}: {_literal(v, type_.fields[k].type)}" for k, v in value.items())
            + "}"
        )
    return json.dumps(value)
