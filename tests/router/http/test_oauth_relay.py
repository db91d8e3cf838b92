"""The router relays auth's two OAuth browser endpoints, and nothing else, to the ``auth`` subgraph."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from router.http import create_app
from router.http.forwarded import FORWARDED_SIGNATURE_HEADER
from router.settings import RouterSettings
from router.supergraph import parse_supergraph
from tests.router.loopback import free_port, sample_sdl, serve

SUPERGRAPH = Path(__file__).resolve().parents[3] / "schema" / "supergraph.graphql"
SECRET = "router-and-auth-share-this"
PROVIDER = "https://id.example.test/authorize?client_id=healthgraph"


class FakeAuth:
    """Auth's OAuth endpoints as the relay sees them; records what reached it."""

    def __init__(self) -> None:
        self.seen: list[Request] = []

    async def authorize(self, request: Request) -> Response:
        self.seen.append(request)
        response = RedirectResponse(PROVIDER, 302, headers={"cache-control": "no-store"})
        response.set_cookie("session", "state-one", httponly=True)
        response.set_cookie("other", "two")
        return response

    async def callback(self, request: Request) -> Response:
        self.seen.append(request)
        if request.query_params.get("big"):
            return PlainTextResponse("x" * 100_000)
        return RedirectResponse(
            "http://127.0.0.1:4000/app/signin/oidc#code=c1",
            302,
            headers={"cache-control": "no-store"},
        )

    async def elsewhere(self, request: Request) -> Response:
        self.seen.append(request)
        return PlainTextResponse("auth's own")

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/oauth/{provider}/authorize", self.authorize),
                Route("/oauth/{provider}/callback", self.callback),
                Route("/oauth/{provider}/other", self.elsewhere),
                Route("/login", self.elsewhere, methods=["GET", "POST"]),
                Route("/.well-known/jwks.json", self.elsewhere),
            ]
        )


@contextlib.asynccontextmanager
async def router(sdl: str, **settings: object) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(parse_supergraph(sdl), RouterSettings(**settings))  # type: ignore[arg-type]
    async with serve(app) as url, httpx.AsyncClient(base_url=url, timeout=10) as client:
        yield client


@pytest.fixture(scope="module")
def supergraph() -> str:
    return SUPERGRAPH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
async def relayed(supergraph: str) -> AsyncIterator[tuple[FakeAuth, httpx.AsyncClient]]:
    """A router whose ``auth`` subgraph is the fake, shared by the module's tests."""
    fake = FakeAuth()
    async with serve(fake.app()) as url:
        urls = {"auth": f"{url}/graphql"}
        async with router(
            supergraph, subgraph_urls=urls, forwarded_secret=SECRET, webapp=False
        ) as client:
            yield fake, client


@pytest.fixture
def auth(relayed: tuple[FakeAuth, httpx.AsyncClient]) -> FakeAuth:
    relayed[0].seen.clear()
    return relayed[0]


@pytest.fixture
def client(relayed: tuple[FakeAuth, httpx.AsyncClient]) -> httpx.AsyncClient:
    return relayed[1]


async def test_the_start_redirect_and_its_cookies_come_back_from_auth(
    client: httpx.AsyncClient, auth: FakeAuth
) -> None:
    answer = await client.get("/oauth/demo/authorize?app_state=abc_DEF-123&x=a%2Fb")
    assert answer.status_code == 302
    assert answer.headers["location"] == PROVIDER
    assert answer.headers["cache-control"] == "no-store"
    cookies = answer.headers.get_list("set-cookie")
    assert [cookie.split(";")[0] for cookie in cookies] == ["session=state-one", "other=two"]
    assert "httponly" in cookies[0].lower()
    (seen,) = auth.seen
    assert seen.url.path == "/oauth/demo/authorize"
    assert seen.url.query == "app_state=abc_DEF-123&x=a%2Fb"  # as the browser sent it
    # the client's address, as the router forwards it for GraphQL: signed
    forwarded_for = seen.headers["x-forwarded-for"]
    assert forwarded_for == "127.0.0.1"
    expected = hmac.new(SECRET.encode(), forwarded_for.encode(), hashlib.sha256).hexdigest()
    assert seen.headers[FORWARDED_SIGNATURE_HEADER] == expected


async def test_the_callback_carries_the_cookie_and_a_forged_address_is_not_believed(
    client: httpx.AsyncClient, auth: FakeAuth
) -> None:
    answer = await client.get(
        "/oauth/demo/callback?code=abc&state=xyz",
        headers={"cookie": "session=state-one", "x-forwarded-for": "203.0.113.9"},
    )
    assert answer.status_code == 302
    assert answer.headers["location"].endswith("/app/signin/oidc#code=c1")
    (seen,) = auth.seen
    assert seen.url.query == "code=abc&state=xyz"
    assert seen.cookies == {"session": "state-one"}
    assert seen.headers["x-forwarded-for"] == "127.0.0.1"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/oauth/demo/other"),
        ("GET", "/oauth/demo"),
        ("GET", "/oauth/Demo/authorize"),  # provider names are [a-z0-9_-]{1,40}
        ("GET", "/oauth/demo..x/authorize"),
        ("GET", "/oauth/%2e%2e/authorize"),
        ("GET", "/oauth/../login"),
        ("GET", f"/oauth/{'a' * 41}/authorize"),
        ("GET", "/login"),
        ("GET", "/.well-known/jwks.json"),
        ("POST", "/oauth/demo/callback"),
        ("HEAD", "/oauth/demo/authorize"),
    ],
)
async def test_nothing_else_reaches_auth(
    client: httpx.AsyncClient, auth: FakeAuth, method: str, path: str
) -> None:
    answer = await client.request(method, path)
    assert answer.status_code in {404, 405}, (path, answer.status_code)
    assert auth.seen == []


async def test_an_answer_too_large_is_not_passed_on(
    client: httpx.AsyncClient, auth: FakeAuth
) -> None:
    answer = await client.get("/oauth/demo/callback?big=1")
    assert answer.status_code == 502
    assert len(auth.seen) == 1


async def test_without_an_auth_subgraph_there_is_nothing_to_relay() -> None:
    async with router(sample_sdl(), webapp=False) as client:
        answer = await client.get("/oauth/demo/authorize")
    assert answer.status_code == 404


async def test_auth_down_is_a_short_502_and_the_router_stays_up(
    supergraph: str, caplog: pytest.LogCaptureFixture
) -> None:
    urls = {"auth": f"http://127.0.0.1:{free_port()}/graphql"}  # nobody listens there
    async with router(supergraph, subgraph_urls=urls, webapp=False) as client:
        answer = await client.get("/oauth/demo/authorize?app_state=x")
        assert answer.status_code == 502
        assert answer.headers["content-type"].startswith("text/plain")
        assert "not reachable" in answer.text
        assert "Traceback" not in answer.text
        assert len(answer.content) < 200
        assert (await client.get("/health")).status_code == 200
    assert "Traceback" not in caplog.text
    assert [record.message for record in caplog.records if "oauth" in record.name] == [
        "oauth relay to auth failed: ConnectError"
    ]
