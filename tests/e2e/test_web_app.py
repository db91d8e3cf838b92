"""The web app (clients/web) in headless Chromium against ``healthgraph up --demo``: sign-in with
TOTP, a patient's appointments and a card payment that turns PAID when Stripe's webhook lands, a
doctor's day updated live by a booking staff makes, another patient's page refused in plain words.
Each screen passes axe-core with no critical violation and fits a phone's width; screenshots are
saved under tests/artefacts/web/."""

from __future__ import annotations

import asyncio
import base64
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pyotp
import pytest

from tests.benchmarks.router_peers import ensure_node_modules, node_missing
from tests.e2e.test_payments import issued_invoice, ok
from tests.e2e.test_router_subscriptions import SLOTS, book, ids
from tests.support.chromium import Browser, find_chromium, launch
from tests.support.stack import DemoLogin, DemoStack, graphql

pytestmark = [pytest.mark.slow, pytest.mark.browser]

REPO = Path(__file__).resolve().parents[2]
WEB = REPO / "clients" / "web"
ARTEFACTS = REPO / "tests" / "artefacts" / "web"
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}

CRITICAL_AXE = """axe.run(document, {resultTypes: ["violations"]}).then(
  (result) => result.violations.filter((v) => v.impact === "critical").map((v) => v.id))"""


@pytest.fixture(scope="module")
def chromium() -> str:
    found = find_chromium()
    if found is None:
        pytest.skip("headless Chromium is not installed (Debian: apt-get install chromium)")
    return found


