"""Brute force: per-account lockout, per-IP budgets, Retry-After, aliases counted and capped."""

from __future__ import annotations

from typing import Any

import pyotp

from subgraphs.common.context import Role
from tests.subgraphs.auth.conftest import LOGIN, PASSWORD, AuthService

LOGIN_FROM_DEVICE = """mutation($email: String!, $password: String!, $device: String) {
  login(email: $email, password: $password, deviceToken: $device) { accessToken deviceToken }
}"""


async def _device_login(
    auth: AuthService, email: str, password: str, device: str | None, ip: str
) -> dict[str, Any]:
    return await auth.gql(
        LOGIN_FROM_DEVICE, {"email": email, "password": password, "device": device}, ip=ip
    )


async def test_strangers_cannot_lock_the_owner_out_of_a_known_device(auth: AuthService) -> None:
    await auth.user("owner@example.org", Role.PATIENT)
    first = await _device_login(auth, "owner@example.org", PASSWORD, None, "10.3.0.1")
    device = first["data"]["login"]["deviceToken"]
    assert device
    limit = auth.settings.login_failures_before_lockout
    for attempt in range(limit * 2):  # a stranger, from many addresses
        await auth.login("owner@example.org", "not the password", ip=f"10.3.1.{attempt}")
    stranger = await auth.login("owner@example.org", PASSWORD, ip="10.3.2.1")
    assert stranger["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    owner = await _device_login(auth, "owner@example.org", PASSWORD, device, "10.3.0.1")
    assert owner["data"]["login"]["accessToken"], owner
    assert owner["data"]["login"]["deviceToken"]


async def test_a_known_device_has_its_own_failure_limit(auth: AuthService) -> None:
    await auth.user("clumsy@example.org", Role.PATIENT)
    first = await _device_login(auth, "clumsy@example.org", PASSWORD, None, "10.4.0.1")
    device = first["data"]["login"]["deviceToken"]
    for _ in range(auth.settings.login_failures_before_lockout):
        body = await _device_login(auth, "clumsy@example.org", "typo typo typo", device, "10.4.0.1")
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    locked = await _device_login(auth, "clumsy@example.org", PASSWORD, device, "10.4.0.1")
    assert locked["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    # the device's failures did not lock the account for the owner's other devices
    other = await _device_login(auth, "clumsy@example.org", PASSWORD, None, "10.4.0.2")
    assert other["data"]["login"]["accessToken"], other


async def test_a_device_token_only_vouches_for_its_own_account(auth: AuthService) -> None:
    await auth.user("mine@example.org", Role.PATIENT)
    await auth.user("theirs@example.org", Role.PATIENT)
    first = await _device_login(auth, "mine@example.org", PASSWORD, None, "10.5.0.1")
    device = first["data"]["login"]["deviceToken"]
    for attempt in range(auth.settings.login_failures_before_lockout):
        await auth.login("theirs@example.org", "not the password", ip=f"10.5.1.{attempt}")
    for token in (device, "v1.1.forged.0000", "garbage"):
        body = await _device_login(auth, "theirs@example.org", PASSWORD, token, "10.5.0.1")
        assert body["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


async def test_account_locks_after_repeated_failures(auth: AuthService) -> None:
    await auth.user("target@example.org", Role.PATIENT)
    limit = auth.settings.login_failures_before_lockout
    for attempt in range(limit):
        body = await auth.login("target@example.org", "wrong password!!", ip=f"10.0.0.{attempt}")
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    # Locked now: even the right password, from another address, waits.
    locked = await auth.login("target@example.org", PASSWORD, ip="10.9.9.9")
    error = locked["errors"][0]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert 0 < error["extensions"]["retryAfter"] <= auth.settings.lockout_seconds
    assert int(locked["_headers"]["retry-after"]) == error["extensions"]["retryAfter"]
    assert locked["_headers"]["ratelimit"] == f'"sign-in";r=0;t={error["extensions"]["retryAfter"]}'
    assert "auth.account_locked" in await auth.events()
    # only unknown devices wait: the account stays active for its owner's known devices
    assert await auth.count("auth_user", "status = 'LOCKED'") == 0


async def test_unknown_accounts_lock_the_same_way(auth: AuthService) -> None:
    for attempt in range(auth.settings.login_failures_before_lockout):
        await auth.login("ghost@example.org", "whatever password", ip=f"10.0.1.{attempt}")
    locked = await auth.login("ghost@example.org", "whatever password", ip="10.0.1.99")
    assert locked["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


async def test_lockout_over_rest_has_retry_after(auth: AuthService) -> None:
    await auth.user("rest.lock@example.org")
    for _ in range(auth.settings.login_failures_before_lockout):
        await auth.client.post(
            "/login", json={"email": "rest.lock@example.org", "password": "nope nope nope"}
        )
    response = await auth.client.post(
        "/login", json={"email": "rest.lock@example.org", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0
    assert response.headers["ratelimit"].startswith('"sign-in";r=0;t=')
    assert response.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


async def test_per_ip_budget(auth: AuthService) -> None:
    budget = auth.settings.ip_attempts_per_window
    for index in range(budget):
        await auth.login(f"spray{index}@example.org", "password spray!", ip="192.0.2.7")
    limited = await auth.login("spray-last@example.org", "password spray!", ip="192.0.2.7")
    assert limited["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    elsewhere = await auth.login("spray-last@example.org", "password spray!", ip="192.0.2.8")
    assert elsewhere["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_successful_login_clears_the_failure_count(auth: AuthService) -> None:
    await auth.user("forgetful@example.org")
    for _ in range(auth.settings.login_failures_before_lockout - 1):
        await auth.login("forgetful@example.org", "almost right pw")
    assert (await auth.sign_in("forgetful@example.org"))["accessToken"]
    for _ in range(auth.settings.login_failures_before_lockout - 1):
        await auth.login("forgetful@example.org", "almost right pw")
    assert (await auth.sign_in("forgetful@example.org"))["accessToken"]


async def test_aliased_logins_are_refused_and_write_nothing(auth: AuthService) -> None:
    await auth.user("alias@example.org")
    before = await auth.snapshot()
    aliases = "\n".join(
        f'a{index}: login(email: "alias@example.org", password: "guess number {index}") {{ accessToken }}'
        for index in range(10)
    )
    body = await auth.gql(f"mutation {{ {aliases} }}")
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "login may appear only once" in body["errors"][0]["message"]
    assert await auth.snapshot() == before


async def test_aliases_hidden_in_fragments_are_refused(auth: AuthService) -> None:
    query = """
    mutation { ...A ...B }
    fragment A on Mutation { x: verifyMfa(mfaToken: "t", code: "000000") { accessToken } }
    fragment B on Mutation { ... on Mutation { y: verifyMfa(mfaToken: "t", code: "000001") { accessToken } } }
    """
    body = await auth.gql(query)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_mfa_codes_cannot_be_brute_forced_across_challenges(auth: AuthService) -> None:
    """New challenges (new logins) do not reset the per-user MFA failure count."""
    _, secret = await auth.enrolled("mfa.target@example.org", Role.DOCTOR)
    verify = (
        "mutation($t: String!, $c: String!) { verifyMfa(mfaToken: $t, code: $c) { accessToken } }"
    )
    for attempt in range(auth.settings.mfa_failures_before_lockout):
        challenge = (await auth.login("mfa.target@example.org", ip=f"10.2.0.{attempt}"))["data"][
            "login"
        ]["mfaToken"]
        await auth.gql(verify, {"t": challenge, "c": "000000"}, ip=f"10.2.0.{attempt}")
    challenge = (await auth.login("mfa.target@example.org", ip="10.2.1.1"))["data"]["login"][
        "mfaToken"
    ]
    locked = await auth.gql(verify, {"t": challenge, "c": pyotp.TOTP(secret).now()}, ip="10.2.1.1")
    assert locked["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


async def test_several_operations_in_one_document_are_refused(auth: AuthService) -> None:
    """Several credential operations in one document never all run."""
    await auth.user("ops@example.org")
    document = {
        "query": LOGIN + "\n" + LOGIN.replace("mutation(", "mutation Second(", 1),
        "variables": {"email": "ops@example.org", "password": "wrong password!"},
    }
    response = await auth.client.post("/graphql", json=document)
    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
