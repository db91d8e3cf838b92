"""The process's prescription keys: its signing key, and every public key ever registered.

Each replica may hold its own key file; each registers its public key in the database at start,
so every replica verifies every prescription, and old keys verify old prescriptions forever.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import FastAPI
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.clinical.prescriptions.keys import (
    SigningKey,
    load_or_create_signing_key,
    public_key_from_jwk,
)
from subgraphs.clinical.prescriptions.models import PrescriptionSigningKey
from subgraphs.clinical.prescriptions.settings import PrescriptionSettings
from subgraphs.clinical.runtime import runtime_of
from subgraphs.common.app import Lifespan, ServiceState
from subgraphs.common.context import RequestContext

__all__ = ["PrescriptionKeys", "keys_of", "load_prescription_keys", "prescription_keys_lifespan"]

_STATE_ATTRIBUTE = "prescription_keys"


class PrescriptionKeys:
    """Signs with one key; verifies with any registered one (rows are immutable, so cached)."""

    def __init__(self, signing: SigningKey, *, pdf_font: Path | None = None) -> None:
        self.signing = signing
        self.pdf_font = pdf_font
        self._public: dict[str, Ed25519PublicKey] = {}

    async def register(self, session: AsyncSession) -> None:
        """Record the signing key's public half (idempotent)."""
        statement = (
            insert(PrescriptionSigningKey)
            .values(kid=self.signing.kid, public_jwk=self.signing.jwk, created_at=datetime.now(UTC))
            .on_conflict_do_nothing(index_elements=["kid"])
        )
        await (await session.connection()).execute(statement)
        self._public[self.signing.kid] = self.signing.private_key.public_key()

    async def load(self, session: AsyncSession, kids: Iterable[str]) -> None:
        """Make the registered keys among ``kids`` available to :meth:`public_key`."""
        missing = [kid for kid in kids if kid and kid not in self._public]
        if not missing:
            return
        rows = await session.exec(
            select(PrescriptionSigningKey).where(col(PrescriptionSigningKey.kid).in_(missing))
        )
        for row in rows.all():
            self._public[row.kid] = public_key_from_jwk(row.public_jwk)

    def public_key(self, kid: str) -> Ed25519PublicKey | None:
        return self._public.get(kid)

    @staticmethod
    async def jwks(session: AsyncSession) -> list[dict[str, Any]]:
        """Every registered public key, oldest first (a JWKS ``keys`` array)."""
        rows = await session.exec(
            select(PrescriptionSigningKey).order_by(col(PrescriptionSigningKey.created_at))
        )
        return [dict(row.public_jwk) for row in rows.all()]


def load_prescription_keys(settings: PrescriptionSettings, *, data_dir: Path) -> PrescriptionKeys:
    """The signing key named by ``settings`` (created on first use), not yet registered."""
    passphrase = settings.prescription_key_passphrase
    signing = load_or_create_signing_key(
        settings.prescription_key_file(data_dir),
        passphrase=passphrase.get_secret_value().encode() if passphrase else None,
    )
    return PrescriptionKeys(signing, pdf_font=settings.prescription_pdf_font)


def prescription_keys_lifespan(settings: PrescriptionSettings, *, data_dir: Path) -> Lifespan:
    """Load (or create) the signing key, register it, and expose it as ``app.state.prescription_keys``."""

    @asynccontextmanager
    async def lifespan(app: FastAPI, state: ServiceState) -> AsyncIterator[None]:
        keys = load_prescription_keys(settings, data_dir=data_dir)
        async with state.database.transaction() as session:
            await keys.register(session)
        setattr(app.state, _STATE_ATTRIBUTE, keys)
        try:
            yield
        finally:
            delattr(app.state, _STATE_ATTRIBUTE)

    return lifespan


def keys_of(context: RequestContext) -> PrescriptionKeys:
    """The running service's prescription keys (set up by :func:`prescription_keys_lifespan`)."""
    return runtime_of(
        context, _STATE_ATTRIBUTE, PrescriptionKeys, lifespan="prescription_keys_lifespan"
    )
