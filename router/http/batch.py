"""JSON array batching (Apollo Router's `batching`): off by default, bounded when on."""

from __future__ import annotations

from typing import Any

from router.pipeline.request import RequestError

__all__ = ["BATCHING_NOT_ENABLED", "BATCH_LIMIT_EXCEEDED", "batch_items"]

BATCHING_NOT_ENABLED = "BATCHING_NOT_ENABLED"
BATCH_LIMIT_EXCEEDED = "BATCH_LIMIT_EXCEEDED"


def batch_items(payload: list[Any], *, enabled: bool, max_size: int) -> list[dict[str, Any]]:
    """The requests of a batch, refused as a whole (HTTP 400) when batching is off, the batch
    is empty or larger than `max_size`, or an item is not an object."""
    if not enabled:
        raise RequestError("Batched requests are not enabled.", BATCHING_NOT_ENABLED)
    if not payload:
        raise RequestError("A batch must hold at least one request.", "BAD_REQUEST")
    if len(payload) > max_size:
        raise RequestError(
            f"The batch holds {len(payload)} requests, over the limit of {max_size} "
            "(max_batch_size).",
            BATCH_LIMIT_EXCEEDED,
            extensions={"limit": "max_batch_size", "maximum": max_size},
        )
    if not all(isinstance(item, dict) for item in payload):
        raise RequestError("Every request of a batch must be a JSON object.", "BAD_REQUEST")
    return payload
