"""What a running service holds for its lifetime, and the signature of its lifespan hooks."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from fastapi import FastAPI

from subgraphs.common.context import TokenVerifier
from subgraphs.common.database import Database
from subgraphs.common.settings import ServiceSettings

__all__ = ["Lifespan", "ServiceState"]


class ServiceState:
    """What one running service holds for its lifetime; available as ``app.state.service``."""

    def __init__(self, settings: ServiceSettings, database: Database) -> None:
        self.settings = settings
        self.database = database
        self.verifier: TokenVerifier | None = None


Lifespan = Callable[[FastAPI, ServiceState], AbstractAsyncContextManager[None]]
