"""Keyset paging of billing lists ordered newest first (timestamp descending, then id ascending)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, or_

__all__ = ["older_than"]


def older_than(
    at: Any, ident: Any, before: datetime, after_id: uuid.UUID | None
) -> ColumnElement[bool]:
    """Rows after the cursor ``(before, after_id)``: older than ``before``, or as old and of a
    greater id (without ``after_id``: strictly older)."""
    if after_id is None:
        older: ColumnElement[bool] = at < before
        return older
    return or_(at < before, and_(at == before, ident > after_id))
