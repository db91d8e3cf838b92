"""Mutation -> subscriber latency at the clinical subgraph, on a real ``healthgraph up --demo``.

Run: ``python -m tests.benchmarks live_latency``. A doctor subscribes to ``appointmentChanged``
for their own schedule over graphql-transport-ws (the protocol of the graphql-ws library) at the
clinical subgraph; staff then reschedules one appointment back and forth, one change at a time,
through the router. For each change it records the time from the mutation's answer (the change
is committed by then) to the subscriber's event, and from the mutation's send. Prints p50/p90/p99
and the maximum. Knobs: ``BENCH_LIVE_EVENTS`` (200), ``BENCH_LIVE_WARMUP`` (10).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from tests.subgraphs.clinical.live.wsclient import GraphQLWebSocket, graphql_ws
from tests.support.stack import DemoStack, stack_env, start, stop, wait_ready

__all__ = ["Latencies", "main", "measure"]

REPO = Path(__file__).resolve().parents[2]
_SUBSCRIPTION = """
subscription($doctorId: ID) {
  appointmentChanged(doctorId: $doctorId) { position type appointmentId startsAt }
}
"""
_FIND = (
    '{ patients(search: "Pat Patient") { nodes { id } } doctors(search: "Dana") { nodes { id } } }'
)
_SLOTS = """
query($doctorId: ID!, $from: DateTime!, $to: DateTime!) {
  availableSlots(doctorId: $doctorId, from: $from, to: $to) { startsAt }
}
"""
_BOOK = "mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }"
_RESCHEDULE = """
mutation($id: ID!, $startsAt: DateTime!) { rescheduleAppointment(id: $id, startsAt: $startsAt) { id } }
"""


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


@dataclass(frozen=True, slots=True)
class Latencies:
    """Milliseconds per change: from the mutation's answer, and from its send, to the event."""

    after_answer: list[float]
    after_send: list[float]

    def lines(self) -> list[str]:
        out = [f"{len(self.after_answer)} changes, one at a time, one subscriber"]
        for label, values in (
            ("mutation answered -> event", self.after_answer),
            ("mutation sent     -> event", self.after_send),
        ):
            out.append(
                f"{label}: p50 {statistics.median(values):6.1f} ms  p90 "
                f"{_percentile(values, 0.9):6.1f} ms  p99 {_percentile(values, 0.99):6.1f} ms  "
                f"max {max(values):6.1f} ms"
            )
        p99 = _percentile(self.after_answer, 0.99)
        out.append(
            f"target commit -> event p99 <= 50 ms: {p99:.1f} ms, {'met' if p99 <= 50 else 'NOT met'}"
        )
        return out


async def _post(http: httpx.AsyncClient, url: str, query: str, token: str, **variables: Any) -> Any:
    response = await http.post(
        url,
        json={"query": query, "variables": variables},
        headers={"authorization": f"Bearer {token}"},
    )
    body = response.json()
    if body.get("errors"):
        raise RuntimeError(f"{query.split('(', maxsplit=1)[0].strip()}: {body['errors']}")
    return body["data"]


async def measure(stack: DemoStack, events: int, warmup: int) -> Latencies:
    """Subscribe as the doctor, reschedule as staff ``warmup + events`` times; the latencies."""
    staff, doctor = stack.sign_in("STAFF"), stack.sign_in("DOCTOR")
    router = stack.url()
    async with httpx.AsyncClient(timeout=30) as http:
        found = await _post(http, router, _FIND, staff)
        patient_id = found["patients"]["nodes"][0]["id"]
        doctor_id = found["doctors"]["nodes"][0]["id"]
        today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        start_day = today + timedelta(days=14 - today.weekday())  # a Monday, two weeks ahead
        slots = await _post(
            http,
            router,
            _SLOTS,
            staff,
            doctorId=doctor_id,
            **{"from": start_day.isoformat(), "to": (start_day + timedelta(days=5)).isoformat()},
        )
        free = [slot["startsAt"] for slot in slots["availableSlots"]]
        booked = await _post(
            http,
            router,
            _BOOK,
            staff,
            input={
                "patientId": patient_id,
                "doctorId": doctor_id,
                "startsAt": free[0],
                "reason": "Latency benchmark",
                "idempotencyKey": str(uuid.uuid4()),
            },
        )
        appointment = booked["bookAppointment"]["id"]
        clinical = stack.url("clinical").replace("http://", "ws://")
        async with graphql_ws(clinical, token=doctor) as ws:
            operation = await ws.subscribe(_SUBSCRIPTION, {"doctorId": doctor_id})
            after_answer: list[float] = []
            after_send: list[float] = []
            for index in range(warmup + events):
                slot = free[1 + index % 2]  # back and forth between two free slots
                sent = time.perf_counter()
                await _post(http, router, _RESCHEDULE, staff, id=appointment, startsAt=slot)
                answered = time.perf_counter()
                arrived = await _event(ws, operation, appointment)
                if index >= warmup:
                    after_answer.append((arrived - answered) * 1000)
                    after_send.append((arrived - sent) * 1000)
    return Latencies(after_answer, after_send)


async def _event(ws: GraphQLWebSocket, operation: str, appointment: str) -> float:
    """When the next event about ``appointment`` arrived."""
    while True:
        payload = await ws.next_payload(operation, limit=30)
        arrived = time.perf_counter()
        change = payload["data"]["appointmentChanged"]
        if change["appointmentId"] == appointment and change["type"].endswith("rescheduled"):
            return arrived


def main() -> None:
    events = int(os.environ.get("BENCH_LIVE_EVENTS", "200"))
    warmup = int(os.environ.get("BENCH_LIVE_WARMUP", "10"))
    with tempfile.TemporaryDirectory(prefix="bench-live-") as workdir:
        env = stack_env(Path(workdir) / "data")
        process = start(env, REPO, "--demo")
        try:
            stack = DemoStack(process, env, wait_ready(process))
            latencies = asyncio.run(measure(stack, events, warmup))
        finally:
            if process.poll() is None:
                stop(process)
    for line in latencies.lines():
        print(line, flush=True)


if __name__ == "__main__":
    main()
