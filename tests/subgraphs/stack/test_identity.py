"""Which OIDC provider ``healthgraph up`` gives auth, and where auth sends the browser back."""

from __future__ import annotations

from pathlib import Path

from subgraphs.stack.identity import auth_web_env, oidc_fake
from subgraphs.stack.settings import StackSettings


def test_without_a_provider_the_demo_one_starts_and_auth_shares_its_secret(tmp_path: Path) -> None:
    settings = StackSettings(auth_port=5001, router_port=5000, oidc_fake_port=5023)
    fake = oidc_fake(settings, tmp_path, {})
    assert fake is not None
    assert fake.url == "http://127.0.0.1:5023"
    assert fake.auth_env["AUTH_OAUTH__DEMO__CLIENT_SECRET"] == fake.env["OIDC_FAKE_CLIENT_SECRET"]
    assert fake.auth_env["AUTH_OAUTH__DEMO__DISCOVERY_URL"] == (
        "http://127.0.0.1:5023/.well-known/openid-configuration"
    )
    assert fake.auth_env["AUTH_OAUTH__DEMO__LABEL"] == "Demo ID"
    again = oidc_fake(settings, tmp_path, {})
    assert again is not None
    assert again.env == fake.env  # generated once
    assert oct((tmp_path / "keys" / "oidc-fake-client.secret").stat().st_mode & 0o777) == "0o600"
    assert auth_web_env(settings, {}) == {
        "AUTH_PUBLIC_URL": "http://127.0.0.1:5000",  # the router relays auth's OAuth endpoints
        "AUTH_OAUTH_SUCCESS_REDIRECT": "http://127.0.0.1:5000/app/signin/oidc",
    }


def test_a_configured_provider_or_production_starts_no_fake(tmp_path: Path) -> None:
    configured = {"AUTH_OAUTH__GOOGLE__CLIENT_ID": "id"}
    assert oidc_fake(StackSettings(), tmp_path, configured) is None
    assert oidc_fake(StackSettings(environment="production"), tmp_path, {}) is None
    mine = {"AUTH_PUBLIC_URL": "https://auth.clinic.example"}
    assert set(auth_web_env(StackSettings(), mine)) == {"AUTH_OAUTH_SUCCESS_REDIRECT"}
