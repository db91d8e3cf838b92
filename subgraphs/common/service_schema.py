"""The Federation v2 schema every subgraph builds: shared extensions, safe scalars, checked ``_entities``.

A subgraph's schema is ``ServiceSchema(query=..., mutation=..., extensions=[its own])``; the
kernel's extensions come first (:data:`SERVICE_EXTENSIONS`), ``Date``/``DateTime`` are parsed
within :mod:`subgraphs.common.scalars`' range, and malformed ``_entities`` representations are
answered BAD_USER_INPUT (:mod:`subgraphs.common.entities`) with one log line per request.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.federation import Schema
from strawberry.federation.schema import FederationAny
from strawberry.types import ExecutionContext, Info

from subgraphs.common.entities import representation_problem
from subgraphs.common.graphql_errors import ErrorCodes
from subgraphs.common.guard import OperationGuard
from subgraphs.common.scalars import SCALAR_OVERRIDES
from subgraphs.common.telemetry.metrics import OperationMetrics

__all__ = ["SERVICE_EXTENSIONS", "ServiceSchema"]

logger = logging.getLogger(__name__)

Extension = type[SchemaExtension] | Callable[[], SchemaExtension]

# ErrorCodes first: it formats the result last, after the guard has tagged its errors.
SERVICE_EXTENSIONS: tuple[Extension, ...] = (OperationMetrics, ErrorCodes, OperationGuard)


class ServiceSchema(Schema):
    """``strawberry.federation.Schema`` with the kernel's extensions, scalars and entity checks."""

    def __init__(self, *, extensions: Iterable[Extension] = (), **kwargs: Any) -> None:
        overrides = {**SCALAR_OVERRIDES, **(kwargs.pop("scalar_overrides", None) or {})}
        super().__init__(
            extensions=[*SERVICE_EXTENSIONS, *extensions], scalar_overrides=overrides, **kwargs
        )
        self._references: dict[str, Callable[..., Any]] | None = None

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Strawberry would log every error with its traceback; :class:`ErrorCodes` logs instead.

        Expected errors (domain errors, refused input) are not logged; unexpected ones are,
        once, with their traceback (:func:`subgraphs.common.graphql_errors.format_error`).
        """

    def _entity_references(self) -> dict[str, Callable[..., Any]]:
        if self._references is None:
            references: dict[str, Callable[..., Any]] = {}
            for name, type_ in self.schema_converter.type_map.items():
                origin = getattr(getattr(type_, "definition", None), "origin", None)
                resolve = getattr(origin, "resolve_reference", None)
                if resolve is not None:
                    references[name] = resolve
            self._references = references
        return self._references

    def entities_resolver(
        self, info: Info, representations: list[FederationAny]
    ) -> list[FederationAny]:
        """Each well-formed representation resolved; each malformed one a BAD_USER_INPUT."""
        references = self._entity_references()
        results: list[FederationAny] = []
        refused: list[tuple[int, str]] = []
        for index, representation in enumerate(representations):
            problem = representation_problem(representation, references)
            if problem is None:
                results.extend(super().entities_resolver(info, [representation]))
            else:
                refused.append((index, problem.message))
                results.append(problem)  # type: ignore[arg-type]
        if refused:
            index, reason = refused[0]
            logger.warning(
                "_entities refused %d malformed representation(s); the first, #%d: %s (request %s)",
                len(refused),
                index,
                reason,
                getattr(info.context, "request_id", "-"),
            )
        return results
