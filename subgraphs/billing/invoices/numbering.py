"""Gap-free invoice numbers per series and year (``INV-2026-000123``), under concurrency.

The counter row of ``(series, year)`` is incremented by an upsert inside the issuing
transaction and stays locked until that transaction ends: concurrent issues queue on it, and
a transaction that rolls back takes its increment with it, so no number is skipped or repeated.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

__all__ = ["format_number", "next_number"]

_NEXT = text(
    "INSERT INTO invoice_counter (series, year, last) VALUES (:series, :year, 1)"
    " ON CONFLICT (series, year) DO UPDATE SET last = invoice_counter.last + 1"
    " RETURNING last"
)


def format_number(series: str, year: int, sequence: int) -> str:
    """``INV-2026-000123``: series, year, and the sequence zero-padded to six digits."""
    return f"{series}-{year:04d}-{sequence:06d}"


async def next_number(session: AsyncSession, *, series: str, year: int) -> str:
    """The next number of ``series`` in ``year``; the counter stays locked until commit."""
    connection = await session.connection()
    sequence = (await connection.execute(_NEXT, {"series": series, "year": year})).scalar_one()
    return format_number(series, year, int(sequence))
