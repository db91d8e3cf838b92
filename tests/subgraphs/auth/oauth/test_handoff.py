"""OIDC sign-in handed to the browser app: a one-time code in the URL fragment, never a token."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from pydantic import ValidationError

from subgraphs.auth.settings import AuthSettings
from subgraphs.common.context import Role
from tests.subgraphs.auth.conftest import ME, AuthService
from tests.subgraphs.auth.oauth.conftest import PUBLIC_URL, to_provider

APP_PAGE = "http://app.test/app/signin/oidc"
APP_STATE = "app-state-0123456789abcdef"
REDEEM = """
mutation Redeem($code: String!) {
  completeOAuthSignIn(code: $code) {
    accessToken refreshToken mfaRequired mfaEnrollmentRequired mfaToken user { email role }
  }
}"""


@pytest.fixture
def oauth_settings() -> dict[str, Any]:
    return {"oauth_success_redirect": APP_PAGE}


async def _back_to_app(oauth: AuthService, account: str) -> tuple[str, dict[str, str]]:
    """The provider's redirect to our callback, then ours to the app: (the app URL, its fragment)."""
    path, query = await to_provider(oauth, account, f"/oauth/test/authorize?app_state={APP_STATE}")
    response = await oauth.client.get(path, params=query)
    assert response.status_code == 302, response.text
    assert response.headers["cache-control"] == "no-store"
    location = response.headers["location"]
    target = urlsplit(location)
    assert location.startswith(f"{APP_PAGE}#")
    assert target.query == ""
    return location, {key: values[0] for key, values in parse_qs(target.fragment).items()}


async def test_the_app_gets_a_one_time_code_and_redeems_it_for_tokens(oauth: AuthService) -> None:
    location, fragment = await _back_to_app(oauth, "alice")
    assert set(fragment) == {"code", "state"}
    assert fragment["state"] == APP_STATE
    assert "eyJ" not in location  # no JWT anywhere in the URL
    before = await oauth.count("refresh_token")
    answer = await oauth.gql(REDEEM, {"code": fragment["code"]})
    payload = answer["data"]["completeOAuthSignIn"]
    assert payload["user"] == {"email": "alice@example.org", "role": "PATIENT"}
    me = await oauth.gql(ME, token=payload["accessToken"])
    assert me["data"]["me"]["displayName"] == "Alice Synthetic"
    # tokens are issued at redemption, not at the callback, and the code is spent
    assert await oauth.count("refresh_token") == before + 1
    again = await oauth.gql(REDEEM, {"code": fragment["code"]})
    assert again["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "expired or was already used" in again["errors"][0]["message"]


async def test_an_unknown_code_is_refused(oauth: AuthService) -> None:
    answer = await oauth.gql(REDEEM, {"code": "x" * 43})
    assert answer["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert answer["data"] is None


async def test_staff_get_our_mfa_challenge_on_redemption(oauth: AuthService) -> None:
    await oauth.user("carol@example.org", Role.DOCTOR, password=None)
    _, fragment = await _back_to_app(oauth, "carol")
    payload = (await oauth.gql(REDEEM, {"code": fragment["code"]}))["data"]["completeOAuthSignIn"]
    assert payload["mfaEnrollmentRequired"] is True
    assert payload["mfaToken"]
    assert payload["accessToken"] is None


async def test_a_refused_sign_in_goes_back_to_the_app_in_plain_words(oauth: AuthService) -> None:
    await oauth.user("dave@example.org", Role.PATIENT)  # has a password: no takeover
    path, query = await to_provider(oauth, "dave")
    before = await oauth.snapshot()
    response = await oauth.client.get(path, params=query)
    assert response.status_code == 302
    target = urlsplit(response.headers["location"])
    fragment = parse_qs(target.fragment)
    assert fragment == {
        "error": ["An account with this email already exists; sign in with your password."]
    }
    assert await oauth.snapshot() == before


async def test_app_state_is_checked_for_shape(oauth: AuthService) -> None:
    response = await oauth.client.get("/oauth/test/authorize?app_state=short")
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_the_sign_in_page_learns_the_providers(oauth: AuthService) -> None:
    answer = await oauth.gql("{ signInProviders { name label startUrl } }")
    assert answer["data"]["signInProviders"] == [
        {"name": "test", "label": "Test", "startUrl": f"{PUBLIC_URL}/oauth/test/authorize"}
    ]


async def test_two_redemptions_in_one_request_are_refused(oauth: AuthService) -> None:
    _, fragment = await _back_to_app(oauth, "alice")
    answer = await oauth.gql(
        "mutation($c: String!) { a: completeOAuthSignIn(code: $c) { accessToken } "
        "b: completeOAuthSignIn(code: $c) { accessToken } }",
        {"c": fragment["code"]},
    )
    assert answer["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize(
    "address", ["javascript:alert(1)", "//evil.example/app", "http://app.test/app#code=x"]
)
def test_the_way_back_must_be_a_plain_web_address(address: str) -> None:
    with pytest.raises(ValidationError):
        AuthSettings(oauth_success_redirect=address)
