"""The session in the browser: signed out after the idle limit, its access token renewed silently
(and the refresh token rotated) before it expires."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from playwright.async_api import Page, Route, expect

from tests.e2e.web.conftest import app_url, open_app, shows, sign_in
from tests.support.stack import DemoStack

pytestmark = [pytest.mark.slow, pytest.mark.browser]


async def test_an_idle_session_is_signed_out(demo_stack: DemoStack, page: Page) -> None:
    # the router's config, answered with a 3-second limit (the stack's is 15 minutes)
    config = {"graphqlPath": "/graphql", "idleMinutes": 0.05, "stripeApiBase": None}
    await page.route("**/app/config.json", lambda route: route.fulfill(json=config))
    await page.goto(app_url(demo_stack))
    await sign_in(page, demo_stack.logins["PATIENT"])
    await shows(
        page.get_by_test_id("notice"),
        text="You were signed out after a period of inactivity.",
        seconds=15,
    )
    await expect(page.get_by_label("Email")).to_be_visible()


async def test_the_access_token_is_renewed_silently(demo_stack: DemoStack, page: Page) -> None:
    # sign-in's answer is given a 61-second token, so the app renews it within seconds
    issued: list[str] = []
    renewed: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()

    async def shorten(route: Route) -> None:
        response = await route.fetch()
        data = await response.json()
        answer = data.get("data") or {}
        login = answer.get("login")
        if login and login.get("accessToken"):
            login["expiresIn"] = 61
            issued.append(login["refreshToken"])
        if answer.get("refreshToken") and not renewed.done():
            renewed.set_result(answer["refreshToken"])
        await route.fulfill(response=response, json=data)

    await page.route(re.compile(r"/graphql$"), shorten)
    await open_app(page, demo_stack)
    await sign_in(page, demo_stack.logins["PATIENT"])
    tokens = await asyncio.wait_for(renewed, 30)
    assert issued, "the sign-in answer went through the test"
    assert tokens["accessToken"]
    assert tokens["refreshToken"] not in issued, "the refresh token rotates"
    await expect(page.get_by_test_id("who")).to_be_visible()  # still signed in
