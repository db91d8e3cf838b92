"""Invoice downloads over HTTP: ``GET /invoices/{id}.pdf`` and ``GET /invoices/{id}.csv``.

The same bearer token and row rules as GraphQL (a patient their own, staff and admin all);
each download is an audited read. Errors answer with the domain error's status and code.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from subgraphs.billing.invoices.documents import (
    InvoiceDocument,
    render_invoice_csv,
    render_invoice_pdf,
)
from subgraphs.billing.invoices.service import invoice_document
from subgraphs.billing.invoices.settings import InvoiceSettings
from subgraphs.common.app import REQUEST_ID_HEADER, caller_of
from subgraphs.common.audit import audited_transaction
from subgraphs.common.context import RequestContext
from subgraphs.common.errors import BadUserInput
from subgraphs.common.state import ServiceState

__all__ = ["invoice_documents_router"]

Authorization = Annotated[str | None, Header()]


async def _document(
    request: Request, invoice_id: str, authorization: str | None
) -> InvoiceDocument:
    state: ServiceState = request.app.state.service
    caller = await caller_of(state, authorization)
    try:
        parsed = uuid.UUID(invoice_id)
    except ValueError:
        raise BadUserInput("The invoice id is not a valid id.") from None
    context = RequestContext(
        caller=caller,
        database=state.database,
        request_id=request.headers.get(REQUEST_ID_HEADER) or str(uuid.uuid4()),
    )
    async with audited_transaction(context) as session:
        return await invoice_document(session, caller=caller, invoice_id=parsed)


def _filename(document: InvoiceDocument, extension: str) -> str:
    return f"{document.invoice.number or f'draft-{document.invoice.id}'}.{extension}"


def invoice_documents_router() -> APIRouter:
    router = APIRouter()

    @router.get("/invoices/{invoice_id}.pdf", response_class=Response)
    async def invoice_pdf(
        request: Request, invoice_id: str, authorization: Authorization = None
    ) -> Response:
        document = await _document(request, invoice_id, authorization)
        settings = request.app.state.service.settings
        assert isinstance(settings, InvoiceSettings)
        pdf = await run_in_threadpool(render_invoice_pdf, document, settings)
        return Response(
            pdf,
            media_type="application/pdf",
            headers={
                "content-disposition": f'inline; filename="{_filename(document, "pdf")}"',
                "cache-control": "no-store",
            },
        )

    @router.get("/invoices/{invoice_id}.csv", response_class=Response)
    async def invoice_csv(
        request: Request, invoice_id: str, authorization: Authorization = None
    ) -> Response:
        document = await _document(request, invoice_id, authorization)
        return Response(
            render_invoice_csv(document),
            media_type="text/csv; charset=utf-8",
            headers={
                "content-disposition": f'attachment; filename="{_filename(document, "csv")}"',
                "cache-control": "no-store",
            },
        )

    return router