@pytest.fixture(scope="module")
def axe_source() -> str:
    """axe-core from clients/web's npm dependencies (installed once when missing)."""
    missing = node_missing()
    if missing:
        pytest.skip(f"axe-core needs npm: {missing}")
    ensure_node_modules(WEB, "axe-core")
    return (WEB / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")


def app_url(stack: DemoStack, path: str = "/app/") -> str:
    return f"http://127.0.0.1:{stack.port('router')}{path}"


def js(value: Any) -> str:
    return orjson.dumps(value).decode()


@pytest.fixture
async def page(chromium: str) -> AsyncIterator[Browser]:
    async with launch(chromium) as browser:
        await browser.send("Page.enable")
        await browser.send("Runtime.enable")
        await browser.send("Emulation.setTimezoneOverride", timezoneId="UTC")
        yield browser


async def open_page(browser: Browser, url: str) -> None:
    await browser.send("Page.navigate", url=url)
    await browser.wait_for("document.readyState === 'complete' && !!document.querySelector('main')")


async def fill(browser: Browser, selector: str, text: str) -> None:
    """Type into a field as a person would (React sees real input events)."""
    await browser.wait_for(f"!!document.querySelector({js(selector)})")
    await browser.evaluate(
        f"(() => {{ const e = document.querySelector({js(selector)}); e.focus(); e.select(); }})()"
    )
    await browser.send("Input.insertText", text=text)


async def press(browser: Browser, selector: str) -> None:
    """Scroll a button into view and click it."""
    await browser.wait_for(f"!!document.querySelector({js(selector)})")
    await browser.evaluate(
        f"document.querySelector({js(selector)}).scrollIntoView({{block: 'center'}})"
    )
    await browser.click(selector)


async def text(browser: Browser) -> str:
    return str(await browser.evaluate("document.body.innerText"))


async def shows(browser: Browser, expression: str, seconds: float = 20.0) -> Any:
    """Wait for `expression`; on a timeout, fail with what the page shows."""
    try:
        return await browser.wait_for(expression, seconds)
    except TimeoutError:
        pytest.fail(f"waited for {expression}; the page shows: {await text(browser)}")


async def sign_in(browser: Browser, login: DemoLogin) -> None:
    """Password, then (staff roles) the TOTP step; retried once in the next time step, since a
    code is accepted once per step and the suite may have used this one already."""
    await fill(browser, "#email", login.email)
    await fill(browser, "#password", login.password)
    await press(browser, "form button[type=submit]")
    done = "!!document.querySelector('[data-testid=who]')"
    asked = "!!document.querySelector('#code')"
    await browser.wait_for(f"{done} || {asked}")
    if await browser.evaluate(done):
        return
    assert login.totp_secret, login.email
    for _ in range(2):
        await fill(browser, "#code", pyotp.TOTP(login.totp_secret).now())
        await press(browser, "form button[type=submit]")
        error = "!!document.querySelector('[data-testid=error]')"
        await browser.wait_for(f"{done} || {error}")
        if await browser.evaluate(done):
            return
        await asyncio.sleep(30 - time.time() % 30 + 0.5)  # the next time step
    pytest.fail(await text(browser))


async def check_screen(browser: Browser, axe: str, name: str) -> None:
    """axe-core finds no critical violation, at desktop and phone width; screenshots of both."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    await browser.evaluate(f"{axe};true")
    assert await browser.evaluate(CRITICAL_AXE) == [], name
    shot = await browser.send("Page.captureScreenshot", format="png")
    (ARTEFACTS / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))
    await browser.send("Emulation.setDeviceMetricsOverride", **PHONE)
    try:
        width = await browser.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{name} scrolls sideways on a phone ({width}px)"
        assert await browser.evaluate(CRITICAL_AXE) == [], f"{name} (phone)"
        shot = await browser.send("Page.captureScreenshot", format="png")
        (ARTEFACTS / f"{name}-phone.png").write_bytes(base64.b64decode(shot["data"]))
    finally:
        await browser.send("Emulation.clearDeviceMetricsOverride")


async def test_a_patient_sees_appointments_and_pays_an_invoice_by_card(
    demo_stack: DemoStack, page: Browser, axe_source: str
) -> None:
    invoice = issued_invoice(demo_stack, demo_stack.sign_in("PATIENT"))
    await open_page(page, app_url(demo_stack))
    await check_screen(page, axe_source, "sign-in")
    await sign_in(page, demo_stack.logins["PATIENT"])
    await shows(page, "!!document.querySelector('[aria-labelledby=upcoming-title]')")
    await shows(page, f"!!document.querySelector('[data-invoice={js(invoice)}]')")
    shown = await text(page)
    assert "Upcoming appointments" in shown
    assert "Past appointments" in shown
    assert "Live updates are on." in shown
    await check_screen(page, axe_source, "patient-home")

    await press(page, f"[data-invoice={js(invoice)}] button")
    await shows(
        page,
        f"document.querySelector('[data-invoice={js(invoice)}]').dataset.status === 'PAID'",
        30,
    )
    await check_screen(page, axe_source, "patient-invoice-paid")


async def test_a_doctor_signs_in_with_totp_and_sees_a_booking_appear_live(
    demo_stack: DemoStack, page: Browser, axe_source: str
) -> None:
    doctor_id, patient_id, _ = ids(demo_stack)
    now = datetime.now(UTC)
    span = {"from": now.isoformat(), "to": (now + timedelta(days=7)).isoformat()}
    doctors = ok(graphql(demo_stack.url(), SLOTS, demo_stack.sign_in("STAFF"), **span))
    slots = next(d["availability"] for d in doctors["doctors"]["nodes"] if d["id"] == doctor_id)
    assert slots, "the demo doctor has free slots this week"
    first = datetime.fromisoformat(slots[0]["startsAt"]).astimezone(UTC)  # first day with a slot
    day_end = first.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)

    await open_page(page, app_url(demo_stack, f"/app/?day={first.date().isoformat()}"))
    await sign_in(page, demo_stack.logins["DOCTOR"])
    await shows(
        page, "document.querySelector('[data-testid=live]')?.textContent === 'Live updates are on.'"
    )
    await check_screen(page, axe_source, "doctor-day")
    await asyncio.sleep(1)  # the subscription is open before staff books

    reason = f"Web app live test {uuid.uuid4().hex[:8]}"
    book(demo_stack, doctor_id, patient_id, span=(first, day_end), reason=reason)
    await shows(page, f"document.body.innerText.includes({js(reason)})", 30)
    await check_screen(page, axe_source, "doctor-day-live")


async def test_a_patient_cannot_open_another_patients_page(
    demo_stack: DemoStack, page: Browser, axe_source: str
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
    await open_page(page, app_url(demo_stack, f"/app/patients/{other['id']}"))
    await sign_in(page, demo_stack.logins["PATIENT"])
    message = await shows(page, "document.querySelector('[data-testid=error]')?.textContent")
    assert message in {
        "You are not allowed to see or change this.",
        "We could not find what you asked for.",
        "We could not find this patient.",
    }
    assert other["familyName"] not in await text(page)
    await check_screen(page, axe_source, "patient-refused")
    await press(page, "main a")  # back to the start, still signed in
    await shows(page, "!!document.querySelector('[aria-labelledby=upcoming-title]')")


async def test_an_idle_session_is_signed_out(demo_stack: DemoStack, page: Browser) -> None:
    # the router's config, answered with a 3-second limit (the stack's is 15 minutes)
    await page.send("Fetch.enable", patterns=[{"urlPattern": "*/app/config.json"}])
    await page.send("Page.navigate", url=app_url(demo_stack))
    deadline = time.monotonic() + 20
    while not (paused := page.named("Fetch.requestPaused")):
        assert time.monotonic() < deadline, "the app did not ask for its config"
        await asyncio.sleep(0.05)
    config = {"graphqlPath": "/graphql", "idleMinutes": 0.05, "stripeApiBase": None}
    await page.send(
        "Fetch.fulfillRequest",
        requestId=paused[0]["requestId"],
        responseCode=200,
        responseHeaders=[{"name": "content-type", "value": "application/json"}],
        body=base64.b64encode(orjson.dumps(config)).decode(),
    )
    await page.send("Fetch.disable")
    await sign_in(page, demo_stack.logins["PATIENT"])
    notice = await shows(page, "document.querySelector('[data-testid=notice]')?.textContent", 15)
    assert notice == "You were signed out after a period of inactivity."
    assert await page.evaluate("!!document.querySelector('#email')")


async def test_the_access_token_is_renewed_silently(demo_stack: DemoStack, page: Browser) -> None:
    # sign-in's answer is given a 61-second token, so the app renews it within seconds
    await page.send(
        "Fetch.enable", patterns=[{"urlPattern": "*/graphql", "requestStage": "Response"}]
    )
    await open_page(page, app_url(demo_stack))
    await fill(page, "#email", demo_stack.logins["PATIENT"].email)
    await fill(page, "#password", demo_stack.logins["PATIENT"].password)
    await press(page, "form button[type=submit]")
    renewed: dict[str, Any] | None = None
    issued: list[str] = []
    deadline = time.monotonic() + 30
    while renewed is None:
        assert time.monotonic() < deadline, "the app did not renew its token"
        for event in page.named("Fetch.requestPaused"):
            if event.get("handled"):
                continue
            event["handled"] = True
            answer = await page.send("Fetch.getResponseBody", requestId=event["requestId"])
            body = base64.b64decode(answer["body"]) if answer["base64Encoded"] else answer["body"]
            data = orjson.loads(body)
            login = (data.get("data") or {}).get("login")
            if login and login.get("accessToken"):
                login["expiresIn"] = 61
                issued.append(login["refreshToken"])
            if (data.get("data") or {}).get("refreshToken"):
                renewed = data["data"]["refreshToken"]
            await page.send(
                "Fetch.fulfillRequest",
                requestId=event["requestId"],
                responseCode=event["responseStatusCode"],
                responseHeaders=event["responseHeaders"],
                body=base64.b64encode(orjson.dumps(data)).decode(),
            )
        await asyncio.sleep(0.05)
    await page.send("Fetch.disable")
    assert renewed["accessToken"]
    assert renewed["refreshToken"] not in issued, "the refresh token rotates"
    await shows(page, "!!document.querySelector('[data-testid=who]')")  # still signed in
