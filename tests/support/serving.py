"""Serve an ASGI app with uvicorn on a free loopback port, lifespan included (for real HTTP clients)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from fastapi import FastAPI

from subgraphs.stack.ports import free_port

__all__ = ["serving_on_port"]


@asynccontextmanager
async def serving_on_port(app: FastAPI) -> AsyncIterator[int]:
    """Serve ``app`` on ``127.0.0.1:<port>`` until the block ends; yields the port."""
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", ws="websockets-sansio"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    for _ in range(500):
        if server.started:
            break
        await asyncio.sleep(0.02)
    try:
        yield port
    finally:
        server.should_exit = True
        await task
