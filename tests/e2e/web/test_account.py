"""Account security in the browser: TOTP enrolment from the QR code (decoded from the page, the
codes computed with pyotp), then signing in with it; the enrolment a staff sign-in requires; and
signing in with the identity provider ``healthgraph up --demo`` runs (Demo ID)."""

from __future__ import annotations

import io
import time
import uuid
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
import zxingcpp
from PIL import Image
from playwright.async_api import Page, expect

from tests.e2e.web.conftest import check_screen, open_app, shows, sign_in
from tests.support.stack import DemoLogin, DemoStack, graphql

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PASSWORD = "a long synthetic passphrase 42"
CREATE_USER = """mutation($input: CreateUserInput!) { createUser(input: $input) { id } }"""
CODE_LABEL = "Then enter the 6-digit code the app shows"


def new_person(stack: DemoStack, role: str, name: str) -> DemoLogin:
    """A synthetic person of ``role`` with a password and no TOTP, made by the demo admin."""
    email = f"{name.split(maxsplit=1)[0].lower()}.{uuid.uuid4().hex[:8]}@example.test"
    answer = graphql(
        stack.url(),
        CREATE_USER,
        stack.sign_in("ADMIN"),
        input={"email": email, "displayName": name, "role": role, "password": PASSWORD},
    )
    assert "errors" not in answer, answer
    return DemoLogin(email, PASSWORD, None)


async def scanned_secret(page: Page) -> str:
    """Read the QR code as a phone would (from its pixels); its secret matches the text shown."""
    qr = await shows(page.get_by_role("img", name="QR code to add healthgraph"))
    picture = Image.open(io.BytesIO(await qr.screenshot()))
    decoded = [code.text for code in zxingcpp.read_barcodes(picture)]
    assert len(decoded) == 1, decoded
    uri = urlsplit(decoded[0])
    assert (uri.scheme, uri.netloc) == ("otpauth", "totp")
    secret = parse_qs(uri.query)["secret"][0]
    typed = await page.get_by_test_id("totp-secret").inner_text()
    assert typed.replace(" ", "") == secret
    return secret


def wrong_code(secret: str) -> str:
    """A code that no time step near now accepts."""
    totp = pyotp.TOTP(secret)
    near = {totp.at(time.time() + offset) for offset in (-30, 0, 30)}
    return next(code for code in ("000000", "111111", "222222") if code not in near)


async def confirm(page: Page, secret: str) -> list[str]:
    """A wrong code first (refused in plain words), then the right one: the recovery codes."""
    await page.get_by_label(CODE_LABEL).fill(wrong_code(secret))
    await page.get_by_role("button", name="Turn on two-step verification").click()
    await shows(page.get_by_test_id("error"), text="That code did not match.")
    await page.get_by_label(CODE_LABEL).fill(pyotp.TOTP(secret).now())
    await page.get_by_role("button", name="Turn on two-step verification").click()
    codes = await shows(page.get_by_test_id("recovery-codes"), text="shown only now")
    listed = await codes.locator("li").all_inner_texts()
    assert len(listed) == 10
    return listed


async def test_a_person_enrols_totp_from_the_qr_code_and_signs_in_with_it(
    demo_stack: DemoStack, page: Page
) -> None:
    person = new_person(demo_stack, "PATIENT", "Tove Synthetic")
    await open_app(page, demo_stack)
    await sign_in(page, person)
    await page.get_by_role("link", name="Account").click()
    await shows(page.get_by_test_id("mfa-status"), text="Off")
    await check_screen(page, "account-security")
    await page.get_by_role("button", name="Set up an authenticator app").click()
    secret = await scanned_secret(page)
    await check_screen(page, "totp-enrolment")
    first = await confirm(page, secret)
    await check_screen(page, "recovery-codes")
    await page.get_by_role("button", name="I have saved them").click()
    await shows(page.get_by_test_id("mfa-status"), text="On")

    # new recovery codes replace the old ones
    await page.get_by_role("button", name="New recovery codes").click()
    await page.get_by_role("button", name="Yes, replace them").click()
    replaced = await shows(page.get_by_test_id("recovery-codes"))
    assert set(await replaced.locator("li").all_inner_texts()).isdisjoint(first)

    await page.get_by_role("button", name="Sign out").click()
    await expect(page.get_by_label("Password")).to_be_visible()
    # password, then a code from the enrolled secret (the harness waits for a fresh time step)
    await sign_in(page, DemoLogin(person.email, PASSWORD, secret))
    await shows(page.get_by_test_id("who"), text="Tove Synthetic")


async def test_staff_without_totp_enrol_before_reaching_the_app(
    demo_stack: DemoStack, page: Page
) -> None:
    person = new_person(demo_stack, "STAFF", "Noor Synthetic")
    await open_app(page, demo_stack)
    await page.get_by_label("Email").fill(person.email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in", exact=True).click()
    await shows(page.get_by_test_id("totp-enrolment"), text="Your role needs two-step verification")
    await expect(page.get_by_test_id("who")).to_have_count(0)
    secret = await scanned_secret(page)
    await check_screen(page, "totp-enrolment-required")
    await confirm(page, secret)
    await page.get_by_role("button", name="I have saved them, continue").click()
    await shows(page.get_by_test_id("who"), text="Noor Synthetic (staff)")


async def test_a_person_signs_in_with_the_demo_identity_provider(
    demo_stack: DemoStack, page: Page
) -> None:
    email = f"robin.{uuid.uuid4().hex[:8]}@example.test"
    requested: list[str] = []  # every request the page makes, sign-in round trip included
    page.on("request", lambda request: requested.append(request.url))
    page.on("websocket", lambda socket: requested.append(socket.url))
    await open_app(page, demo_stack)
    provider = await shows(page.get_by_role("button", name="Sign in with Demo ID"))
    await check_screen(page, "sign-in")
    await provider.click()
    # the provider's own page (another origin), then back through the router to the app
    await page.get_by_label("Name").fill("Robin Synthetic")
    await page.get_by_label("Email").fill(email)
    await page.get_by_role("button", name="Continue").click()
    await shows(page.get_by_test_id("who"), text="Robin Synthetic (patient)")
    await shows(page.locator("main"), text="There is no patient record linked to this account.")
    assert urlsplit(page.url).path == "/app/"
    assert "code=" not in page.url
    history: list[str] = await page.evaluate("() => [location.href, document.referrer]")
    assert all("code=" not in entry for entry in history)
    await page.get_by_role("button", name="Sign out").click()
    # The app talks only to the router (issue 17): the OAuth start and the provider's return
    # went through it too; the only other origin is the identity provider's own page.
    router = urlsplit(demo_stack.url()).netloc
    identity_provider = urlsplit(demo_stack.url("oidc_fake")).netloc
    elsewhere = [
        url
        for url in requested
        if urlsplit(url).scheme in {"http", "https", "ws", "wss"}
        and urlsplit(url).netloc != router
        and not (urlsplit(url).netloc == identity_provider and urlsplit(url).path == "/authorize")
    ]
    assert elsewhere == [], elsewhere
    assert any(urlsplit(url).path == "/oauth/demo/callback" for url in requested), requested

    # a link that did not start in this tab is refused in plain words (and spends nothing)
    await open_app(page, demo_stack, "/app/signin/oidc#code=forged&state=forged")
    await shows(page.get_by_test_id("error"), text="not started in this browser tab")
    await check_screen(page, "sign-in-oidc-refused")
