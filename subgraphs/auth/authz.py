"""Service-layer authorization: the same scopes the schema directives declare, enforced here."""

from __future__ import annotations

import uuid

from subgraphs.common.context import Caller
from subgraphs.common.errors import Forbidden
from subgraphs.common.tokens import Scope

__all__ = ["require_scope", "require_self_or_scope"]


def require_scope(caller: Caller, scope: Scope) -> uuid.UUID:
    """The caller's id when its token carries ``scope``; UNAUTHENTICATED or FORBIDDEN otherwise."""
    user_id = caller.require_authenticated()
    if not caller.has_scopes(scope.value):
        raise Forbidden(f"This needs the {scope.value} scope.")
    return user_id


def require_self_or_scope(caller: Caller, owner: uuid.UUID, scope: Scope) -> uuid.UUID:
    """Allow the owner of a record, or a caller holding ``scope``."""
    user_id = caller.require_authenticated()
    if user_id != owner and not caller.has_scopes(scope.value):
        raise Forbidden(f"This needs the {scope.value} scope.")
    return user_id
