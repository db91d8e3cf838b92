"""The development OIDC provider (``subgraphs.auth.oauth.fake``) run in the test's event loop.

Tests pick the signed-in account with ``login_hint`` and can make it misbehave (``wrong_nonce``).
"""

from __future__ import annotations

import asyncio
import secrets
from typing import Any

import uvicorn

from subgraphs.auth.oauth.fake import FakeOidcProvider
from subgraphs.stack.ports import free_port

__all__ = ["OidcProvider"]


class OidcProvider(FakeOidcProvider):
    def __init__(
        self,
        *,
        accounts: dict[str, dict[str, Any]] | None = None,
        client_id: str = "healthgraph-test",
        port: int | None = None,
    ) -> None:
        self.port = port or free_port()
        super().__init__(
            issuer=f"http://127.0.0.1:{self.port}",
            client_id=client_id,
            client_secret=secrets.token_urlsafe(16),
            accounts=accounts or {},
        )
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        config = uvicorn.Config(
            self.app(), host="127.0.0.1", port=self.port, lifespan="off", log_level="warning"
        )
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve())
        for _ in range(500):
            if self._server.started:
                return
            await asyncio.sleep(0.01)
        raise TimeoutError("the test OIDC provider did not start")

    async def stop(self) -> None:
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await self._task
