"""The processes ``healthgraph up`` runs: each subgraph (uvicorn) and the router."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["SUBGRAPHS", "ServiceSpec", "router_command", "subgraph_command"]


@dataclass(frozen=True, slots=True)
class ServiceSpec:
    """A subgraph: its name (also its database and migrations), env prefix and app factory."""

    name: str
    env_prefix: str
    factory: str

    @property
    def available(self) -> bool:
        """True when this checkout contains the service's app module."""
        module = self.factory.partition(":")[0]
        try:
            return importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:
            return False

    @property
    def database(self) -> str:
        return f"healthgraph_{self.name}"


SUBGRAPHS: tuple[ServiceSpec, ...] = (
    ServiceSpec("auth", "AUTH_", "subgraphs.auth.app:create_app"),
    ServiceSpec("clinical", "CLINICAL_", "subgraphs.clinical.app:create_app"),
    ServiceSpec("billing", "BILLING_", "subgraphs.billing.app:create_app"),
)


def subgraph_command(spec: ServiceSpec, host: str, port: int) -> list[str]:
    return [
        sys.executable, "-m", "uvicorn", spec.factory, "--factory",
        "--host", host, "--port", str(port), "--no-access-log", "--timeout-graceful-shutdown", "5",
        # auth derives the client's address itself, trusting only the router (never uvicorn's
        # default of believing X-Forwarded-For from 127.0.0.1)
        "--no-proxy-headers",
    ]  # fmt: skip


def router_command(supergraph: Path, port: int, config: Path | None = None) -> list[str] | None:
    """The router's command line, or None while this checkout has no router entry point.

    ``config`` (the checkout's ``router.yaml``: authorization policies) is passed when it exists.
    """
    try:
        found = importlib.util.find_spec("router.__main__") is not None
    except ModuleNotFoundError:
        found = False
    if not found or not supergraph.is_file():
        return None
    command = [sys.executable, "-m", "router", "--supergraph", str(supergraph), "--port", str(port)]
    if config is not None and config.is_file():
        command += ["--config", str(config)]
    return command
