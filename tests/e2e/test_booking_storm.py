"""A storm of concurrent bookings through the router: no server errors, no lies, no double booking.

Each run, 100 clients (each its own HTTP connection) book overlapping intervals of one doctor's
day at the same moment (another doctor and day per run). Every answer must be a booking or a
CONFLICT (a client retries SERVICE_UNAVAILABLE with the same idempotency key); every committed
booking was reported to exactly one client; no two committed bookings overlap.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.support.stack import DemoStack

CLIENTS = 100
# Ten runs of 100 clients, each on another doctor and day (about 50 ms of subgraph work per
# booking, so a minute or two on a 2-core machine); HEALTHGRAPH_STORM_RUNS=N changes the count.
RUNS = int(os.environ.get("HEALTHGRAPH_STORM_RUNS", "10"))
PATIENTS = CLIENTS  # one patient per client, shared by every run (each run is another day)
# SERVICE_UNAVAILABLE is retryable by contract; a client retries it with the same key.
RETRYABLE = frozenset({"SERVICE_UNAVAILABLE"})
CLIENT_ATTEMPTS = 3

CREATE_DOCTOR = """
mutation($input: DoctorInput!) { createDoctor(input: $input) { id } }
"""
SET_SCHEDULE = """
mutation($doctorId: ID!, $input: DoctorScheduleInput!) {
  setDoctorSchedule(doctorId: $doctorId, input: $input) { doctorId }
}
"""
CREATE_PATIENT = """
mutation($input: PatientInput!) { createPatient(input: $input) { id } }
"""
BOOK = """
mutation($input: BookAppointmentInput!) {
  bookAppointment(input: $input) { id startsAt endsAt }
}
"""
LIST = """
query($filter: AppointmentFilter, $after: String) {
  appointments(first: 100, after: $after, filter: $filter) {
    edges { node { id startsAt endsAt status } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
WEEK = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]


async def call(
    http: httpx.AsyncClient, url: str, token: str, query: str, **variables: Any
) -> dict[str, Any]:
    response = await http.post(
        url,
        json={"query": query, "variables": variables},
        headers={"authorization": f"Bearer {token}"},
    )
    body: dict[str, Any] = response.json()
    return body


def letters(n: int) -> str:
    """``n`` spelled in letters (names allow no digits)."""
    word = ""
    while True:
        n, digit = divmod(n, 26)
        word = chr(ord("a") + digit) + word
        if n == 0:
            return word.capitalize()


def data(body: dict[str, Any]) -> dict[str, Any]:
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]
    return result


def code_of(body: dict[str, Any]) -> str:
    return str(body["errors"][0].get("extensions", {}).get("code"))


async def new_doctor(http: httpx.AsyncClient, url: str, token: str) -> str:
    tag = uuid.uuid4().hex[:10].upper()
    name = letters(int(tag, 16))
    doctor = data(
        await call(
            http,
            url,
            token,
            CREATE_DOCTOR,
            input={
                "givenName": "Storm",
                "familyName": f"Doctor {name}",
                "specialty": "General practice",
                "licenceNumber": f"ST{tag}",
            },
        )
    )["createDoctor"]["id"]
    data(
        await call(
            http,
            url,
            token,
            SET_SCHEDULE,
            doctorId=doctor,
            input={
                "timeZone": "UTC",
                "appointmentMinutes": 30,
                "weeklyHours": [
                    {"weekday": day, "startsAt": "08:00:00", "endsAt": "18:00:00"} for day in WEEK
                ],
            },
        )
    )
    return str(doctor)


async def new_patient(http: httpx.AsyncClient, url: str, token: str, n: int) -> str:
    patient = data(
        await call(
            http,
            url,
            token,
            CREATE_PATIENT,
            input={
                "givenName": "Storm",
                "familyName": f"Patient {letters(n)}",
                "dateOfBirth": "1980-01-01",
                "sex": "FEMALE",
            },
        )
    )["createPatient"]["id"]
    return str(patient)


@dataclass
class Outcome:
    booked: dict[str, tuple[datetime, datetime]] = field(default_factory=dict)  # id -> interval
    conflicts: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    client_retries: Counter[str] = field(default_factory=Counter)  # SERVICE_UNAVAILABLE reasons


async def client(
    url: str,
    token: str,
    *,
    doctor: str,
    patient: str,
    starts_at: datetime,
    ends_at: datetime,
    start: asyncio.Event,
    outcome: Outcome,
) -> None:
    booking = {
        "patientId": patient,
        "doctorId": doctor,
        "startsAt": starts_at.isoformat(),
        "endsAt": ends_at.isoformat(),
        "idempotencyKey": str(uuid.uuid4()),
    }
    # Its own connection: no pooling shared with the other clients.
    async with httpx.AsyncClient(timeout=60) as http:
        await start.wait()
        for attempt in range(CLIENT_ATTEMPTS):
            body = await call(http, url, token, BOOK, input=booking)
            if "errors" not in body:
                made = body["data"]["bookAppointment"]
                assert made["id"] not in outcome.booked, "one booking reported to two clients"
                outcome.booked[made["id"]] = (
                    datetime.fromisoformat(made["startsAt"]),
                    datetime.fromisoformat(made["endsAt"]),
                )
                return
            code = code_of(body)
            if code == "CONFLICT":
                outcome.conflicts += 1
                return
            if code in RETRYABLE and attempt + 1 < CLIENT_ATTEMPTS:
                outcome.client_retries[body["errors"][0]["message"]] += 1
                await asyncio.sleep(0.5 + random.random())
                continue
            outcome.errors.append(body["errors"][0])
            return


async def committed(
    http: httpx.AsyncClient, url: str, token: str, doctor: str, day: date
) -> dict[str, tuple[datetime, datetime]]:
    found: dict[str, tuple[datetime, datetime]] = {}
    after = None
    start = datetime.combine(day, datetime.min.time(), UTC)
    while True:
        page = data(
            await call(
                http,
                url,
                token,
                LIST,
                after=after,
                filter={
                    "doctorId": doctor,
                    "from": start.isoformat(),
                    "to": (start + timedelta(days=1)).isoformat(),
                    "statuses": ["BOOKED"],
                },
            )
        )["appointments"]
        for edge in page["edges"]:
            node = edge["node"]
            found[node["id"]] = (
                datetime.fromisoformat(node["startsAt"]),
                datetime.fromisoformat(node["endsAt"]),
            )
        if not page["pageInfo"]["hasNextPage"]:
            return found
        after = page["pageInfo"]["endCursor"]


def intervals(rng: random.Random, day: date) -> list[tuple[datetime, datetime]]:
    """``CLIENTS`` intervals of 15-45 minutes starting within two hours: most overlap."""
    nine = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=9)
    chosen = []
    for _ in range(CLIENTS):
        starts = nine + timedelta(minutes=5 * rng.randrange(24))
        chosen.append((starts, starts + timedelta(minutes=rng.choice((15, 30, 45)))))
    return chosen


