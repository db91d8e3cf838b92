"""Who a gRPC call acts as: the calling service, holding the service token, is the billing desk."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from subgraphs.common.context import Caller, Role
from subgraphs.common.tokens.scopes import Scope

__all__ = ["SERVICE_CALLER", "ServiceCaller"]


@dataclass(frozen=True, slots=True)
class ServiceCaller(Caller):
    """A service, not a person: recorded on events and audit entries as ``service:<name>``."""

    service: str = "grpc"

    @property
    def actor(self) -> str:
        return f"service:{self.service}"


SERVICE_CALLER = ServiceCaller(
    # A fixed id: the domain rules want an authenticated caller; no user account has it.
    user_id=uuid.uuid5(uuid.NAMESPACE_URL, "urn:healthgraph:service:billing-grpc"),
    role=Role.STAFF,
    scopes=frozenset({Scope.BILLING_READ.value, Scope.BILLING_WRITE.value}),
    service="billing-grpc",
)
