"""The billing gRPC API (``billing.v1.BillingService``): its names and a typed asyncio client."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from types import TracebackType

import grpc

from subgraphs.common.rpc.proto.billing.v1 import billing_pb2 as pb
from subgraphs.common.rpc.proto.billing.v1 import billing_pb2_grpc
from subgraphs.common.rpc.tokens import bearer_metadata

__all__ = [
    "BILLING_DEFAULT_GRPC_PORT",
    "BILLING_GRPC_ID",
    "BILLING_SERVICE",
    "BillingClient",
    "pb",
]

BILLING_SERVICE = "billing.v1.BillingService"
BILLING_DEFAULT_GRPC_PORT = 4013
# Its name in files: the service token is <data dir>/keys/billing-grpc.token unless configured.
BILLING_GRPC_ID = "billing-grpc"


class BillingClient:
    """Calls billing over one channel, each call with the service token and a deadline
    (``timeout`` seconds unless a call gives its own ``deadline``). Failures raise ``grpc.aio.AioRpcError``
    with the status code (UNAVAILABLE while billing is down, DEADLINE_EXCEEDED when slow).

    Create it inside the event loop that uses it; ``async with`` closes the channel.
    """

    def __init__(self, target: str, token: str, *, timeout: float = 2.0) -> None:
        self.target = target
        self.timeout = timeout
        self._channel = grpc.aio.insecure_channel(target)
        self._stub = billing_pb2_grpc.BillingServiceStub(self._channel)
        self._metadata = bearer_metadata(token)

    async def __aenter__(self) -> BillingClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        await self._channel.close()

    def _seconds(self, deadline: float | None) -> float:
        return self.timeout if deadline is None else deadline

    async def ensure_account(
        self,
        *,
        patient_id: uuid.UUID,
        patient_user_id: uuid.UUID | None = None,
        payer_name: str = "",
        insurer: str = "",
        policy_number: str = "",
        deadline: float | None = None,
    ) -> pb.EnsureAccountResponse:
        """The patient's account, created by the first call (``created``), the same one after."""
        request = pb.EnsureAccountRequest(
            patient_id=str(patient_id),
            patient_user_id=str(patient_user_id) if patient_user_id else "",
            payer_name=payer_name,
            insurer=insurer,
            policy_number=policy_number,
        )
        response: pb.EnsureAccountResponse = await self._stub.EnsureAccount(
            request, timeout=self._seconds(deadline), metadata=self._metadata
        )
        return response

    async def get_balance(
        self, *, patient_id: uuid.UUID, deadline: float | None = None
    ) -> pb.GetBalanceResponse:
        request = pb.GetBalanceRequest(patient_id=str(patient_id))
        response: pb.GetBalanceResponse = await self._stub.GetBalance(
            request, timeout=self._seconds(deadline), metadata=self._metadata
        )
        return response

    async def create_invoice(
        self, *, patient_id: uuid.UUID, currency: str = "", deadline: float | None = None
    ) -> pb.Invoice:
        request = pb.CreateInvoiceRequest(patient_id=str(patient_id), currency=currency)
        response: pb.CreateInvoiceResponse = await self._stub.CreateInvoice(
            request, timeout=self._seconds(deadline), metadata=self._metadata
        )
        return response.invoice

    async def list_invoices(
        self,
        *,
        patient_id: uuid.UUID,
        statuses: Iterable[pb.InvoiceStatus] = (),
        page_size: int = 0,
        page_token: str = "",
        deadline: float | None = None,
    ) -> pb.ListInvoicesResponse:
        request = pb.ListInvoicesRequest(
            patient_id=str(patient_id),
            statuses=list(statuses),
            page_size=page_size,
            page_token=page_token,
        )
        response: pb.ListInvoicesResponse = await self._stub.ListInvoices(
            request, timeout=self._seconds(deadline), metadata=self._metadata
        )
        return response

    async def add_line(
        self,
        *,
        invoice_id: uuid.UUID,
        service_code: str,
        description: str,
        quantity: int,
        unit_price_minor: int,
        appointment_id: uuid.UUID | None = None,
        deadline: float | None = None,
    ) -> pb.AddLineResponse:
        request = pb.AddLineRequest(
            invoice_id=str(invoice_id),
            service_code=service_code,
            description=description,
            quantity=quantity,
            unit_price_minor=unit_price_minor,
            appointment_id=str(appointment_id) if appointment_id else "",
        )
        response: pb.AddLineResponse = await self._stub.AddLine(
            request, timeout=self._seconds(deadline), metadata=self._metadata
        )
        return response