async def storm(demo_stack: DemoStack) -> list[Outcome]:
    url = demo_stack.url()
    token = demo_stack.sign_in("ADMIN")
    rng = random.Random(9)
    outcomes: list[Outcome] = []
    limits = httpx.Limits(max_connections=20)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        patients = list(
            await asyncio.gather(*(new_patient(http, url, token, n) for n in range(PATIENTS)))
        )
        doctors = list(await asyncio.gather(*(new_doctor(http, url, token) for _ in range(RUNS))))
        first_day = datetime.now(UTC).date() + timedelta(days=7)
        for run, doctor in enumerate(doctors):
            day = first_day + timedelta(days=run)
            outcome = Outcome()
            start = asyncio.Event()
            tasks = [
                asyncio.create_task(
                    client(
                        url,
                        token,
                        doctor=doctor,
                        patient=patient,
                        starts_at=starts,
                        ends_at=ends,
                        start=start,
                        outcome=outcome,
                    )
                )
                for patient, (starts, ends) in zip(patients, intervals(rng, day), strict=True)
            ]
            await asyncio.sleep(0.2)  # every client is waiting on the event
            start.set()
            await asyncio.gather(*tasks)
            outcome_committed = await committed(http, url, token, doctor, day)
            outcomes.append(outcome)
            assert outcome.errors == [], outcome.errors
            # Every committed booking was reported to one client, and every reported one exists.
            assert outcome_committed == outcome.booked
            assert len(outcome.booked) + outcome.conflicts == CLIENTS
            ordered = sorted(outcome_committed.values())
            for (_, earlier_end), (later_start, _) in itertools.pairwise(ordered):
                assert earlier_end <= later_start, ordered
    return outcomes


