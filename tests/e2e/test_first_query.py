"""README's "First query" walkthrough, run block by block through the router, as a reader would.

The operations and variables come from README.md's code blocks, so the doc and this test cannot
drift: a ```graphql block that takes no variables runs at once; each ```json block runs the
newest operation above it that takes exactly those variables; every ``"<…>"`` value is what the
reader puts in by hand, filled in here by its key.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import subprocess
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from router.http.playground.examples import EXAMPLES
from tests.subgraphs.clinical.live.wsclient import graphql_ws
from tests.support.stack import DemoStack, graphql

_BLOCK = re.compile(r"^```(?P<lang>\w+)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)
_PLACEHOLDER = re.compile(r"^<.+>$")


def walkthrough_blocks(readme: Path) -> list[tuple[str, str]]:
    """The (language, text) code blocks of README's "First query" section, in order."""
    text = readme.read_text(encoding="utf-8")
    section = text[text.index("\n## First query\n") :]
    section = section[: section.index("\n## ", 1)]
    return [(m["lang"], m["body"]) for m in _BLOCK.finditer(section)]


def _monday_ahead(weeks: int) -> datetime:
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today + timedelta(days=7 * weeks - today.weekday())


@dataclass
class Reader:
    """What someone following the walkthrough holds: the answers so far and the newest token."""

    stack: DemoStack
    repo_root: Path
    token: str | None = None
    email: str | None = None
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    ran: list[str] = field(default_factory=list)
    # A Monday some weeks ahead, so that this run is unlikely to meet other bookings.
    week: datetime = field(default_factory=lambda: _monday_ahead(random.randint(8, 80)))

    def run(self, operation: str, variables: dict[str, Any]) -> dict[str, Any]:
        name = re.search(r"(?:query|mutation)\s+(\w+)", operation)
        assert name, operation
        self.email = variables.get("email", self.email)
        filled = self.fill(variables)
        answer = graphql(self.stack.url(), operation, self.token, **filled)
        assert "errors" not in answer, (name[1], answer)
        data: dict[str, Any] = answer["data"]
        self.answers[name[1]] = data
        self.ran.append(name[1])
        for payload in data.values():
            if isinstance(payload, dict) and payload.get("accessToken"):
                self.token = payload["accessToken"]
        return data

    def fill(self, value: Any, key: str = "") -> Any:
        """Each ``"<…>"`` replaced by what the reader would type for ``key``."""
        if isinstance(value, dict):
            return {k: self.fill(v, k) for k, v in value.items()}
        if not (isinstance(value, str) and _PLACEHOLDER.match(value)):
            return value
        return self.by_hand(key)

    def by_hand(self, key: str) -> str:
        found = self.answers.get("FindPatientAndDoctor", {})
        what: dict[str, Callable[[], object]] = {
            "password": lambda: self.stack.accounts[str(self.email)].password,  # as printed
            "mfaToken": lambda: self.answers["SignIn"]["login"]["mfaToken"],
            "code": self.totp_code,
            "patientId": lambda: found["patients"]["nodes"][0]["id"],
            "doctorId": lambda: found["doctors"]["nodes"][0]["id"],
            "startsAt": lambda: self.answers["FreeSlots"]["availableSlots"][0]["startsAt"],
            "idempotencyKey": uuid.uuid4,
            "from": self.week.isoformat,
            "to": (self.week + timedelta(days=5)).isoformat,
        }
        if key not in what:
            pytest.fail(f"README asks for <{key}>, which this test does not know how to fill in")
        return str(what[key]())

    def totp_code(self) -> str:
        """``healthgraph totp EMAIL``, as README says to run it."""
        assert self.email
        done = subprocess.run(
            [sys.executable, "-m", "subgraphs", "totp", self.email],
            cwd=self.repo_root,
            env=self.stack.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return done.stdout.strip()


def declared(operation: str) -> set[str]:
    """The variables ``operation`` takes."""
    return set(re.findall(r"\$(\w+)\s*:", operation))


def taking(operations: list[str], names: set[str]) -> str:
    """The newest operation shown so far that takes exactly these variables."""
    for operation in reversed(operations):
        if declared(operation) == names:
            return operation
    pytest.fail(f"no operation above takes the variables {sorted(names)}")


@pytest.mark.slow
def test_readme_first_query_runs_through_the_router(demo_stack: DemoStack, repo_root: Path) -> None:
    blocks = walkthrough_blocks(repo_root / "README.md")
    assert [lang for lang, _ in blocks].count("graphql") >= 5, blocks
    # The staff user's token of this session is taken first, so that the shared stack's cached
    # sign-in stays valid for other tests: `healthgraph totp` then prints the next step's code.
    for _, text in blocks:
        emails = re.findall(r'"email": "([^"]+)"', text)
        for email in emails:
            if demo_stack.accounts[email].totp_secret:
                demo_stack.sign_in_as(email)

    reader = Reader(demo_stack, repo_root)
    shown: list[str] = []
    for lang, text in blocks:
        if lang == "graphql":
            shown.append(text)
            if not declared(text):
                reader.run(text, {})
        else:
            assert lang == "json", lang
            variables = json.loads(text)
            reader.run(taking(shown, set(variables)), variables)
    assert reader.ran == [
        "SignIn",
        "MyAppointments",
        "SignIn",
        "VerifyMfa",
        "FindPatientAndDoctor",
        "FreeSlots",
        "BookAppointment",
    ]
    booked = reader.answers["BookAppointment"]["bookAppointment"]
    assert booked["status"] == "BOOKED"

    # "The patient's MyAppointments now lists it too."
    my_appointments = next(text for lang, text in blocks if "MyAppointments" in text)
    patient = demo_stack.sign_in("PATIENT")
    listed = graphql(demo_stack.url(), my_appointments, patient)
    assert booked["startsAt"] in {n["startsAt"] for n in listed["data"]["appointments"]["nodes"]}
    patient_id = reader.answers["FindPatientAndDoctor"]["patients"]["nodes"][0]["id"]
    asyncio.run(live_tab_tells_the_truth(demo_stack, patient, patient_id, booked["id"]))


async def live_tab_tells_the_truth(
    stack: DemoStack, token: str, patient_id: str, appointment_id: str
) -> None:
    """The playground's subscription tab: refused over a plain POST, served over the router's
    WebSocket with its cross-subgraph fields."""
    (subscription,) = (e.query for e in EXAMPLES if "subscription AppointmentChanged" in e.query)
    refused = graphql(stack.url(), subscription, token, patientId=patient_id, since=-1)
    assert refused["errors"][0]["extensions"]["code"] == "SUBSCRIPTION_NOT_SUPPORTED"
    router = stack.url().replace("http://", "ws://")
    async with graphql_ws(router, token=token) as ws:
        operation = await ws.subscribe(subscription, {"patientId": patient_id, "since": -1})
        for _ in range(500):
            payload = await ws.next_payload(operation, limit=30)
            assert "errors" not in payload, payload
            change = payload["data"]["appointmentChanged"]
            if change["appointmentId"] == appointment_id:
                assert change["appointment"]["patient"]["familyName"], change
                break
        else:
            pytest.fail("the booking never arrived on appointmentChanged")
