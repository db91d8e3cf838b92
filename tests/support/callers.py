"""Callers of every role for service-level tests, and the access tokens that carry them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

import httpx

from subgraphs.common.context import Caller, Role
from subgraphs.common.database import Database
from subgraphs.common.tokens import scope_claim
from tests.support.tokens import mint

__all__ = ["ServiceApi", "make_caller", "token_for"]


def make_caller(
    role: Role, *, user_id: uuid.UUID | None = None, scopes: Iterable[str] | None = None
) -> Caller:
    """A verified caller of ``role``: the role table's scopes unless ``scopes`` is given."""
    return Caller.from_claims(
        {
            "sub": str(user_id or uuid.uuid4()),
            "role": role.value,
            "scope": scope_claim(role) if scopes is None else " ".join(scopes),
            "jti": uuid.uuid4().hex,
        }
    )


def token_for(caller: Caller) -> str:
    """A signed access token carrying ``caller``'s user id, role and scopes."""
    assert caller.role is not None
    return mint(role=caller.role, user_id=caller.user_id, scopes=sorted(caller.scopes))


class ServiceApi:
    """A subgraph app over in-process HTTP, with a helper to run GraphQL as any caller."""

    def __init__(self, http: httpx.AsyncClient, database: Database) -> None:
        self.http = http
        self.database = database

    async def execute(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        caller: Caller | None = None,
        token: str | None = None,
    ) -> dict[str, Any]:
        """Run ``query`` as ``caller`` (a freshly minted token) or with ``token`` as is."""
        bearer = token_for(caller) if caller is not None else token
        headers = {"authorization": f"Bearer {bearer}"} if bearer else {}
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": dict(variables or {})}, headers=headers
        )
        body: dict[str, Any] = response.json()
        return body
