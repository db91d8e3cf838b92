"""The harness for browser tests of the web app (clients/web) on Playwright and the system Chromium.

How to write a web test (``tests/e2e/web/test_<area>.py``)::

    import pytest
    from playwright.async_api import Page, expect

    from tests.e2e.web.conftest import check_screen, open_app, shows, sign_in
    from tests.support.stack import DemoStack

    pytestmark = [pytest.mark.slow, pytest.mark.browser]

    async def test_a_doctor_sees_the_day(demo_stack: DemoStack, page: Page) -> None:
        await open_app(page, demo_stack, "/app/")             # waits for <main>
        await sign_in(page, demo_stack.logins["DOCTOR"])      # password, then TOTP
        await shows(page.get_by_test_id("live"), text="Live updates are on.")
        await check_screen(page, "doctor-day")                # axe + 390 px + screenshots

- Fixtures: ``page`` (desktop 1280x800, timezone UTC, a fresh context per test), ``phone_page``
  (390x844, mobile, touch, UTC) and ``browser`` (one headless system Chromium per session; tests
  skip with the reason when Chromium is not installed). Two pages at once, or a phone page next to
  a desktop one: ``async with new_page(browser, phone=True) as other:``.
- Find things as a person does, with Playwright's auto-waiting locators: ``page.get_by_role("button",
  name="Pay by card")``, ``page.get_by_label("Email")``, ``page.get_by_test_id("error")``. Wait with
  ``shows(locator, text=..., seconds=...)``: on a timeout it fails with the text the page showed
  (``expect(...)`` also works; its timeout is 20 s here). ``page_text(page)`` is what is on screen.
- ``sign_in(page, demo_stack.logins[ROLE])`` signs a demo person in on the sign-in form (the TOTP
  step for staff roles, retried in the next time step); the session lives in memory only, so sign
  in after each ``open_app`` / ``page.goto``, and click links (``Link``) rather than navigating.
- ``check_screen(page, name)`` on every screen a test shows: axe-core (clients/web's npm
  devDependency) finds no critical violation, nothing is wider than 390 px on a phone, and
  screenshots land in ``tests/artefacts/web/<name>.png`` and ``<name>-phone.png`` (a phone page
  checks and saves only the phone one). A failed test leaves ``failed-<test>.png`` there too.
- Use the session's shared ``demo_stack`` and create your own data (see tests/support/stack.py);
  mark the module ``slow`` and ``browser``.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import functools
import re
import time
from collections.abc import AsyncIterator, Generator
from pathlib import Path
from typing import Any

import pyotp
import pytest
from playwright.async_api import Browser, Locator, Page, ViewportSize, expect

from tests.benchmarks.router_peers import ensure_node_modules, node_missing
from tests.support.browser import find_chromium, system_chromium
from tests.support.stack import DemoLogin, DemoStack

__all__ = [
    "ARTEFACTS",
    "DESKTOP",
    "PHONE",
    "app_url",
    "check_screen",
    "new_page",
    "open_app",
    "page_text",
    "shows",
    "sign_in",
]

REPO = Path(__file__).resolve().parents[3]
WEB = REPO / "clients" / "web"
ARTEFACTS = REPO / "tests" / "artefacts" / "web"
DESKTOP = ViewportSize(width=1280, height=800)
PHONE = ViewportSize(width=390, height=844)
WAIT_MS = 20_000

expect.set_options(timeout=WAIT_MS)

CRITICAL_AXE = """() => axe.run(document, {resultTypes: ["violations"]}).then((result) =>
  result.violations.filter((v) => v.impact === "critical").map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`))"""

WIDE_ELEMENTS = """(limit) => {
  const wide = [];
  for (const e of document.querySelectorAll("body *")) {
    const box = e.getBoundingClientRect();
    if (box.width > 0 && box.right > limit + 0.5) {
      const name = e.tagName.toLowerCase() + (e.id ? "#" + e.id : "");
      wide.push(`${name} "${(e.textContent || "").trim().slice(0, 40)}" ends at ${Math.round(box.right)}px`);
    }
  }
  return {width: document.documentElement.scrollWidth, wide: wide.slice(-5)};
}"""

_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Remember a failed test, so its page fixture saves what the page showed."""
    report = yield
    if report.when == "call" and report.failed:
        item.stash[_FAILED] = True
    return report


@pytest.fixture(scope="session")
def chromium_path() -> str:
    found = find_chromium()
    if found is None:
        pytest.skip("headless Chromium is not installed (Debian: apt-get install chromium)")
    return found


@pytest.fixture(scope="session")
async def browser(chromium_path: str) -> AsyncIterator[Browser]:
    """One headless system Chromium for the whole session."""
    async with system_chromium(chromium_path) as running:
        yield running


@contextlib.asynccontextmanager
async def new_page(browser: Browser, *, phone: bool = False) -> AsyncIterator[Page]:
    """A page in a context of its own (nothing shared: cookies, storage, session), in UTC, at
    desktop size or a phone's (390x844, mobile, touch)."""
    context = await browser.new_context(
        viewport=PHONE if phone else DESKTOP,
        device_scale_factor=1,
        is_mobile=phone,
        has_touch=phone,
        timezone_id="UTC",
        locale="en-GB",
    )
    context.set_default_timeout(WAIT_MS)
    try:
        yield await context.new_page()
    finally:
        await context.close()


@contextlib.asynccontextmanager
async def _test_page(
    browser: Browser, request: pytest.FixtureRequest, *, phone: bool
) -> AsyncIterator[Page]:
    """A page for one test; when the test fails, a screenshot of what it showed."""
    async with new_page(browser, phone=phone) as opened:
        yield opened
        if request.node.stash.get(_FAILED, False):
            ARTEFACTS.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^\w.-]+", "-", request.node.name)
            with contextlib.suppress(Exception):  # the page may be gone; the failure is reported
                await opened.screenshot(path=ARTEFACTS / f"failed-{name}.png")


@pytest.fixture
async def page(browser: Browser, request: pytest.FixtureRequest) -> AsyncIterator[Page]:
    """A desktop-size page (1280x800, UTC)."""
    async with _test_page(browser, request, phone=False) as opened:
        yield opened


@pytest.fixture
async def phone_page(browser: Browser, request: pytest.FixtureRequest) -> AsyncIterator[Page]:
    """A phone-size page (390x844, mobile, touch, UTC)."""
    async with _test_page(browser, request, phone=True) as opened:
        yield opened


def app_url(stack: DemoStack, path: str = "/app/") -> str:
    """``path`` on the stack's router (which serves the web app at /app/)."""
    return f"http://127.0.0.1:{stack.port('router')}{path}"


async def page_text(page: Page) -> str:
    """What the page shows (its body's text)."""
    try:
        return await page.locator("body").inner_text(timeout=2_000)
    except Exception as error:  # noqa: BLE001 -- only used to explain another failure
        return f"(the page could not be read: {error})"


async def shows(
    target: Locator, *, text: str | re.Pattern[str] | None = None, seconds: float = 20.0
) -> Locator:
    """Wait until ``target`` is visible (and contains ``text``); on a timeout, fail with what
    the page showed."""
    try:
        await expect(target).to_be_visible(timeout=seconds * 1000)
        if text is not None:
            await expect(target).to_contain_text(text, timeout=seconds * 1000)
    except AssertionError as error:
        pytest.fail(f"{error}\n--- the page shows ---\n{await page_text(target.page)}")
    return target


async def open_app(page: Page, stack: DemoStack, path: str = "/app/") -> None:
    """Open ``path`` of the web app and wait until it has drawn its ``<main>``."""
    await page.goto(app_url(stack, path))
    await shows(page.locator("main").first)


async def sign_in(page: Page, login: DemoLogin) -> None:
    """Password, then (staff roles) the TOTP step; retried once in the next time step, since a
    code is accepted once per step and the suite may have used this one already."""
    await page.get_by_label("Email").fill(login.email)
    await page.get_by_label("Password").fill(login.password)
    await page.get_by_role("button", name="Sign in").click()
    signed_in = page.get_by_test_id("who")
    code = page.get_by_label("Code")
    await shows(signed_in.or_(code))
    if await signed_in.is_visible():
        return
    assert login.totp_secret, f"{login.email} is asked for a code but has no TOTP secret"
    for _ in range(2):
        await code.fill(pyotp.TOTP(login.totp_secret).now())
        await page.get_by_role("button", name="Verify").click()
        await shows(signed_in.or_(page.get_by_test_id("error")))
        if await signed_in.is_visible():
            return
        await asyncio.sleep(30 - time.time() % 30 + 0.5)  # the next time step
    pytest.fail(f"{login.email} could not sign in; the page shows:\n{await page_text(page)}")


@functools.cache
def _axe_source() -> str:
    missing = node_missing()
    if missing:
        pytest.skip(f"axe-core needs npm: {missing}")
    ensure_node_modules(WEB, "axe-core")
    return (WEB / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")


async def _critical_violations(page: Page) -> list[str]:
    if not await page.evaluate("typeof axe !== 'undefined'"):
        source = await asyncio.to_thread(_axe_source)
        await page.evaluate(f"{source};true")  # evaluated by DevTools: the app's CSP allows it
    found: list[str] = await page.evaluate(CRITICAL_AXE)
    return found


async def _check_phone(page: Page, name: str) -> None:
    layout: dict[str, Any] = await page.evaluate(WIDE_ELEMENTS, PHONE["width"])
    assert layout["width"] <= PHONE["width"], (
        f"{name} scrolls sideways on a phone ({layout['width']}px): {layout['wide']}"
    )
    violations = await _critical_violations(page)
    assert violations == [], f"{name} (phone): critical accessibility violations {violations}"


async def check_screen(page: Page, name: str) -> None:
    """axe-core finds no critical violation, at desktop and phone width, nothing scrolls sideways
    at 390 px, and screenshots of both are saved as ``tests/artefacts/web/<name>[-phone].png``.
    A phone page is checked (and shot) at its own size only."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size or DESKTOP
    if size["width"] <= PHONE["width"]:
        await _check_phone(page, name)
        await page.screenshot(path=ARTEFACTS / f"{name}-phone.png")
        return
    violations = await _critical_violations(page)
    assert violations == [], f"{name}: critical accessibility violations {violations}"
    await page.screenshot(path=ARTEFACTS / f"{name}.png")
    # the same page (the session lives in its memory) shown as on a phone, then back
    devtools = await page.context.new_cdp_session(page)
    try:
        await devtools.send(
            "Emulation.setDeviceMetricsOverride",
            {**PHONE, "deviceScaleFactor": 1, "mobile": True},
        )
        await _check_phone(page, name)
        shot = await devtools.send("Page.captureScreenshot", {"format": "png"})
        (ARTEFACTS / f"{name}-phone.png").write_bytes(base64.b64decode(shot["data"]))
    finally:
        await devtools.send("Emulation.clearDeviceMetricsOverride")
        await devtools.detach()
        await page.set_viewport_size(size)
