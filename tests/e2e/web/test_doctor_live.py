"""A doctor signs in with TOTP and sees a booking staff makes appear on their day, live."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.async_api import Page

from tests.e2e.test_payments import ok
from tests.e2e.test_router_subscriptions import SLOTS, book, ids
from tests.e2e.web.conftest import check_screen, open_app, shows, sign_in
from tests.support.stack import DemoStack, graphql

pytestmark = [pytest.mark.slow, pytest.mark.browser]


async def test_a_doctor_signs_in_with_totp_and_sees_a_booking_appear_live(
    demo_stack: DemoStack, page: Page
) -> None:
    doctor_id, patient_id, _ = ids(demo_stack)
    now = datetime.now(UTC)
    span = {"from": now.isoformat(), "to": (now + timedelta(days=7)).isoformat()}
    doctors = ok(graphql(demo_stack.url(), SLOTS, demo_stack.sign_in("STAFF"), **span))
    slots = next(d["availability"] for d in doctors["doctors"]["nodes"] if d["id"] == doctor_id)
    assert slots, "the demo doctor has free slots this week"
    first = datetime.fromisoformat(slots[0]["startsAt"]).astimezone(UTC)  # first day with a slot
    day_end = first.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)

    await open_app(page, demo_stack, f"/app/?day={first.date().isoformat()}")
    await sign_in(page, demo_stack.logins["DOCTOR"])
    await shows(page.get_by_test_id("live"), text="Live updates are on.")
    await check_screen(page, "doctor-day")
    await asyncio.sleep(1)  # the subscription is open before staff books

    reason = f"Web app live test {uuid.uuid4().hex[:8]}"
    book(demo_stack, doctor_id, patient_id, span=(first, day_end), reason=reason)
    await shows(page.get_by_text(reason), seconds=30)
    await check_screen(page, "doctor-day-live")
