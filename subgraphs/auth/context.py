"""The auth service's request context: the kernel's context plus the service runtime."""

from __future__ import annotations

from subgraphs.auth.client import current_client_ip
from subgraphs.auth.runtime import AuthRuntime
from subgraphs.common.context import Caller, RequestContext
from subgraphs.common.database import Database

__all__ = ["AuthContext"]


class AuthContext(RequestContext):
    def __init__(
        self, *, caller: Caller, database: Database, request_id: str, runtime: AuthRuntime
    ) -> None:
        super().__init__(caller=caller, database=database, request_id=request_id)
        self.runtime = runtime
        self.client_ip = current_client_ip()
