"""GraphQL ``ID`` arguments parsed as UUIDs, with a clear error naming the argument."""

from __future__ import annotations

import uuid

from subgraphs.common.errors import BadUserInput

__all__ = ["parse_id"]


def parse_id(value: str, *, argument: str) -> uuid.UUID:
    """``value`` as a UUID; BAD_USER_INPUT naming ``argument`` when it is not one."""
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise BadUserInput(
            f"{argument} must be a UUID.", extensions={"argument": argument}
        ) from exc
