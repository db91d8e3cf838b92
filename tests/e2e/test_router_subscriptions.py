"""Subscriptions through ``make up``'s router with unmodified Node clients: graphql-ws, Apollo
Client 4 with ``GraphQLWsLink`` and with its multipart ``HttpLink``.

A doctor subscribes to their schedule, staff changes an appointment, and the event arrives with
fields of two subgraphs (clinical's appointment and patient, auth's user); a patient never sees
another patient's event; a token that expires closes the socket (4403); a router restarted
under a graphql-ws client is resumed from the last position it received, without a gap.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

from subgraphs.stack.ports import free_port
from tests.benchmarks.router_peers import ensure_node_modules, node_missing
from tests.support.stack import DemoStack, graphql

pytestmark = [pytest.mark.slow, pytest.mark.node]

NODE_DIR = Path(__file__).resolve().parent / "node"
REPO = Path(__file__).resolve().parents[2]

CHANGED = """
subscription Schedule($doctorId: ID, $patientId: ID, $since: Int) {
  appointmentChanged(doctorId: $doctorId, patientId: $patientId, since: $since) {
    position type appointmentId patientId
    appointment { status patient { familyName user { displayName } } doctor { familyName } }
  }
}
"""
BOOK = """
mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id startsAt } }
"""
CANCEL = """
mutation($id: ID!) { cancelAppointment(id: $id, reason: "Subscription test") { id status } }
"""
SLOTS = """
query($from: DateTime!, $to: DateTime!) {
  doctors(first: 50) { nodes { id availability(from: $from, to: $to) { startsAt } } }
}
"""


@pytest.fixture(scope="module", autouse=True)
def _node_clients() -> None:
    missing = node_missing()
    if missing:
        pytest.skip(missing)
    ensure_node_modules(NODE_DIR, "graphql-ws")


class NodeClient:
    """``node subscribe.mjs``: its JSON lines, read in the background."""

    def __init__(
        self, client: str, url: str, token: str, variables: dict[str, Any], *, resume: bool = False
    ) -> None:
        env = dict(
            os.environ,
            HG_CLIENT=client,
            HG_URL=url,
            HG_TOKEN=token,
            HG_QUERY=CHANGED,
            HG_VARIABLES=json.dumps(variables),
            HG_RESUME="1" if resume else "0",
        )
        self.process = subprocess.Popen(
            ["node", str(NODE_DIR / "subscribe.mjs")],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[dict[str, Any]] = queue.Queue()
        self.seen: list[dict[str, Any]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            try:
                self.lines.put(json.loads(line))
            except json.JSONDecodeError:  # Node's own warnings or a stack trace
                self.lines.put({"event": "log", "line": line.rstrip()})

    def wait_for(
        self, predicate: Callable[[dict[str, Any]], bool], wait: float = 30
    ) -> dict[str, Any]:
        deadline = time.monotonic() + wait
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                pytest.fail(f"nothing matched within {wait}s; seen: {self.seen[-5:]}")
            try:
                event = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            self.seen.append(event)
            if predicate(event):
                return event

    def changes(self) -> list[dict[str, Any]]:
        return [
            e["result"]["data"]["appointmentChanged"]
            for e in self.seen
            if e["event"] == "next" and (e["result"].get("data") or {}).get("appointmentChanged")
        ]

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        assert self.process.stdout is not None
        self.process.stdout.close()


@pytest.fixture
def clients() -> Iterator[list[NodeClient]]:
    started: list[NodeClient] = []
    yield started
    for client in started:
        client.close()


def change_of(appointment_id: str, kind: str) -> Callable[[dict[str, Any]], bool]:
    def matches(event: dict[str, Any]) -> bool:
        if event["event"] != "next":
            return False
        change = (event["result"].get("data") or {}).get("appointmentChanged") or {}
        return change.get("appointmentId") == appointment_id and change.get("type") == kind

    return matches


def ids(stack: DemoStack) -> tuple[str, str, str]:
    """The demo doctor's id, the demo patient's, and another patient's."""
    doctor = graphql(stack.url(), "{ me { doctor { id } } }", stack.sign_in("DOCTOR"))
    patient = graphql(stack.url(), "{ me { patient { id } } }", stack.sign_in("PATIENT"))
    own = patient["data"]["me"]["patient"]["id"]
    listed = graphql(
        stack.url(), "{ patients(first: 10) { nodes { id } } }", stack.sign_in("STAFF")
    )
    other = next(p["id"] for p in listed["data"]["patients"]["nodes"] if p["id"] != own)
    return doctor["data"]["me"]["doctor"]["id"], own, other


