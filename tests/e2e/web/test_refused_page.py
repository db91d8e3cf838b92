"""A patient who edits the URL to another patient's page is refused in plain words."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from tests.e2e.test_payments import ok
from tests.e2e.web.conftest import check_screen, open_app, page_text, shows, sign_in
from tests.support.stack import DemoStack, graphql

pytestmark = [pytest.mark.slow, pytest.mark.browser]

REFUSALS = {
    "You are not allowed to see or change this.",
    "We could not find what you asked for.",
    "We could not find this patient.",
}


async def test_a_patient_cannot_open_another_patients_page(
    demo_stack: DemoStack, page: Page
) -> None:
    own = ok(graphql(demo_stack.url(), "{ me { patient { id } } }", demo_stack.sign_in("PATIENT")))
    listed = ok(
        graphql(
            demo_stack.url(),
            "{ patients(first: 10) { nodes { id familyName } } }",
            demo_stack.sign_in("STAFF"),
        )
    )
    other = next(p for p in listed["patients"]["nodes"] if p["id"] != own["me"]["patient"]["id"])

    # the token lives in memory only: an edited URL opens the sign-in first, then that page
    await open_app(page, demo_stack, f"/app/patients/{other['id']}")
    await sign_in(page, demo_stack.logins["PATIENT"])
    error = await shows(page.get_by_test_id("error"))
    assert (await error.inner_text()).strip() in REFUSALS, await page_text(page)
    assert other["familyName"] not in await page_text(page)
    await check_screen(page, "patient-refused")
    await page.locator("main").get_by_role("link").first.click()  # back, still signed in
    await expect(page.get_by_test_id("who")).to_be_visible()
    await shows(page.get_by_role("heading", name="Upcoming appointments"))
