"""``billing.v1.BillingService``: each RPC parses its request, runs the domain service in one
transaction as the service caller, and answers a message; the rules stay in ``service.py``."""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import datetime

from subgraphs.billing.accounts.service import AccountDetails, account_of_patient, ensure_account
from subgraphs.billing.grpc.caller import SERVICE_CALLER
from subgraphs.billing.grpc.messages import (
    account_message,
    invoice_message,
    line_message,
    money,
    statuses_of,
)
from subgraphs.billing.invoices.models import Invoice
from subgraphs.billing.invoices.service import (
    LineDraft,
    add_line,
    balances_of_patients,
    create_invoice,
    get_invoice,
    lines_of,
    list_invoices,
)
from subgraphs.billing.money import from_minor
from subgraphs.common.database import AsyncSession, Database
from subgraphs.common.errors import BadUserInput, NotFound
from subgraphs.common.ids import parse_id
from subgraphs.common.rpc.billing import pb
from subgraphs.common.rpc.proto.billing.v1 import billing_pb2_grpc
from subgraphs.common.rpc.server import Context, rpc

__all__ = ["DEFAULT_PAGE_SIZE", "MAX_PAGE_SIZE", "BillingServicer"]

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def _optional_id(value: str, what: str) -> uuid.UUID | None:
    return parse_id(value, what=what) if value else None


def _page_size(value: int) -> int:
    if value == 0:
        return DEFAULT_PAGE_SIZE
    if not 1 <= value <= MAX_PAGE_SIZE:
        raise BadUserInput(
            f"page_size must be between 1 and {MAX_PAGE_SIZE}.", extensions={"field": "pageSize"}
        )
    return value


def _page_token(invoice: Invoice) -> str:
    return base64.urlsafe_b64encode(invoice.created_at.isoformat().encode()).decode()


def _before(token: str) -> datetime | None:
    if not token:
        return None
    try:
        return datetime.fromisoformat(base64.urlsafe_b64decode(token.encode()).decode())
    except (ValueError, binascii.Error):
        raise BadUserInput(
            "page_token is not a token this API gave.", extensions={"field": "pageToken"}
        ) from None


async def _balance(session: AsyncSession, patient_id: uuid.UUID) -> tuple[int, str] | None:
    answer = (await balances_of_patients(session, caller=SERVICE_CALLER, patient_ids=[patient_id]))[
        patient_id
    ]
    if isinstance(answer, BaseException):
        raise answer
    return answer


async def _invoices(session: AsyncSession, invoices: list[Invoice]) -> list[pb.Invoice]:
    lines = await lines_of(session, caller=SERVICE_CALLER, invoice_ids=[i.id for i in invoices])
    return [invoice_message(invoice, lines[invoice.id]) for invoice in invoices]


class BillingServicer(billing_pb2_grpc.BillingServiceServicer):
    """Serves ``billing.v1.BillingService`` on ``database``; new accounts bill in ``currency``."""

    def __init__(self, database: Database, *, currency: str) -> None:
        self._database = database
        self._currency = currency

    @rpc
    async def EnsureAccount(  # noqa: N802 (the generated servicer's method names)
        self, request: pb.EnsureAccountRequest, _context: Context
    ) -> pb.EnsureAccountResponse:
        patient_id = parse_id(request.patient_id, what="patientId")
        details = AccountDetails(
            payer_name=request.payer_name or None,
            insurer=request.insurer or None,
            policy_number=request.policy_number or None,
        )
        user_id = _optional_id(request.patient_user_id, "patientUserId")

        async def work(session: AsyncSession) -> pb.EnsureAccountResponse:
            account, created = await ensure_account(
                session,
                patient_id=patient_id,
                actor=SERVICE_CALLER.actor,
                currency=self._currency,
                patient_user_id=user_id,
                details=details,
            )
            balance = (0, account.currency) if created else await _balance(session, patient_id)
            minor = balance[0] if balance else 0
            return pb.EnsureAccountResponse(
                account=account_message(account, minor), created=created
            )

        return await self._database.transact(work)

    @rpc
    async def GetBalance(  # noqa: N802
        self, request: pb.GetBalanceRequest, _context: Context
    ) -> pb.GetBalanceResponse:
        patient_id = parse_id(request.patient_id, what="patientId")
        async with self._database.transaction() as session:
            account = await account_of_patient(
                session, caller=SERVICE_CALLER, patient_id=patient_id
            )
            balance = await _balance(session, patient_id) if account else None
        if account is None or balance is None:
            raise NotFound("This patient has no billing account.")
        return pb.GetBalanceResponse(account_id=str(account.id), balance=money(*balance))

    @rpc
    async def CreateInvoice(  # noqa: N802
        self, request: pb.CreateInvoiceRequest, _context: Context
    ) -> pb.CreateInvoiceResponse:
        patient_id = parse_id(request.patient_id, what="patientId")

        async def work(session: AsyncSession) -> pb.CreateInvoiceResponse:
            invoice = await create_invoice(
                session,
                caller=SERVICE_CALLER,
                patient_id=patient_id,
                currency=request.currency or None,
                default_currency=self._currency,
            )
            return pb.CreateInvoiceResponse(invoice=invoice_message(invoice, []))

        return await self._database.transact(work)

    @rpc
    async def ListInvoices(  # noqa: N802
        self, request: pb.ListInvoicesRequest, _context: Context
    ) -> pb.ListInvoicesResponse:
        patient_id = parse_id(request.patient_id, what="patientId")
        size = _page_size(request.page_size)
        before = _before(request.page_token)
        statuses = statuses_of(request.statuses)
        async with self._database.transaction() as session:
            found = await list_invoices(
                session,
                caller=SERVICE_CALLER,
                patient_id=patient_id,
                statuses=statuses or None,
                limit=size + 1,
                before=before,
            )
            page = found[:size]
            invoices = await _invoices(session, page)
        token = _page_token(page[-1]) if len(found) > size else ""
        return pb.ListInvoicesResponse(invoices=invoices, next_page_token=token)

    @rpc
    async def AddLine(  # noqa: N802
        self, request: pb.AddLineRequest, _context: Context
    ) -> pb.AddLineResponse:
        invoice_id = parse_id(request.invoice_id, what="invoiceId")
        appointment_id = _optional_id(request.appointment_id, "appointmentId")

        async def work(session: AsyncSession) -> pb.AddLineResponse:
            invoice = await get_invoice(session, caller=SERVICE_CALLER, invoice_id=invoice_id)
            line = await add_line(
                session,
                caller=SERVICE_CALLER,
                invoice_id=invoice_id,
                line=LineDraft(
                    service_code=request.service_code,
                    description=request.description,
                    unit_price=from_minor(request.unit_price_minor, invoice.currency),
                    quantity=request.quantity,
                    appointment_id=appointment_id,
                ),
            )
            [message] = await _invoices(session, [invoice])
            return pb.AddLineResponse(invoice=message, line=line_message(line, invoice.currency))

        return await self._database.transact(work)
