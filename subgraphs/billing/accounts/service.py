"""Billing accounts: created idempotently per patient, read under the billing row rules."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.billing.access.policy import can_read_account, reach_of, refuse, require_write
from subgraphs.billing.accounts.models import BillingAccount
from subgraphs.billing.events import record_billing_event
from subgraphs.billing.money import check_currency
from subgraphs.common.context import Caller
from subgraphs.common.errors import BadUserInput, NotFound

__all__ = [
    "PAYER_FIELDS",
    "AccountDetails",
    "account_of_patient",
    "accounts_by_patient",
    "accounts_of_patients",
    "ensure_account",
    "get_account",
    "open_account",
    "update_account",
]

# Payer details a caller may set, with their maximum lengths.
PAYER_FIELDS: Mapping[str, int] = {
    "payer_name": 200,
    "payer_email": 254,
    "payer_address": 500,
    "insurer": 200,
    "policy_number": 100,
}


@dataclass(frozen=True, slots=True)
class AccountDetails:
    """Payer and insurance details; None leaves a field as it is."""

    payer_name: str | None = None
    payer_email: str | None = None
    payer_address: str | None = None
    insurer: str | None = None
    policy_number: str | None = None

    def cleaned(self) -> dict[str, str | None]:
        """The fields given, stripped (an empty string clears the field), lengths checked."""
        values: dict[str, str | None] = {}
        for name, limit in PAYER_FIELDS.items():
            value = getattr(self, name)
            if value is None:
                continue
            stripped = value.strip()
            if len(stripped) > limit:
                raise BadUserInput(
                    f"{name} is longer than {limit} characters.", extensions={"field": name}
                )
            if name == "payer_email" and stripped and "@" not in stripped:
                raise BadUserInput(
                    "payer_email is not an email address.", extensions={"field": name}
                )
            values[name] = stripped or None
        return values


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _payload(account: BillingAccount) -> dict[str, Any]:
    return {
        "accountId": str(account.id),
        "patientId": str(account.patient_id),
        "patientUserId": str(account.patient_user_id) if account.patient_user_id else None,
        "currency": account.currency,
        "insurer": account.insurer,
        "version": account.version,
    }


async def ensure_account(
    session: AsyncSession,
    *,
    patient_id: uuid.UUID,
    actor: str,
    currency: str,
    patient_user_id: uuid.UUID | None = None,
    details: AccountDetails | None = None,
    now: datetime | None = None,
) -> tuple[BillingAccount, bool]:
    """The patient's account, created now when there is none: ``(account, created)``.

    Idempotent under concurrency (``INSERT .. ON CONFLICT DO NOTHING`` on the unique patient id),
    so a gRPC call and the ``patient.registered`` event may race. A known ``patient_user_id``
    fills in an account that had none; details apply only when the account is created. The
    account row comes back locked (``FOR UPDATE``) for the rest of the transaction.
    """
    when = _now(now)
    values = {
        "id": uuid.uuid4(),
        "patient_id": patient_id,
        "patient_user_id": patient_user_id,
        "currency": check_currency(currency),
        "version": 1,
        "created_at": when,
        "created_by": actor,
        "updated_at": when,
        "updated_by": actor,
        **(details.cleaned() if details else {}),
    }
    inserted = (
        await session.exec(
            insert(BillingAccount)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["patient_id"])
            .returning(col(BillingAccount.id))
        )
    ).first()
    account = (
        await session.exec(
            select(BillingAccount)
            .where(col(BillingAccount.patient_id) == patient_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).one()
    created = inserted is not None
    if created:
        await record_billing_event(
            session,
            type="account.created",
            aggregate_type="billing_account",
            aggregate_id=str(account.id),
            actor=actor,
            payload=_payload(account),
        )
    elif patient_user_id is not None and account.patient_user_id is None:
        account.patient_user_id = patient_user_id
        await _touch(session, account, actor, when)
    return account, created


async def _touch(
    session: AsyncSession, account: BillingAccount, actor: str, when: datetime
) -> None:
    account.version += 1
    account.updated_at = when
    account.updated_by = actor
    session.add(account)
    await session.flush()
    await record_billing_event(
        session,
        type="account.updated",
        aggregate_type="billing_account",
        aggregate_id=str(account.id),
        actor=actor,
        payload=_payload(account),
    )


async def open_account(
    session: AsyncSession,
    *,
    caller: Caller,
    patient_id: uuid.UUID,
    currency: str,
    patient_user_id: uuid.UUID | None = None,
    details: AccountDetails | None = None,
) -> BillingAccount:
    """The billing desk opens (or finds) a patient's account."""
    require_write(caller)
    account, _ = await ensure_account(
        session,
        patient_id=patient_id,
        actor=caller.actor,
        currency=currency,
        patient_user_id=patient_user_id,
        details=details,
    )
    return account


async def update_account(
    session: AsyncSession,
    *,
    caller: Caller,
    patient_id: uuid.UUID,
    details: AccountDetails,
    now: datetime | None = None,
) -> BillingAccount:
    """Change the payer and insurance details of a patient's account (the billing desk)."""
    require_write(caller)
    account = (
        await session.exec(
            select(BillingAccount)
            .where(col(BillingAccount.patient_id) == patient_id)
            .with_for_update()
        )
    ).first()
    if account is None:
        raise NotFound("This patient has no billing account.")
    for name, value in details.cleaned().items():
        setattr(account, name, value)
    await _touch(session, account, caller.actor, _now(now))
    return account


async def get_account(session: AsyncSession, *, account_id: uuid.UUID) -> BillingAccount:
    """An account by id, no access check (internal callers: consumers, other billing domains)."""
    account = await session.get(BillingAccount, account_id)
    if account is None:
        raise NotFound("No such billing account.")
    return account


async def accounts_by_patient(
    session: AsyncSession, *, patient_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, BillingAccount]:
    """The accounts of ``patient_ids`` that exist, by patient id (no access check)."""
    rows = (
        await session.exec(
            select(BillingAccount).where(col(BillingAccount.patient_id).in_(list(patient_ids)))
        )
    ).all()
    return {row.patient_id: row for row in rows}


async def accounts_of_patients(
    session: AsyncSession, *, caller: Caller, patient_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, BillingAccount | BaseException | None]:
    """Each patient's account the caller may read (None: no account; FORBIDDEN: not theirs)."""
    reach = reach_of(caller)
    found = await accounts_by_patient(session, patient_ids=patient_ids)
    answers: dict[uuid.UUID, BillingAccount | BaseException | None] = {}
    for patient_id in patient_ids:
        account = found.get(patient_id)
        if account is None or can_read_account(caller, reach, account.patient_user_id):
            answers[patient_id] = account
        else:
            answers[patient_id] = await refuse(
                session,
                caller,
                reach,
                patient_ids=(patient_id,),
                target={"field": "billingAccount", "patientId": str(patient_id)},
            )
    return answers


async def account_of_patient(
    session: AsyncSession, *, caller: Caller, patient_id: uuid.UUID
) -> BillingAccount | None:
    """The patient's account, if the caller may read it (FORBIDDEN otherwise)."""
    answer = (await accounts_of_patients(session, caller=caller, patient_ids=[patient_id]))[
        patient_id
    ]
    if isinstance(answer, BaseException):
        raise answer
    return answer
