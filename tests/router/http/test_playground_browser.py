"""The playground in headless Chromium: GraphiQL loads offline and runs a federated query."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import orjson
import pytest
from playwright.async_api import Browser, Page, expect

from tests.router.hospital import Hospital
from tests.support.browser import find_chromium, system_chromium

pytestmark = pytest.mark.browser

QUERY = '{ patient(id: "p1") { name visits { reason } } }'

RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""

INJECT_INLINE_SCRIPT = """() => {
  const script = document.createElement("script");
  script.textContent = "window.__inlineRan = true";
  document.head.appendChild(script);
  return true;
}"""

RESPONSE_TEXT = """() => {
  const editor = document.querySelector(".graphiql-response .CodeMirror");
  return editor ? editor.CodeMirror.getValue() : "";
}"""


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    found = find_chromium()
    if found is None:
        pytest.skip("headless Chromium is not installed (Debian: apt-get install chromium)")
    async with system_chromium(found) as running:
        yield running


@pytest.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    """A fresh page that records CSP violations and uncaught exceptions."""
    context = await browser.new_context()
    context.set_default_timeout(20_000)
    await context.add_init_script(RECORD_CSP_VIOLATIONS)
    opened = await context.new_page()
    try:
        yield opened
    finally:
        await context.close()


TAB_TITLES = ".graphiql-tab .graphiql-tab-button"


async def test_graphiql_opens_with_the_example_tabs(page: Page, router_url: str) -> None:
    exceptions: list[str] = []
    page.on("pageerror", lambda error: exceptions.append(str(error)))
    await page.goto(f"{router_url}/graphql")
    await expect(page.locator(TAB_TITLES)).to_have_text(
        [
            "Login",
            "MyAppointments",
            "MyInvoices",
            "FindPatientAndDoctor",
            "AppointmentChanged",
            "Users",
        ]
    )
    editor = "document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror"
    assert "mutation VerifyMfa" in await page.evaluate(f"{editor}.getValue()")
    assert await page.evaluate("window.__cspViolations") == []
    assert exceptions == []


async def test_graphiql_runs_a_query(page: Page, router_url: str, hospital: Hospital) -> None:
    hospital.reset()
    exceptions: list[str] = []
    urls: list[str] = []
    page.on("pageerror", lambda error: exceptions.append(str(error)))
    page.on("request", lambda request: urls.append(request.url))
    # a link to a query opens it on its own tab (instead of the example tabs)
    link = httpx.URL(f"{router_url}/graphql", params={"query": QUERY})
    await page.goto(str(link))
    await expect(page.locator(".graphiql-query-editor .CodeMirror")).to_be_visible()
    await page.evaluate(
        "document.querySelector('.graphiql-query-editor .CodeMirror')"
        f".CodeMirror.setValue({orjson.dumps(QUERY).decode()})"
    )
    await page.locator(".graphiql-execute-button").click()
    await page.wait_for_function(f"({RESPONSE_TEXT})().includes('Ada Example')")
    assert orjson.loads(await page.evaluate(RESPONSE_TEXT)) == {
        "data": {
            "patient": {
                "name": "Ada Example",
                "visits": [{"reason": "check-up"}, {"reason": "fracture"}],
            }
        }
    }
    assert await page.evaluate("window.__cspViolations") == []
    # the policy is really enforced: an injected inline script is refused and reported
    await page.evaluate(INJECT_INLINE_SCRIPT)
    await page.wait_for_function("window.__cspViolations.length > 0")
    violations = await page.evaluate("window.__cspViolations")
    assert violations[0].startswith("script-src")
    assert await page.evaluate("window.__inlineRan === true") is False
    assert exceptions == [], exceptions
    foreign = [u for u in urls if not u.startswith((router_url, "data:", "about:"))]
    assert foreign == [], "the playground must load nothing from other origins"
    posted = [request["query"] for request in hospital.patients.requests]
    assert any("patient(" in query for query in posted), "the query went through the router"
