"""A fake provider's idempotency keys: the first answer to a key is replayed for every retry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import orjson
from fastapi.responses import JSONResponse, Response

__all__ = ["IdempotencyStore"]


@dataclass(frozen=True, slots=True)
class _Answer:
    fingerprint: bytes
    status: int
    body: bytes


class IdempotencyStore:
    """Stripe's ``Idempotency-Key`` and PayPal's ``PayPal-Request-Id``: a key sent again with the
    same request gets the first successful answer back unchanged (nothing runs twice); with
    another request, ``conflict()``'s answer. Refusals are not kept: the same key may try again."""

    def __init__(self, conflict: Callable[[], Response]) -> None:
        self._conflict = conflict
        self._answers: dict[str, _Answer] = {}

    def run(self, key: str | None, request: object, action: Callable[[], JSONResponse]) -> Response:
        fingerprint = orjson.dumps(request, option=orjson.OPT_SORT_KEYS)
        seen = self._answers.get(key) if key is not None else None
        if seen is not None:
            if seen.fingerprint != fingerprint:
                return self._conflict()
            return Response(
                seen.body,
                seen.status,
                media_type="application/json",
                headers={"idempotent-replayed": "true"},
            )
        response = action()
        if key is not None and response.status_code < 400:  # a refusal may be retried
            self._answers[key] = _Answer(fingerprint, response.status_code, bytes(response.body))
        return response
