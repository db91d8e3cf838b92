"""Analytics through ``healthgraph up --demo``'s router: staff book and cancel an appointment, and
an administrator's ``analyticsToday`` subscription (graphql-transport-ws through the router) and
the ``analytics`` query both show the figures move; doctors and patients are refused.

The demo stack is shared by the session, so figures only ever grow by at least this test's share.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.e2e.test_router_subscriptions import book, cancel, ids
from tests.subgraphs.clinical.live.wsclient import GraphQLWebSocket, graphql_ws
from tests.support.stack import DemoStack, graphql

pytestmark = pytest.mark.slow  # the shared demo stack; the consumer follows the outbox relay

TODAY = "query($day: Date!) { analytics(from: $day, to: $day) { days { appointments { booked cancelled } } } }"
LIVE = "subscription { analyticsToday { date appointments { booked cancelled } signIns } }"
LAG = "{ analyticsLag { group total } }"


async def _until(ws: GraphQLWebSocket, operation: str, field: str, at_least: int) -> dict[str, Any]:
    """The first ``analyticsToday`` with ``appointments.<field>`` of ``at_least`` or more."""
    for _ in range(200):
        payload = await ws.next_payload(operation, limit=60)
        assert "errors" not in payload, payload
        today: dict[str, Any] = payload["data"]["analyticsToday"]
        if today["appointments"][field] >= at_least:
            return today
    pytest.fail(f"analyticsToday never reached {field} {at_least}")


async def _watch(stack: DemoStack) -> None:
    doctor_id, patient_id, _ = await asyncio.to_thread(ids, stack)
    admin = await asyncio.to_thread(stack.sign_in, "ADMIN")
    router = stack.url().replace("http://", "ws://")
    async with graphql_ws(router, token=admin) as ws:
        operation = await ws.subscribe(LIVE)
        first = (await ws.next_payload(operation, limit=30))["data"]["analyticsToday"]
        assert first["date"] == str(datetime.now(UTC).date())
        before = first["appointments"]
        appointment = await asyncio.to_thread(book, stack, doctor_id, patient_id)
        await _until(ws, operation, "booked", before["booked"] + 1)
        await asyncio.to_thread(cancel, stack, appointment)
        await _until(ws, operation, "cancelled", before["cancelled"] + 1)

    staff = stack.sign_in("STAFF")
    figures = graphql(stack.url(), TODAY, staff, day=str(datetime.now(UTC).date()))
    (day,) = figures["data"]["analytics"]["days"]
    assert day["appointments"]["booked"] >= before["booked"] + 1, figures
    assert day["appointments"]["cancelled"] >= before["cancelled"] + 1, figures
    lag = graphql(stack.url(), LAG, staff)
    assert lag["data"]["analyticsLag"]["group"] == "clinical-analytics", lag


def test_booking_and_cancelling_move_todays_figures_live(demo_stack: DemoStack) -> None:
    asyncio.run(_watch(demo_stack))


@pytest.mark.parametrize("role", ["DOCTOR", "PATIENT"])
def test_doctors_and_patients_are_refused_by_the_router(demo_stack: DemoStack, role: str) -> None:
    token = demo_stack.sign_in(role)
    answer = graphql(demo_stack.url(), TODAY, token, day=str(datetime.now(UTC).date()))
    assert answer["data"] == {"analytics": None}, answer
    assert answer["errors"][0]["extensions"]["code"] == "UNAUTHORIZED_FIELD_OR_TYPE", answer
    assert answer["errors"][0]["path"] == ["analytics"]


async def _subscribe_as(stack: DemoStack, role: str) -> dict[str, Any]:
    token = await asyncio.to_thread(stack.sign_in, role)
    async with graphql_ws(stack.url().replace("http://", "ws://"), token=token) as ws:
        operation = await ws.subscribe(LIVE)
        message = await ws.receive(limit=30)
        assert message.get("id") == operation, message
        return message


def test_a_patient_cannot_subscribe_to_the_figures(demo_stack: DemoStack) -> None:
    message = asyncio.run(_subscribe_as(demo_stack, "PATIENT"))
    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    assert {error["extensions"]["code"] for error in errors} == {"UNAUTHORIZED_FIELD_OR_TYPE"}, (
        message
    )
    assert message["type"] == "error" or message["payload"].get("data") is None, message
