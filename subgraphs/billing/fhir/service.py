"""FHIR read and search of Invoice, Claim and Coverage over billing's own service functions.

Every interaction runs the same service functions as GraphQL (:mod:`subgraphs.billing.invoices.service`,
:mod:`subgraphs.billing.claims.service`, :mod:`subgraphs.billing.accounts.service`) in one audited
request transaction: the row rules of :mod:`subgraphs.billing.access.policy` hold (a patient their
own, the desk everyone's), reads become ``access.read`` events and refusals ``access.denied``.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fhir.resources.R4B.resource import Resource
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.billing.access.audit import record_reads
from subgraphs.billing.access.policy import reach_of
from subgraphs.billing.accounts import service as accounts
from subgraphs.billing.claims import service as claims
from subgraphs.billing.fhir.resources import claim_resource, coverage_resource, invoice_resource
from subgraphs.billing.invoices import service as invoices
from subgraphs.common.audit import audited_transaction
from subgraphs.common.context import Caller, RequestContext
from subgraphs.common.errors import NotFound
from subgraphs.common.fhir.bundle import SearchPage, refuse_unknown
from subgraphs.common.fhir.outcome import FhirError
from subgraphs.common.fhir.references import reference_id

__all__ = ["MAX_COUNT", "READABLE", "SEARCHABLE", "SearchPage", "read", "search"]

# Search parameters per type (the CapabilityStatement lists them; others are refused).
SEARCHABLE: Mapping[str, Mapping[str, str]] = {
    "Invoice": {"patient": "reference", "subject": "reference"},
    "Claim": {"patient": "reference"},
    "Coverage": {"patient": "reference", "beneficiary": "reference"},
}
READABLE = tuple(SEARCHABLE)
# One more than a page is fetched to know whether another follows.
MAX_COUNT = invoices.MAX_PAGE - 1


def _uuid(resource_type: str, resource_id: str) -> uuid.UUID:
    try:
        return uuid.UUID(resource_id)
    except ValueError:
        raise NotFound(f"No such {resource_type}.") from None


async def _invoices(session: AsyncSession, caller: Caller, found: Sequence[Any]) -> list[Resource]:
    lines = await invoices.lines_of(session, caller=caller, invoice_ids=[i.id for i in found])
    return [invoice_resource(i, lines[i.id]) for i in found]


async def _coverage_of(
    session: AsyncSession, caller: Caller, patient_id: uuid.UUID
) -> Resource | None:
    """The Coverage of ``patient_id``'s account, if the caller may read it (FORBIDDEN, recorded,
    if not); its read is audited as billing's reads are."""
    account = await accounts.account_of_patient(session, caller=caller, patient_id=patient_id)
    coverage = None if account is None else coverage_resource(account)
    if account is not None and coverage is not None:
        await record_reads(
            session, caller, reach_of(caller), [("coverage", account.id, account.patient_id)]
        )
    return coverage


async def _read_invoice(session: AsyncSession, caller: Caller, rid: uuid.UUID) -> Resource:
    invoice = await invoices.get_invoice(session, caller=caller, invoice_id=rid)
    return (await _invoices(session, caller, [invoice]))[0]


async def _read_claim(session: AsyncSession, caller: Caller, rid: uuid.UUID) -> Resource:
    return claim_resource(await claims.get_claim(session, caller=caller, claim_id=rid))


async def _read_coverage(session: AsyncSession, caller: Caller, rid: uuid.UUID) -> Resource:
    reach_of(caller)  # UNAUTHENTICATED / FORBIDDEN before telling whether the id exists
    account = await accounts.get_account(session, account_id=rid)
    coverage = await _coverage_of(session, caller, account.patient_id)
    if coverage is None:
        raise NotFound("No such coverage: the account names no insurer.")
    return coverage


_READERS: Mapping[str, Callable[[AsyncSession, Caller, uuid.UUID], Awaitable[Resource]]] = {
    "Invoice": _read_invoice,
    "Claim": _read_claim,
    "Coverage": _read_coverage,
}


