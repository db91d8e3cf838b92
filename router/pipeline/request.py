"""Supergraph request and response between pipeline stages (GraphQL over HTTP parameters)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from router.auth.claims import Claims

__all__ = ["RequestError", "SupergraphRequest", "SupergraphResponse"]


class RequestError(Exception):
    """A request error (GraphQL spec 7.1.2): reported before execution, with no `data`."""

    def __init__(
        self,
        message: str,
        code: str,
        *,
        status: int = 400,
        extra: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.extra = extra or []

    def errors(self) -> list[dict[str, Any]]:
        if self.extra:
            return self.extra
        return [{"message": self.message, "extensions": {"code": self.code}}]


@dataclass(slots=True)
class SupergraphRequest:
    """A client GraphQL request as the pipeline sees it, independent of HTTP."""

    query: str
    operation_name: str | None = None
    variables: Mapping[str, Any] = field(default_factory=dict)
    extensions: Mapping[str, Any] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    method: str = "POST"
    context: dict[str, Any] = field(default_factory=dict)
    # the verified access token's claims (None: anonymous); set by the authentication stage
    claims: Claims | None = None


@dataclass(slots=True)
class SupergraphResponse:
    """The GraphQL response the pipeline produced."""

    data: dict[str, Any] | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)
    has_data: bool = True
    extensions: dict[str, Any] = field(default_factory=dict)

    def body(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        if self.errors:
            result["errors"] = self.errors
        if self.has_data:
            result["data"] = self.data
        if self.extensions:
            result["extensions"] = self.extensions
        return result
