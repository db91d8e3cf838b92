"""Settings of the auth service (environment prefix ``AUTH_``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, BaseModel, Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from subgraphs.common.settings import ServiceSettings

__all__ = ["AuthSettings", "OAuthProviderSettings"]


class OAuthProviderSettings(BaseModel):
    """One OAuth 2.0 / OpenID Connect provider (Google, Facebook or any generic OIDC issuer).

    Give either ``discovery_url`` (OIDC) or the endpoints by hand (Facebook is plain OAuth 2.0
    with a ``userinfo_endpoint``).
    """

    client_id: str
    client_secret: SecretStr
    discovery_url: str | None = None
    authorization_endpoint: str | None = None
    token_endpoint: str | None = None
    userinfo_endpoint: str | None = None
    jwks_uri: str | None = None
    issuer: str | None = None
    scope: str = "openid email profile"
    # What the sign-in button says ("Sign in with <label>"); the preset's or the name's by default.
    label: str | None = Field(default=None, max_length=40)
    # Whether the provider's ``email`` may be trusted as verified when it sends no
    # ``email_verified`` claim (Facebook only returns confirmed addresses).
    emails_verified_by_default: bool = False


class AuthSettings(ServiceSettings):
    """``AUTH_*`` variables, plus the shared ``HEALTHGRAPH_JWT_*`` ones from the kernel."""

    model_config = SettingsConfigDict(
        env_prefix="AUTH_", env_nested_delimiter="__", extra="ignore", frozen=True
    )

    port: int = 4001
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/auth"

    # 32 random bytes, base64: encrypts signing keys and TOTP secrets at rest, keys HMACs.
    secret_key: SecretStr | None = None

    # Auth's operations are shallow; few aliases also bound credential guessing per request.
    graphql_max_depth: int = Field(default=8, ge=1)
    graphql_max_aliases: int = Field(default=15, ge=0)

    access_token_ttl: int = Field(default=600, ge=60, le=900)
    refresh_token_ttl: int = Field(default=14 * 24 * 3600, ge=3600)
    mfa_challenge_ttl: int = Field(default=300, ge=60, le=900)
    signing_key_rotation_days: int = Field(default=30, ge=1)
    signing_key_cache_seconds: float = Field(default=30.0, ge=0)

    # argon2id cost: OWASP Password Storage Cheat Sheet, m=46 MiB, t=1, p=1 (equivalent to its
    # m=19 MiB, t=2). Raising it slows every login: see tests/benchmarks/bench_auth.py.
    password_time_cost: int = Field(default=1, ge=1)
    password_memory_kib: int = Field(default=47104, ge=1024)
    password_parallelism: int = Field(default=1, ge=1)

    # brute force: per IP first; then per account, except for known devices (device tokens),
    # which have their own failure count and lockout
    login_failures_before_lockout: int = Field(default=5, ge=1)
    lockout_seconds: int = Field(default=900, ge=1)
    failure_window_seconds: int = Field(default=900, ge=1)
    ip_attempts_per_window: int = Field(default=50, ge=1)
    ip_window_seconds: int = Field(default=300, ge=1)
    mfa_failures_before_lockout: int = Field(default=5, ge=1)
    refresh_attempts_per_window: int = Field(default=60, ge=1)
    device_token_ttl_days: int = Field(default=90, ge=1)
    # X-Forwarded-For is believed only from these peers (the router, and any proxy in front of
    # it: addresses or CIDR networks), and only when signed with ``forwarded_secret``.
    trusted_proxies: tuple[str, ...] = ("127.0.0.1", "::1")
    forwarded_secret: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices(
            "AUTH_FORWARDED_SECRET", "HEALTHGRAPH_FORWARDED_SECRET", "forwarded_secret"
        ),
    )
    redis_key_prefix: str = "healthgraph:auth"

    # OAuth / OIDC: AUTH_OAUTH__GOOGLE__CLIENT_ID=... and so on
    oauth: dict[str, OAuthProviderSettings] = Field(default_factory=dict)
    public_url: str = "http://127.0.0.1:4001"
    # Where the browser goes after an OAuth login: the web app's page that redeems the one-time
    # code in the URL fragment (``#code=...``; see subgraphs/auth/oauth/service.py). Fixed here,
    # never taken from a request, so the callback cannot be made to redirect anywhere else.
    # None: the callback answers JSON with the tokens (API clients).
    oauth_success_redirect: str | None = Field(
        default=None, pattern=r"^https?://[^/?#\s]+/[^?#\s]*$"
    )

    @property
    def key_dir(self) -> Path:
        """``<data dir>/auth``: the development master key (mode 0600, directory 0700)."""
        return self.data_dir / "auth"

    @model_validator(mode="after")
    def _production_needs_a_secret(self) -> AuthSettings:
        if self.production and self.secret_key is None:
            raise ValueError("AUTH_SECRET_KEY is required in production")
        return self
