"""The playground in headless Chromium: GraphiQL loads offline and runs a federated query."""

from __future__ import annotations

import httpx
import orjson
import pytest

from tests.router.hospital import Hospital
from tests.support.chromium import find_chromium, launch

pytestmark = pytest.mark.browser

CHROMIUM = find_chromium()

QUERY = '{ patient(id: "p1") { name visits { reason } } }'

RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""

INJECT_INLINE_SCRIPT = """(() => {
  const script = document.createElement("script");
  script.textContent = "window.__inlineRan = true";
  document.head.appendChild(script);
  return true;
})()"""

RESPONSE_TEXT = """(() => {
  const editor = document.querySelector(".graphiql-response .CodeMirror");
  return editor ? editor.CodeMirror.getValue() : "";
})()"""


@pytest.fixture
def chromium() -> str:
    if CHROMIUM is None:
        pytest.skip("headless Chromium is not installed (Debian: apt-get install chromium)")
    return CHROMIUM


TAB_TITLES = """Array.from(
  document.querySelectorAll(".graphiql-tab .graphiql-tab-button"), (tab) => tab.textContent
)"""


async def test_graphiql_opens_with_the_example_tabs(chromium: str, router_url: str) -> None:
    async with launch(chromium) as browser:
        await browser.send("Page.enable")
        await browser.send("Runtime.enable")
        await browser.send("Page.addScriptToEvaluateOnNewDocument", source=RECORD_CSP_VIOLATIONS)
        await browser.send("Page.navigate", url=f"{router_url}/graphql")
        titles = await browser.wait_for(
            f"(() => {{ const t = {TAB_TITLES}; return t.length > 1 && t; }})()"
        )
        assert titles == [
            "Login",
            "MyAppointments",
            "MyInvoices",
            "FindPatientAndDoctor",
            "AppointmentChanged",
            "Users",
        ]
        editor = "document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror"
        assert "mutation VerifyMfa" in await browser.evaluate(f"{editor}.getValue()")
        assert await browser.evaluate("window.__cspViolations") == []
        assert browser.named("Runtime.exceptionThrown") == []


async def test_graphiql_runs_a_query(chromium: str, router_url: str, hospital: Hospital) -> None:
    hospital.reset()
    async with launch(chromium) as browser:
        await browser.send("Page.enable")
        await browser.send("Runtime.enable")
        await browser.send("Network.enable")
        await browser.send("Page.addScriptToEvaluateOnNewDocument", source=RECORD_CSP_VIOLATIONS)
        # a link to a query opens it on its own tab (instead of the example tabs)
        link = httpx.URL(f"{router_url}/graphql", params={"query": QUERY})
        await browser.send("Page.navigate", url=str(link))
        await browser.wait_for(
            "!!document.querySelector('.graphiql-query-editor .CodeMirror')"
            " && !!document.querySelector('.graphiql-execute-button')"
        )
        await browser.evaluate(
            "document.querySelector('.graphiql-query-editor .CodeMirror')"
            f".CodeMirror.setValue({orjson.dumps(QUERY).decode()})"
        )
        await browser.click(".graphiql-execute-button")
        text = await browser.wait_for(
            f"(() => {{ const t = {RESPONSE_TEXT}; return t.includes('Ada Example') ? t : ''; }})()"
        )
        assert orjson.loads(text) == {
            "data": {
                "patient": {
                    "name": "Ada Example",
                    "visits": [{"reason": "check-up"}, {"reason": "fracture"}],
                }
            }
        }
        assert await browser.evaluate("window.__cspViolations") == []
        # the policy is really enforced: an injected inline script is refused and reported
        await browser.evaluate(INJECT_INLINE_SCRIPT)
        violations = await browser.wait_for(
            "window.__cspViolations.length && window.__cspViolations"
        )
        assert violations[0].startswith("script-src")
        assert await browser.evaluate("window.__inlineRan === true") is False
        exceptions = browser.named("Runtime.exceptionThrown")
        assert exceptions == [], exceptions
        urls = [event["request"]["url"] for event in browser.named("Network.requestWillBeSent")]
        foreign = [u for u in urls if not u.startswith((router_url, "data:", "about:"))]
        assert foreign == [], "the playground must load nothing from other origins"
    posted = [request["query"] for request in hospital.patients.requests]
    assert any("patient(" in query for query in posted), "the query went through the router"
