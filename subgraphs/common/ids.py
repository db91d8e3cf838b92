"""GraphQL ``ID`` values of our entities are UUIDs; malformed ones are BAD_USER_INPUT."""

from __future__ import annotations

import uuid

from subgraphs.common.errors import BadUserInput

__all__ = ["parse_id"]


def parse_id(value: object, *, what: str = "id") -> uuid.UUID:
    """``value`` as a UUID, or BAD_USER_INPUT naming ``what``."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise BadUserInput(f"{what} is not a valid id.", extensions={"field": what}) from None