def book(
    stack: DemoStack,
    doctor_id: str,
    patient_id: str,
    *,
    span: tuple[datetime, datetime] | None = None,
    reason: str = "Subscription test",
) -> str:
    """Staff books a free slot of the doctor within ``span``, by default weeks ahead (each test
    its own)."""
    staff = stack.sign_in("STAFF")
    if span is None:
        start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(
            days=random.randint(20, 300)
        )
        span = (start, start + timedelta(days=3))
    window = {"from": span[0].isoformat(), "to": span[1].isoformat()}
    doctors = graphql(stack.url(), SLOTS, staff, **window)["data"]["doctors"]["nodes"]
    slots = next(d["availability"] for d in doctors if d["id"] == doctor_id)
    assert slots, "the demo doctor has free slots"
    for slot in random.sample(slots, min(5, len(slots))):
        answer = graphql(
            stack.url(),
            BOOK,
            staff,
            input={
                "patientId": patient_id,
                "doctorId": doctor_id,
                "startsAt": slot["startsAt"],
                "reason": reason,
                "idempotencyKey": str(uuid.uuid4()),
            },
        )
        if "errors" not in answer:
            booked: str = answer["data"]["bookAppointment"]["id"]
            return booked
    pytest.fail(f"could not book: {answer}")


def cancel(stack: DemoStack, appointment_id: str) -> None:
    answer = graphql(stack.url(), CANCEL, stack.sign_in("STAFF"), id=appointment_id)
    assert answer["data"]["cancelAppointment"]["status"] == "CANCELLED", answer


@pytest.mark.parametrize("client", ["graphql-ws", "apollo-ws", "apollo-http"])
def test_a_doctor_sees_staffs_change_with_fields_of_two_subgraphs(
    demo_stack: DemoStack, clients: list[NodeClient], client: str
) -> None:
    doctor_id, patient_id, _ = ids(demo_stack)
    appointment = book(demo_stack, doctor_id, patient_id)
    token = demo_stack.sign_in("DOCTOR")
    node = NodeClient(client, demo_stack.url(), token, {"doctorId": doctor_id, "since": -1})
    clients.append(node)
    node.wait_for(change_of(appointment, "appointment.booked"))  # replayed or live
    cancel(demo_stack, appointment)
    event = node.wait_for(change_of(appointment, "appointment.cancelled"))
    change = event["result"]["data"]["appointmentChanged"]
    assert change["appointment"]["status"] == "CANCELLED"  # clinical, fetched for the event
    assert change["appointment"]["doctor"]["familyName"]
    assert change["appointment"]["patient"]["familyName"]
    assert change["appointment"]["patient"]["user"]["displayName"]  # auth, an entity fetch
    assert not event["result"].get("errors"), event


def test_a_patient_never_receives_another_patients_event(
    demo_stack: DemoStack, clients: list[NodeClient]
) -> None:
    doctor_id, own, other = ids(demo_stack)
    token = demo_stack.sign_in("PATIENT")
    mine = NodeClient("graphql-ws", demo_stack.url(), token, {"patientId": own, "since": -1})
    theirs = NodeClient("graphql-ws", demo_stack.url(), token, {"patientId": other})
    clients.extend([mine, theirs])
    refused = theirs.wait_for(lambda e: e["event"] in {"error", "next"})
    assert "appointmentChanged" not in json.dumps(refused.get("result", {}).get("data") or {}), (
        refused
    )
    foreign = book(demo_stack, doctor_id, other)
    booked = book(demo_stack, doctor_id, own)
    mine.wait_for(change_of(booked, "appointment.booked"))
    seen = mine.changes()
    assert seen
    assert {change["patientId"] for change in seen} == {own}
    assert foreign not in {change["appointmentId"] for change in seen}


def _tampered(token: str, lifetime: float) -> str:
    """The token's claims with ``exp`` a moment away, its signature no longer matching."""
    segment = token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    claims["exp"] = int(time.time() + lifetime)
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return ".".join([token.split(".", maxsplit=1)[0], body, token.split(".")[2]])