@pytest.mark.slow
def test_hundred_clients_booking_one_doctor_get_booked_or_conflict(
    demo_stack: DemoStack,
) -> None:
    began = time.monotonic()
    outcomes = asyncio.run(storm(demo_stack))
    elapsed = time.monotonic() - began
    booked = sum(len(o.booked) for o in outcomes)
    conflicts = sum(o.conflicts for o in outcomes)
    retries = sum((o.client_retries for o in outcomes), Counter[str]())
    print(  # the figures the issue asks for, shown with -s
        f"storm: {RUNS} runs x {CLIENTS} clients in {elapsed:.1f}s: "
        f"{booked} booked, {conflicts} conflicts, {retries.total()} client retries {dict(retries)}"
    )
    assert booked + conflicts == RUNS * CLIENTS


async def lost_answer(demo_stack: DemoStack) -> None:
    url = demo_stack.url()
    token = demo_stack.sign_in("ADMIN")
    async with httpx.AsyncClient(timeout=60) as http:
        doctor = await new_doctor(http, url, token)
        patient = await new_patient(http, url, token, 0)
        day = datetime.now(UTC).date() + timedelta(days=30)
        starts = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=10)
        booking = {
            "patientId": patient,
            "doctorId": doctor,
            "startsAt": starts.isoformat(),
            "idempotencyKey": str(uuid.uuid4()),
        }
        sent = await call(http, url, token, BOOK, input=booking)  # its answer is "lost"
        retried = await call(http, url, token, BOOK, input=booking)
        assert data(retried) == data(sent)
        assert list(await committed(http, url, token, doctor, day)) == [
            data(sent)["bookAppointment"]["id"]
        ]
        other = {**booking, "startsAt": (starts + timedelta(hours=1)).isoformat()}
        reused = await call(http, url, token, BOOK, input=other)
        assert code_of(reused) == "IDEMPOTENCY_KEY_REUSED"
        # Every conflicting appointment reaches the client through the router, not only the first.
        later = starts + timedelta(minutes=30)
        second = await new_patient(http, url, token, 1)
        data(
            await call(
                http,
                url,
                token,
                BOOK,
                input={
                    **booking,
                    "patientId": second,
                    "startsAt": later.isoformat(),
                    "idempotencyKey": None,
                },
            )
        )
        third = await new_patient(http, url, token, 2)
        across = {
            "patientId": third,
            "doctorId": doctor,
            "startsAt": (starts + timedelta(minutes=15)).isoformat(),
            "endsAt": (later + timedelta(minutes=15)).isoformat(),
        }
        [conflict] = (await call(http, url, token, BOOK, input=across))["errors"]
        assert conflict["extensions"]["code"] == "CONFLICT"
        assert [c["startsAt"] for c in conflict["extensions"]["conflicts"]] == [
            starts.isoformat(),
            later.isoformat(),
        ]


@pytest.mark.slow
def test_a_retry_after_a_lost_answer_gets_the_same_booking(demo_stack: DemoStack) -> None:
    asyncio.run(lost_answer(demo_stack))
