"""One row by primary key, locked for the rest of the transaction (``SELECT .. FOR UPDATE``)."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlmodel import SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.common.errors import NotFound

__all__ = ["locked_row"]

M = TypeVar("M", bound=SQLModel)


async def locked_row(session: AsyncSession, model: type[M], key: Any, *, missing: str) -> M:
    """``model``'s row ``key``, locked and freshly read (NOT_FOUND with ``missing`` if absent)."""
    primary = model.__table__.primary_key.columns  # type: ignore[attr-defined]  # a table model
    [column] = list(primary)
    row = (
        await session.exec(
            select(model)
            .where(column == key)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).first()
    if row is None:
        raise NotFound(missing)
    return row
