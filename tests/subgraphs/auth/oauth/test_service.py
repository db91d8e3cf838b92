"""OAuth/OIDC sign-in end to end against a provider running on loopback."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from subgraphs.common.context import Role
from tests.subgraphs.auth.conftest import ME, AuthService
from tests.subgraphs.auth.oauth.conftest import PUBLIC_URL, to_provider
from tests.support.oidc_provider import OidcProvider


async def _callback(oauth: AuthService, path: str, query: dict[str, str]) -> httpx.Response:
    return await oauth.client.get(path, params=query)


async def test_authorize_redirect_carries_state_nonce_and_pkce(
    oauth: AuthService, provider: OidcProvider
) -> None:
    start = await oauth.client.get("/oauth/test/authorize")
    query = parse_qs(urlsplit(start.headers["location"]).query)
    assert start.headers["location"].startswith(f"{provider.issuer}/authorize?")
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert len(query["state"][0]) >= 32
    assert len(query["nonce"][0]) >= 32
    assert query["redirect_uri"] == [f"{PUBLIC_URL}/oauth/test/callback"]
    assert "openid" in query["scope"][0].split()


async def test_first_login_creates_a_linked_patient(oauth: AuthService) -> None:
    path, query = await to_provider(oauth, "alice")
    response = await _callback(oauth, path, query)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["user"]["email"] == "alice@example.org"
    assert body["user"]["role"] == "PATIENT"
    me = (await oauth.gql(ME, token=body["accessToken"]))["data"]["me"]
    assert me["displayName"] == "Alice Synthetic"
    assert (
        await oauth.count("external_identity", "provider = 'test' AND subject = 'alice-123'") == 1
    )
    assert await oauth.events() == ["user.created", "auth.oauth_linked", "auth.login_succeeded"]
    # The second sign-in finds the same user through the (provider, subject) link.
    path, query = await to_provider(oauth, "alice")
    again = (await _callback(oauth, path, query)).json()
    assert again["user"]["id"] == body["user"]["id"]
    assert await oauth.count("auth_user") == 1


async def test_wrong_state(oauth: AuthService) -> None:
    path, query = await to_provider(oauth, "alice")
    before = await oauth.snapshot()
    forged = await _callback(oauth, path, {**query, "state": "forged-state"})
    assert forged.status_code == 401
    assert forged.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    missing = await _callback(oauth, path, {"code": query["code"]})
    assert missing.status_code == 401
    assert await oauth.snapshot() == before


async def test_state_is_single_use(oauth: AuthService) -> None:
    path, query = await to_provider(oauth, "alice")
    assert (await _callback(oauth, path, query)).status_code == 200
    before = await oauth.snapshot()
    replay = await _callback(oauth, path, query)
    assert replay.status_code == 401
    assert await oauth.snapshot() == before


async def test_replayed_code(oauth: AuthService, provider: OidcProvider) -> None:
    path, first = await to_provider(oauth, "alice")
    assert (await _callback(oauth, path, first)).status_code == 200
    # A fresh, valid state, but the code already spent: the provider refuses it.
    _, second = await to_provider(oauth, "alice")
    before = await oauth.snapshot()
    replay = await _callback(oauth, path, {"code": first["code"], "state": second["state"]})
    assert replay.status_code == 401
    assert "code" in replay.json()["errors"][0]["message"]
    assert await oauth.snapshot() == before


async def test_wrong_nonce(oauth: AuthService, provider: OidcProvider) -> None:
    provider.wrong_nonce = True
    path, query = await to_provider(oauth, "alice")
    before = await oauth.snapshot()
    response = await _callback(oauth, path, query)
    assert response.status_code == 401
    assert "nonce" in response.json()["errors"][0]["message"]
    assert await oauth.snapshot() == before


async def test_unverified_email_creates_and_links_nothing(oauth: AuthService) -> None:
    await oauth.user("bob@example.org", Role.PATIENT, password=None)
    path, query = await to_provider(oauth, "bob")
    before = await oauth.snapshot()
    response = await _callback(oauth, path, query)
    assert response.status_code == 401
    assert (
        response.json()["errors"][0]["message"]
        == "The provider has not verified your email address."
    )
    assert await oauth.snapshot() == before


async def test_verified_email_links_to_a_passwordless_account(oauth: AuthService) -> None:
    invited = await oauth.user("carol@example.org", Role.PATIENT, password=None)
    path, query = await to_provider(oauth, "carol")
    body = (await _callback(oauth, path, query)).json()
    assert body["user"]["id"] == str(invited.id)
    assert await oauth.count("external_identity", f"user_id = '{invited.id}'") == 1


async def test_verified_email_never_takes_over_a_password_account(oauth: AuthService) -> None:
    await oauth.user("dave@example.org", Role.PATIENT)
    path, query = await to_provider(oauth, "dave")
    before = await oauth.snapshot()
    response = await _callback(oauth, path, query)
    assert response.status_code == 409
    assert response.json()["errors"][0]["extensions"]["code"] == "CONFLICT"
    assert await oauth.snapshot() == before


async def test_staff_signing_in_through_a_provider_still_needs_our_mfa(oauth: AuthService) -> None:
    await oauth.user("carol@example.org", Role.DOCTOR, password=None)
    path, query = await to_provider(oauth, "carol")
    body: dict[str, Any] = (await _callback(oauth, path, query)).json()
    assert body["mfaRequired"] is True
    assert body["mfaEnrollmentRequired"] is True
    assert "accessToken" not in body


async def test_provider_error_and_unknown_provider(oauth: AuthService) -> None:
    path, query = await to_provider(oauth, "nobody")  # the provider answers access_denied
    assert query["error"] == "access_denied"
    denied = await _callback(oauth, path, query)
    assert denied.status_code == 401
    unknown = await oauth.client.get("/oauth/myspace/authorize")
    assert unknown.status_code == 404
    assert unknown.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
