"""A typed ``strawberry.federation.field`` decorator (Strawberry types the parametrised form as Any)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

import strawberry
from strawberry.extensions import FieldExtension

__all__ = ["field"]

F = TypeVar("F", bound=Callable[..., Any])


def field(
    *,
    description: str | None = None,
    authenticated: bool = False,
    requires_scopes: list[list[str]] | None = None,
    policy: list[list[str]] | None = None,
    subscription: bool = False,
    extensions: Sequence[FieldExtension] = (),
) -> Callable[[F], F]:
    """``@field(description=...)`` on a resolver method, keeping its type.

    The directive arguments are only printed in the SDL; enforcing them is the caller's job
    (see :func:`subgraphs.common.field_guard.guarded`). With ``subscription=True`` the method
    is an async generator serving a subscription.
    """
    directives: dict[str, Any] = {"authenticated": authenticated}
    if requires_scopes is not None:
        directives["requires_scopes"] = requires_scopes
    if policy is not None:
        directives["policy"] = policy
    return cast(
        "Callable[[F], F]",
        strawberry.federation.field(
            description=description,
            is_subscription=subscription,
            extensions=list(extensions),
            **directives,
        ),
    )
