"""A fake provider's webhook deliveries: signed POSTs, retried with backoff, kept for inspection."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

__all__ = ["Delivery", "WebhookSender"]

logger = logging.getLogger(__name__)

# Sign a body: the headers that go with it (a fresh timestamp on every attempt, as providers do).
Signer = Callable[[bytes], Mapping[str, str]]


@dataclass
class Delivery:
    """One event and what became of sending it."""

    event_id: str
    event_type: str
    body: bytes
    attempts: int = 0
    status: int | None = None  # the last HTTP status the receiver answered
    delivered: bool = False
    headers: dict[str, str] = field(default_factory=dict)  # of the last attempt

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.event_id,
            "type": self.event_type,
            "attempts": self.attempts,
            "status": self.status,
            "delivered": self.delivered,
        }


class WebhookSender:
    """Posts events to one endpoint in the background; 2xx is delivered, anything else retried.

    Providers retry failed deliveries for days; a fake retries ``attempts`` times with doubling
    delays from ``first_delay`` seconds, then gives up (the event stays listed as undelivered and
    can be sent again on request).
    """

    def __init__(
        self,
        url: str | None,
        signer: Signer,
        *,
        attempts: int = 5,
        first_delay: float = 0.5,
        keep: int = 1000,
    ) -> None:
        self.url = url
        self._signer = signer
        self._attempts = attempts
        self._first_delay = first_delay
        self._keep = keep
        self._deliveries: OrderedDict[str, Delivery] = OrderedDict()
        self._tasks: set[asyncio.Task[None]] = set()
        self._client = httpx.AsyncClient(timeout=10.0)

    def send(self, event_id: str, event_type: str, body: bytes) -> Delivery:
        """Record the event and start delivering it; returns at once."""
        delivery = Delivery(event_id, event_type, body)
        self._deliveries[event_id] = delivery
        while len(self._deliveries) > self._keep:
            self._deliveries.popitem(last=False)
        self._start(delivery)
        return delivery

    def resend(self, event_id: str) -> Delivery | None:
        """Deliver a recorded event once more, newly signed (a provider dashboard's "resend")."""
        delivery = self._deliveries.get(event_id)
        if delivery is not None:
            delivery.delivered = False
            self._start(delivery)
        return delivery

    def deliveries(self) -> list[Delivery]:
        return list(self._deliveries.values())

    def get(self, event_id: str) -> Delivery | None:
        return self._deliveries.get(event_id)

    async def idle(self) -> None:
        """Wait until every delivery in flight has succeeded or given up."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def aclose(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        await self._client.aclose()

    def _start(self, delivery: Delivery) -> None:
        if self.url is None:
            logger.info(
                "webhook %s %s not sent: no webhook URL", delivery.event_type, delivery.event_id
            )
            return
        task = asyncio.get_running_loop().create_task(self._deliver(self.url, delivery))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver(self, url: str, delivery: Delivery) -> None:
        delay = self._first_delay
        for attempt in range(self._attempts):
            if attempt:
                await asyncio.sleep(delay)
                delay *= 2
            delivery.attempts += 1
            headers = {"content-type": "application/json", **self._signer(delivery.body)}
            delivery.headers = headers
            try:
                response = await self._client.post(url, content=delivery.body, headers=headers)
            except httpx.HTTPError as exc:
                logger.info("webhook %s: %s (attempt %d)", delivery.event_id, exc, attempt + 1)
                continue
            delivery.status = response.status_code
            if response.is_success:
                delivery.delivered = True
                return
            logger.info(
                "webhook %s answered %d (attempt %d)",
                delivery.event_id,
                response.status_code,
                attempt + 1,
            )
