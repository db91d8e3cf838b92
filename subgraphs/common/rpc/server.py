"""A service's asyncio gRPC server: service-token auth, deadlines, status codes and the standard
health service (grpc.health.v1, https://github.com/grpc/grpc/blob/master/doc/health-checking.md).

Servicer methods are decorated with :func:`rpc`: it bounds the work by the caller's deadline and
turns any exception into a status code and a safe message (:func:`status_of`), so a caller never
sees a traceback. :class:`GrpcServerHook` runs the server for as long as the service runs.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import grpc
from fastapi import FastAPI
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from subgraphs.common.rpc.settings import GrpcServerSettings
from subgraphs.common.rpc.status import status_of
from subgraphs.common.rpc.tokens import presented_token, service_token, token_matches
from subgraphs.common.state import ServiceState

__all__ = [
    "HEALTH_SERVICE",
    "GrpcServerHook",
    "GrpcService",
    "ServiceTokenInterceptor",
    "rpc",
]

logger = logging.getLogger(__name__)

HEALTH_SERVICE = "grpc.health.v1.Health"
_Servicer = TypeVar("_Servicer")
_Request = TypeVar("_Request")
_Response = TypeVar("_Response")
Context = grpc.aio.ServicerContext[Any, Any]


def rpc(
    method: Callable[[_Servicer, _Request, Context], Awaitable[_Response]],
) -> Callable[[_Servicer, _Request, Context], Awaitable[_Response]]:
    """Run a unary servicer method within the caller's deadline, with errors as status codes."""
    name = method.__name__

    @functools.wraps(method)
    async def handle(servicer: _Servicer, request: _Request, context: Context) -> _Response:
        remaining = context.time_remaining()
        if remaining is not None and remaining <= 0:
            await context.abort(grpc.StatusCode.DEADLINE_EXCEEDED, "The deadline had passed.")
        deadline = asyncio.timeout(remaining)
        try:
            async with deadline:
                return await method(servicer, request, context)
        except grpc.aio.AbortError:
            raise  # the method chose its status itself
        except TimeoutError:
            if not deadline.expired():
                raise
            logger.info("gRPC %s ran past the caller's deadline (%.3fs)", name, remaining)
            await context.abort(grpc.StatusCode.DEADLINE_EXCEEDED, "The deadline was exceeded.")
        except Exception as exc:  # every failure becomes a status, never a traceback
            code, message = status_of(exc)
            if code is grpc.StatusCode.INTERNAL:
                logger.exception("gRPC %s failed", name)
            else:
                logger.info("gRPC %s: %s %s", name, code.name, message)
            await context.abort(code, message)

    return handle


async def _unauthenticated(_request: bytes, context: Context) -> None:
    await context.abort(
        grpc.StatusCode.UNAUTHENTICATED,
        "A valid service token is required ('authorization: Bearer <token>' metadata).",
    )


class ServiceTokenInterceptor(grpc.aio.ServerInterceptor):
    """Refuses with UNAUTHENTICATED every call without the service token (constant-time check),
    except to ``open_services`` (the health service: probes carry no secrets)."""

    def __init__(self, token: str, *, open_services: frozenset[str] = frozenset()) -> None:
        if not token:
            raise ValueError("a gRPC service token cannot be empty")
        self._token = token
        self._open = open_services
        self._refuse: grpc.RpcMethodHandler[Any, Any] = grpc.unary_unary_rpc_method_handler(
            _unauthenticated
        )

    async def intercept_service(
        self,
        continuation: Callable[
            [grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler[Any, Any] | None]
        ],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler[Any, Any] | None:
        service = handler_call_details.method.strip("/").partition("/")[0]
        if service in self._open:
            return await continuation(handler_call_details)
        presented = presented_token(handler_call_details.invocation_metadata)
        if token_matches(presented, self._token):
            return await continuation(handler_call_details)
        logger.info(
            "gRPC %s refused: %s service token",
            handler_call_details.method,
            "no" if presented is None else "a wrong",
        )
        return self._refuse


@dataclass(frozen=True, slots=True)
class GrpcService:
    """One service to serve: its full name (for health) and how to add its servicer."""

    name: str
    register: Callable[[grpc.aio.Server], None]


class GrpcServerHook:
    """The gRPC server as a ``create_service_app`` lifespan plus a readiness check.

    Serves ``services(state)`` and the health service on ``settings.grpc_host:grpc_port``; the
    port bound is ``self.port`` and ``app.state.grpc_port``. Health says SERVING for every
    service (and "") while running, NOT_SERVING from the moment the service stops.
    """

    def __init__(
        self,
        settings: GrpcServerSettings,
        *,
        data_dir: Path,
        token_name: str,
        services: Callable[[ServiceState], Sequence[GrpcService]],
    ) -> None:
        self.settings = settings
        self._data_dir = data_dir
        self._token_name = token_name
        self._services = services
        self.port: int | None = None
        self._server: grpc.aio.Server | None = None

    @asynccontextmanager
    async def __call__(self, app: FastAPI, state: ServiceState) -> AsyncIterator[None]:
        settings = self.settings
        if not settings.grpc_enabled:
            app.state.grpc_port = None
            yield
            return
        token = service_token(
            settings.grpc_service_token, data_dir=self._data_dir, name=self._token_name
        )
        server = grpc.aio.server(
            interceptors=[ServiceTokenInterceptor(token, open_services=frozenset({HEALTH_SERVICE}))]
        )
        checks = health.aio.HealthServicer()
        health_pb2_grpc.add_HealthServicer_to_server(checks, server)
        services = list(self._services(state))
        for service in services:
            service.register(server)
        address = f"{settings.grpc_host}:{settings.grpc_port}"
        try:
            self.port = server.add_insecure_port(address)
        except RuntimeError as exc:
            raise RuntimeError(f"cannot serve gRPC on {address}: {exc}") from exc
        await server.start()
        self._server = server
        serving = health_pb2.HealthCheckResponse.SERVING
        for name in ("", *(service.name for service in services)):
            await checks.set(name, serving)
        app.state.grpc_port = self.port
        logger.info(
            "gRPC serving %s on %s:%d",
            ", ".join(s.name for s in services),
            settings.grpc_host,
            self.port,
        )
        try:
            yield
        finally:
            self._server = None
            await checks.enter_graceful_shutdown()
            await server.stop(settings.grpc_shutdown_grace)

    async def check_ready(self) -> None:
        """Ready while the server runs (always, when gRPC is disabled)."""
        if self.settings.grpc_enabled and self._server is None:
            raise ConnectionError("the gRPC server is not running")