async def read(context: RequestContext, resource_type: str, resource_id: str) -> Resource:
    """One resource by id, as the row rules allow (NOT_FOUND / FORBIDDEN otherwise), audited."""
    rid = _uuid(resource_type, resource_id)
    async with audited_transaction(context) as session:
        return await _READERS[resource_type](session, context.caller, rid)


@dataclass(frozen=True, slots=True)
class _Query:
    session: AsyncSession
    caller: Caller
    params: Mapping[str, list[str]]
    count: int
    after: tuple[datetime, uuid.UUID] | None

    @property
    def before(self) -> datetime | None:
        return None if self.after is None else self.after[0]

    @property
    def after_id(self) -> uuid.UUID | None:
        return None if self.after is None else self.after[1]

    def patient(self, *names: str) -> uuid.UUID | None:
        """The patient one of ``names`` references (at most one value, one name)."""
        given = [(name, value) for name in names for value in self.params.get(name, [])]
        if len(given) > 1:
            raise FhirError(f"Give one patient ({' or '.join(names)}), not {len(given)}.")
        if not given:
            return None
        name, value = given[0]
        return reference_id(value, "Patient", field=name)

    def page(
        self, resources: list[Resource], keys: Sequence[tuple[datetime, uuid.UUID]]
    ) -> SearchPage:
        """The first ``count`` of ``resources`` (fetched one more), the cursor after them:
        the time and id of the last one (``<iso time>~<id>``)."""
        if len(resources) <= self.count:
            return SearchPage(resources)
        at, ident = keys[self.count - 1]
        return SearchPage(resources[: self.count], f"{at.isoformat()}~{ident}")


async def _search_invoices(query: _Query) -> SearchPage:
    found = await invoices.list_invoices(
        query.session,
        caller=query.caller,
        patient_id=query.patient("patient", "subject"),
        limit=query.count + 1,
        before=query.before,
        after_id=query.after_id,
    )
    resources = await _invoices(query.session, query.caller, found)
    return query.page(resources, [(i.created_at, i.id) for i in found])


async def _search_claims(query: _Query) -> SearchPage:
    found = await claims.list_claims(
        query.session,
        caller=query.caller,
        patient_id=query.patient("patient"),
        limit=query.count + 1,
        before=query.before,
        after_id=query.after_id,
    )
    return query.page([claim_resource(c) for c in found], [(c.submitted_at, c.id) for c in found])


async def _search_coverage(query: _Query) -> SearchPage:
    patient_id = query.patient("patient", "beneficiary")
    if patient_id is None:
        raise FhirError("Search Coverage by patient (or beneficiary): Patient/<id>.")
    coverage = await _coverage_of(query.session, query.caller, patient_id)
    return SearchPage([] if coverage is None or query.after is not None else [coverage])


_SEARCHES: Mapping[str, Callable[[_Query], Awaitable[SearchPage]]] = {
    "Invoice": _search_invoices,
    "Claim": _search_claims,
    "Coverage": _search_coverage,
}


def _cursor(raw: str | None) -> tuple[datetime, uuid.UUID] | None:
    """The position a ``_cursor`` of :meth:`_Query.page` names."""
    if raw is None:
        return None
    at, _, ident = raw.partition("~")
    try:
        return datetime.fromisoformat(at), uuid.UUID(ident)
    except ValueError:
        raise FhirError("_cursor is not one this server gave.") from None


async def search(
    context: RequestContext,
    resource_type: str,
    params: Mapping[str, list[str]],
    *,
    count: int,
    cursor: str | None,
) -> SearchPage:
    """One page (newest first) of the resources matching ``params`` that the caller may read."""
    refuse_unknown(params, SEARCHABLE[resource_type], resource_type)
    after = _cursor(cursor)
    async with audited_transaction(context) as session:
        query = _Query(session, context.caller, params, count, after)
        return await _SEARCHES[resource_type](query)