def test_a_tampered_token_is_refused_at_connection_init_4401(
    demo_stack: DemoStack, clients: list[NodeClient]
) -> None:
    """The router verifies a socket's token itself (auth's JWK Set), before any subgraph sees it;
    a verified token that expires closes the socket with 4403 (tests/router/http/test_websocket.py)."""
    doctor_id, _, _ = ids(demo_stack)
    token = _tampered(demo_stack.sign_in("DOCTOR"), 3)
    node = NodeClient("graphql-ws", demo_stack.url(), token, {"doctorId": doctor_id})
    clients.append(node)
    closed = node.wait_for(lambda e: e["event"] == "closed", wait=15)
    assert closed["code"] == 4401, closed
    assert closed["reason"] == "Invalid access token.", closed


def _router(stack: DemoStack, port: int) -> subprocess.Popen[bytes]:
    urls = {name: stack.url(name) for name in ("auth", "clinical")}
    env = dict(
        os.environ, ROUTER_SUBGRAPH_URLS=json.dumps(urls), ROUTER_SUPERGRAPH_POLL_INTERVAL="0"
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "router",
            "--supergraph",
            "schema/supergraph.graphql",
            "--port",
            str(port),
        ],
        cwd=REPO,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.kill()
    pytest.fail("the router did not start")


def test_a_restarted_router_resumes_the_client_from_since(
    demo_stack: DemoStack, clients: list[NodeClient]
) -> None:
    doctor_id, patient_id, _ = ids(demo_stack)
    port = free_port()
    router = _router(demo_stack, port)
    try:
        url = f"http://127.0.0.1:{port}/graphql"
        first = book(demo_stack, doctor_id, patient_id)
        token = demo_stack.sign_in("DOCTOR")
        node = NodeClient(
            "graphql-ws", url, token, {"doctorId": doctor_id, "since": -1}, resume=True
        )
        clients.append(node)
        node.wait_for(change_of(first, "appointment.booked"))
        router.send_signal(signal.SIGTERM)
        closed = node.wait_for(lambda e: e["event"] == "closed")
        assert closed["code"] == 1012, closed  # service restart: graphql-ws reconnects
        assert router.wait(30) == 0
        cancel(demo_stack, first)  # while no router serves the client
        router = _router(demo_stack, port)
        node.wait_for(change_of(first, "appointment.cancelled"), wait=60)
        positions = [change["position"] for change in node.changes()]
        assert positions == sorted(set(positions)), "no event twice, none out of order"
    finally:
        router.send_signal(signal.SIGTERM)
        router.wait(30)


BILLED = """
subscription Billed($doctorId: ID, $since: Int) {
  appointmentChanged(doctorId: $doctorId, since: $since) {
    appointmentId type
    appointment { status patient { familyName user { displayName } balance { amount currency } } }
  }
}
"""


async def _billed_change(url: str, token: str, doctor_id: str, appointment: str) -> dict[str, Any]:
    """Staff's graphql-transport-ws subscription through the router, until the cancellation."""
    ws_url = url.replace("http://", "ws://")
    async with connect(ws_url, subprotocols=[Subprotocol("graphql-transport-ws")]) as socket:
        init = {"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}
        await socket.send(json.dumps(init))
        assert json.loads(await socket.recv()) == {"type": "connection_ack"}
        payload = {"query": BILLED, "variables": {"doctorId": doctor_id, "since": -1}}
        await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        async with asyncio.timeout(30):
            while True:
                message = json.loads(await socket.recv())
                assert message["type"] == "next", message
                change = message["payload"]["data"]["appointmentChanged"]
                if change["appointmentId"] == appointment and change["type"].endswith("cancelled"):
                    assert not message["payload"].get("errors"), message
                    result: dict[str, Any] = change
                    return result


def test_each_event_carries_fields_of_all_three_subgraphs(demo_stack: DemoStack) -> None:
    """clinical's event, auth's displayName and billing's balance, resolved per event."""
    doctor_id, patient_id, _ = ids(demo_stack)
    appointment = book(demo_stack, doctor_id, patient_id)
    cancel(demo_stack, appointment)
    change = asyncio.run(
        _billed_change(demo_stack.url(), demo_stack.sign_in("STAFF"), doctor_id, appointment)
    )
    patient = change["appointment"]["patient"]
    assert change["appointment"]["status"] == "CANCELLED"
    assert patient["user"]["displayName"]  # auth
    assert patient["balance"]["currency"]  # billing
