"""Who is calling, through the router: per-address budgets follow the real client, forged
X-Forwarded-For headers change nothing, and a stranger cannot lock an owner out of sign-in.

Client addresses are simulated by binding the client socket to other loopback addresses (Linux
routes all of 127/8 to the stack on 127.0.0.1). Each test uses addresses of its own and users it
creates, so the shared stack's budgets (127.0.0.1's above all) stay untouched.
"""

from __future__ import annotations

import secrets
import stat
import uuid
from typing import Any

import httpx
import pytest

from tests.support.stack import DemoStack, graphql

LOGIN = """mutation($e: String!, $p: String!, $d: String) {
  login(email: $e, password: $p, deviceToken: $d) { accessToken deviceToken }
}"""
CREATE_USER = """mutation($input: CreateUserInput!) { createUser(input: $input) { id } }"""


def _login(
    url: str,
    address: str,
    email: str,
    password: str,
    *,
    device: str | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """One login sent from the loopback ``address``; the decoded answer."""
    transport = httpx.HTTPTransport(local_address=address)
    with httpx.Client(transport=transport, timeout=30) as client:
        response = client.post(
            url,
            json={"query": LOGIN, "variables": {"e": email, "p": password, "d": device}},
            headers=headers or {},
        )
    body: dict[str, Any] = response.json()
    body["_headers"] = dict(response.headers)
    return body


def _code(answer: dict[str, Any]) -> str | None:
    errors = answer.get("errors") or []
    return errors[0]["extensions"]["code"] if errors else None


def _patient(stack: DemoStack) -> tuple[str, str]:
    """A new synthetic PATIENT account (created by the demo ADMIN): its email and password."""
    email = f"addr-{uuid.uuid4().hex[:10]}@example.org"
    password = f"Synthetic-{secrets.token_hex(8)}"
    created = graphql(
        stack.url(),
        CREATE_USER,
        stack.sign_in("ADMIN"),
        input={
            "email": email,
            "displayName": "Synthetic Addressee",
            "role": "PATIENT",
            "password": password,
        },
    )
    assert created.get("data", {}).get("createUser"), created
    return email, password


@pytest.fixture(scope="module")
def budget() -> int:
    from subgraphs.auth.settings import AuthSettings

    return AuthSettings().ip_attempts_per_window


@pytest.mark.slow  # exhausts one address's sign-in budget: ~50 argon2 checks
def test_budgets_follow_the_real_client_address_whatever_it_claims(
    demo_stack: DemoStack, budget: int
) -> None:
    email, password = _patient(demo_stack)
    url = demo_stack.url()
    for index in range(budget):  # unknown accounts; each attempt claims another address
        forged = {
            "x-forwarded-for": f"198.51.100.{index}",
            "forwarded": f"for=198.51.100.{index}",
        }
        answer = _login(url, "127.0.0.21", f"nobody-{index}@example.org", "wrong!!", headers=forged)
        assert _code(answer) == "UNAUTHENTICATED", answer
    # the router ignored the forged headers: every attempt counted against 127.0.0.21 ...
    answer = _login(url, "127.0.0.21", "nobody@example.org", "wrong!!", headers=forged)
    assert _code(answer) == "RATE_LIMITED"
    retry_after = answer["errors"][0]["extensions"]["retryAfter"]
    assert 0 < retry_after <= 300
    assert answer["_headers"]["retry-after"] == str(retry_after)
    assert answer["_headers"]["ratelimit"] == f'"subgraph";r=0;t={retry_after}'
    # ... and against nobody else: a patient at another address signs in
    answer = _login(url, "127.0.0.22", email, password)
    assert answer["data"]["login"]["accessToken"], answer


@pytest.mark.slow  # exhausts one address's sign-in budget: ~50 argon2 checks
def test_a_direct_caller_to_auth_cannot_choose_its_address(
    demo_stack: DemoStack, budget: int
) -> None:
    email, password = _patient(demo_stack)
    auth = demo_stack.url("auth")
    # the direct caller at .24 pretends to be .25, signature header and all
    forged = {
        "x-forwarded-for": "127.0.0.25",
        "x-healthgraph-forwarded-signature": "0" * 64,
    }
    for index in range(budget + 1):
        answer = _login(
            auth, "127.0.0.24", f"nobody-{index}@example.org", "wrong!!", headers=forged
        )
    assert _code(answer) == "RATE_LIMITED"  # counted against .24, its real address
    answer = _login(demo_stack.url(), "127.0.0.25", email, password)
    assert answer["data"]["login"]["accessToken"], answer


def test_a_stranger_at_many_addresses_cannot_lock_the_owner_out(demo_stack: DemoStack) -> None:
    email, password = _patient(demo_stack)
    url = demo_stack.url()
    first = _login(url, "127.0.0.26", email, password)
    device = first["data"]["login"]["deviceToken"]
    assert device, first
    for index in range(12):  # more than the account's failure limit, from 12 addresses
        answer = _login(url, f"127.0.1.{index + 1}", email, "not the password")
        assert _code(answer) in {"UNAUTHENTICATED", "RATE_LIMITED"}, answer
    # unknown devices now wait, even with the right password ...
    assert _code(_login(url, "127.0.0.27", email, password)) == "RATE_LIMITED"
    # ... but the owner's device that signed in before does not
    owner = _login(url, "127.0.0.26", email, password, device=device)
    assert owner["data"]["login"]["accessToken"], owner


def test_keys_and_secrets_live_privately_in_the_data_dir(demo_stack: DemoStack) -> None:
    data = demo_stack.data_dir
    for path in (
        data / "auth" / "master.key",
        data / "keys" / "forwarded.secret",
        data / "keys" / "clinical-prescriptions.pem",
    ):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700, path.parent
    # (the data dir itself may be 0755: run as root, embedded PostgreSQL opens a path to its
    # own unprivileged user's data directory below it)
