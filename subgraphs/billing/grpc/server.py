"""Serving billing's gRPC API for as long as the billing service runs."""

from __future__ import annotations

from pathlib import Path

import grpc

from subgraphs.billing.grpc.servicer import BillingServicer
from subgraphs.common.rpc.billing import BILLING_GRPC_ID, BILLING_SERVICE
from subgraphs.common.rpc.proto.billing.v1 import billing_pb2_grpc
from subgraphs.common.rpc.server import GrpcServerHook, GrpcService
from subgraphs.common.rpc.settings import GrpcServerSettings
from subgraphs.common.state import ServiceState

__all__ = ["billing_grpc_server"]


def billing_grpc_server(
    settings: GrpcServerSettings, *, currency: str, data_dir: Path
) -> GrpcServerHook:
    """A lifespan serving ``billing.v1.BillingService`` and health on ``BILLING_GRPC_PORT``, for
    callers presenting the service token (``BILLING_GRPC_SERVICE_TOKEN``, else generated into
    ``<data dir>/keys/billing-grpc.token``)."""

    def services(state: ServiceState) -> list[GrpcService]:
        servicer = BillingServicer(state.database, currency=currency)

        def register(server: grpc.aio.Server) -> None:
            billing_pb2_grpc.add_BillingServiceServicer_to_server(servicer, server)

        return [GrpcService(BILLING_SERVICE, register)]

    return GrpcServerHook(
        settings, data_dir=data_dir, token_name=BILLING_GRPC_ID, services=services
    )
