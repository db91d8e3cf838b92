"""Liveness (``/health``) and readiness (``/ready``: database and broker reachable) endpoints."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from fastapi import APIRouter
from fastapi.responses import JSONResponse

__all__ = ["ReadinessCheck", "broker_reachable", "health_router"]

ReadinessCheck = Callable[[], Awaitable[None]]


async def broker_reachable(bootstrap_servers: str, *, connect_timeout: float = 1.0) -> None:
    """Raise unless some bootstrap server accepts a TCP connection within ``connect_timeout``."""
    last_error: Exception | None = None
    for server in bootstrap_servers.split(","):
        host, _, port = server.strip().rpartition(":")
        try:
            _, writer = await asyncio.wait_for(
                asyncio.open_connection(host, int(port)), connect_timeout
            )
        except (OSError, TimeoutError, ValueError) as exc:
            last_error = exc
            continue
        writer.close()
        await writer.wait_closed()
        return
    raise ConnectionError(f"no Kafka bootstrap server reachable: {last_error}")


def health_router(checks: dict[str, ReadinessCheck]) -> APIRouter:
    """``GET /health`` answers while the process runs; ``GET /ready`` runs every check."""
    router = APIRouter(tags=["health"])

    @router.get("/health")
    async def health() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    @router.get("/ready")
    async def ready() -> JSONResponse:
        async def run(check: ReadinessCheck) -> str:
            try:
                await asyncio.wait_for(check(), 2.0)
            except Exception as exc:  # noqa: BLE001 (any failure means not ready; reported by name)
                return f"failed: {type(exc).__name__}"
            return "ok"

        names = list(checks)
        results = await asyncio.gather(*(run(checks[name]) for name in names))
        report = dict(zip(names, results, strict=True))
        status = 200 if all(result == "ok" for result in results) else 503
        return JSONResponse(
            {"status": "ok" if status == 200 else "unavailable", "checks": report},
            status_code=status,
        )

    return router
