"""Billing rows as FHIR R4 resources (R4B models): Invoice, Claim and Coverage (FHIR R4 financial module).

Computed from our tables, never stored twice. A Coverage is a billing account's insurance (its
insurer and policy number) and carries the account's id; a Claim's insurance points at it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from fhir.resources.R4B.claim import Claim as FhirClaim
from fhir.resources.R4B.coverage import Coverage as FhirCoverage
from fhir.resources.R4B.invoice import Invoice as FhirInvoice

from subgraphs.billing.accounts.models import BillingAccount
from subgraphs.billing.claims.models import Claim
from subgraphs.billing.invoices.models import Invoice, InvoiceLine, InvoiceStatus
from subgraphs.billing.money import from_minor

__all__ = [
    "CLAIM_STATUS_SYSTEM",
    "INVOICE_STATUSES",
    "claim_resource",
    "coverage_resource",
    "invoice_resource",
]

# Our invoice statuses as FHIR's invoice-status codes (our own code stays in meta.tag).
INVOICE_STATUSES: dict[str, str] = {
    InvoiceStatus.DRAFT: "draft",
    InvoiceStatus.ISSUED: "issued",
    InvoiceStatus.PARTIALLY_PAID: "issued",
    InvoiceStatus.PAID: "balanced",
    InvoiceStatus.VOID: "cancelled",
}
INVOICE_STATUS_SYSTEM = "urn:healthgraph:invoice-status"
CLAIM_STATUS_SYSTEM = "urn:healthgraph:claim-status"
_NUMBER_SYSTEM = "urn:healthgraph:invoice-number"
_SERVICE_SYSTEM = "urn:healthgraph:service-code"
_CODE_SYSTEM = "urn:healthgraph:claim-code"
_POLICY_SYSTEM = "urn:healthgraph:policy-number"


def _money(minor: int, currency: str) -> dict[str, Any]:
    return {"value": from_minor(minor, currency), "currency": currency}


def _meta(version: int, updated: datetime, tag: tuple[str, str] | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"versionId": str(version), "lastUpdated": updated.isoformat()}
    if tag is not None:
        meta["tag"] = [{"system": tag[0], "code": tag[1]}]
    return meta


def _patient(patient_id: object) -> dict[str, str]:
    return {"reference": f"Patient/{patient_id}"}


def _line_item(line: InvoiceLine, currency: str) -> dict[str, Any]:
    components: list[dict[str, Any]] = [
        {
            "type": "base",
            "factor": line.quantity,
            "amount": _money(line.unit_price_minor * line.quantity, currency),
        }
    ]
    if line.discount_minor:
        components.append({"type": "discount", "amount": _money(line.discount_minor, currency)})
    if line.tax_minor:
        components.append({"type": "tax", "amount": _money(line.tax_minor, currency)})
    return {
        "sequence": line.position,
        "chargeItemCodeableConcept": {
            "coding": [{"system": _SERVICE_SYSTEM, "code": line.service_code}],
            "text": line.description,
        },
        "priceComponent": components,
    }


def invoice_resource(invoice: Invoice, lines: Sequence[InvoiceLine]) -> FhirInvoice:
    """An invoice (or credit note) with its ``lines`` (those the caller may read)."""
    currency = invoice.currency
    body: dict[str, Any] = {
        "resourceType": "Invoice",
        "id": str(invoice.id),
        "meta": _meta(
            invoice.version, invoice.updated_at, (INVOICE_STATUS_SYSTEM, str(invoice.status))
        ),
        "status": INVOICE_STATUSES[invoice.status],
        "type": {"coding": [{"system": "urn:healthgraph:invoice-kind", "code": invoice.kind}]},
        "subject": _patient(invoice.patient_id),
        "date": (invoice.issued_at or invoice.created_at).isoformat(),
        "totalNet": _money(invoice.subtotal_minor - invoice.discount_minor, currency),
        "totalGross": _money(invoice.total_minor, currency),
        "lineItem": [_line_item(line, currency) for line in lines],
    }
    if invoice.number is not None:
        body["identifier"] = [{"system": _NUMBER_SYSTEM, "value": invoice.number}]
    if invoice.void_reason is not None:
        body["cancelledReason"] = invoice.void_reason
    return FhirInvoice.model_validate(body)


def claim_resource(claim: Claim) -> FhirClaim:
    """A claim to the insurer of its account (the Coverage of the same id)."""
    return FhirClaim.model_validate(
        {
            "resourceType": "Claim",
            "id": str(claim.id),
            "meta": _meta(claim.version, claim.updated_at, (CLAIM_STATUS_SYSTEM, claim.status)),
            "identifier": [{"system": "urn:healthgraph:claim-hash", "value": claim.content_hash}],
            "status": "active",
            "type": {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/claim-type",
                        "code": "professional",
                    }
                ]
            },
            "use": "claim",
            "patient": _patient(claim.patient_id),
            "created": claim.submitted_at.isoformat(),
            "insurer": {"display": claim.payer},
            "provider": {"display": "healthgraph"},
            "priority": {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/processpriority",
                        "code": "normal",
                    }
                ]
            },
            "insurance": [
                {
                    "sequence": 1,
                    "focal": True,
                    "identifier": {"system": _POLICY_SYSTEM, "value": claim.policy_number},
                    "coverage": {"reference": f"Coverage/{claim.account_id}"},
                }
            ],
            "diagnosis": [
                {
                    "sequence": index,
                    "diagnosisCodeableConcept": {
                        "coding": [{"system": _CODE_SYSTEM, "code": code}]
                    },
                }
                for index, code in enumerate(claim.codes, start=1)
            ],
            "total": _money(claim.amount_minor, claim.currency),
        }
    )


def coverage_resource(account: BillingAccount) -> FhirCoverage | None:
    """The insurance of ``account`` (None when it names no insurer)."""
    if not account.insurer:
        return None
    body: dict[str, Any] = {
        "resourceType": "Coverage",
        "id": str(account.id),
        "meta": _meta(account.version, account.updated_at),
        "status": "active",
        "beneficiary": _patient(account.patient_id),
        "payor": [{"display": account.insurer}],
    }
    if account.policy_number:
        body["identifier"] = [{"system": _POLICY_SYSTEM, "value": account.policy_number}]
        body["subscriberId"] = account.policy_number
    return FhirCoverage.model_validate(body)
