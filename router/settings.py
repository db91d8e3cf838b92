"""Router settings: environment (`ROUTER_` prefix) and an optional YAML file."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import AliasChoices, BaseModel, ConfigDict, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from router.auth import IssuerConfig
from router.authorization import PolicyRule, PolicySet
from router.limits import OperationLimits
from router.planner import PlanningLimits

__all__ = [
    "AuthorizationSettings",
    "JwtIssuerSettings",
    "PolicyRuleSettings",
    "RouterSettings",
    "load_settings",
]


class JwtIssuerSettings(BaseModel):
    """One more trusted issuer of access tokens (``jwt_issuers``)."""

    model_config = ConfigDict(extra="forbid")

    issuer: str
    jwks_url: str
    audience: str = "healthgraph"


class PolicyRuleSettings(BaseModel):
    """When the router grants one ``@policy`` name: every condition given must hold."""

    model_config = ConfigDict(extra="forbid")

    roles: list[str] | None = None  # the token's ``role`` claim is one of these
    scopes: list[list[str]] | None = None  # outer list OR, inner list AND, like @requiresScopes
    anonymous: bool = False  # granted without a token (off: a rule needs a verified token)

    def rule(self) -> PolicyRule:
        return PolicyRule(
            roles=frozenset(self.roles) if self.roles is not None else None,
            scopes=tuple(frozenset(s) for s in self.scopes) if self.scopes is not None else None,
            anonymous=self.anonymous,
        )


class AuthorizationSettings(BaseModel):
    """Directive authorization (``@authenticated``, ``@requiresScopes``, ``@policy``)."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool | None = None  # default: on exactly when JWT authentication is configured
    reject_unauthorized: bool = False  # refuse the whole operation instead of filtering it
    policies: dict[str, PolicyRuleSettings] = Field(default_factory=dict)

    def policy_set(self) -> PolicySet:
        return PolicySet({name: rule.rule() for name, rule in self.policies.items()})


_OPERATION = OperationLimits()  # the defaults of the operation limits
_PLANNING = PlanningLimits()  # and of the planning limits


class RouterSettings(BaseSettings):
    """Every knob of the router's runtime core."""

    model_config = SettingsConfigDict(
        env_prefix="ROUTER_", extra="forbid", populate_by_name=True, env_nested_delimiter="__"
    )

    # shared with every service (unprefixed): "production" turns the playground off
    environment: Literal["development", "test", "production"] = Field(
        default="development",
        validation_alias="HEALTHGRAPH_ENVIRONMENT",
    )

    supergraph: Path = Path("supergraph.graphql")
    host: str = "127.0.0.1"
    port: int = Field(default=4000, ge=0, le=65535)
    subgraph_timeout: float = Field(default=30.0, gt=0)
    subgraph_timeouts: dict[str, float] = Field(default_factory=dict)
    plan_cache_size: int = Field(default=1024, ge=1)
    max_request_bytes: int = Field(default=2 * 1024 * 1024, ge=1024)
    max_connections: int = Field(default=512, ge=1)
    propagate_headers: list[str] = Field(
        default_factory=lambda: ["authorization", "traceparent", "tracestate"]
    )
    request_id_header: str = "x-request-id"
    # Peers (addresses or CIDR networks) whose X-Forwarded-For / Forwarded headers are kept and
    # appended to; anyone else's are dropped. The router always appends the TCP peer.
    trusted_proxies: list[str] = Field(default_factory=list)
    # Shared with the subgraphs: the router signs the X-Forwarded-For it sends with it, so that
    # auth trusts that header from the router only (``healthgraph up`` generates one).
    forwarded_secret: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices(
            "ROUTER_FORWARDED_SECRET", "HEALTHGRAPH_FORWARDED_SECRET", "forwarded_secret"
        ),
    )
    subgraph_urls: dict[str, str] = Field(default_factory=dict)
    # identical subgraph queries in flight share one call (router/execution/dedup.py); the
    # request id header and these per-request headers are left out of "identical"
    query_deduplication: bool = True
    dedup_ignored_headers: list[str] = Field(default_factory=lambda: ["traceparent", "tracestate"])
    # processes serving the port (SO_REUSEPORT), each a whole router; 1 serves in this process
    workers: int = Field(default=1, ge=1, le=64)
    log_level: str = "warning"
    expose_query_plan: bool = False  # answer `x-expose-query-plan: true` with the plan
    playground: bool = True  # GraphiQL at `GET /graphql` for browsers; never in production
    # seconds between checks of the supergraph file for changes; 0 turns hot reload off
    supergraph_poll_interval: float = Field(default=1.0, ge=0)

    # operation limits, checked before validation and planning (400 `MAX_..._EXCEEDED`)
    max_tokens: int = Field(default=_OPERATION.max_tokens, ge=1)
    max_depth: int = Field(default=_OPERATION.max_depth, ge=1)
    max_aliases: int = Field(default=_OPERATION.max_aliases, ge=0)
    max_root_fields: int = Field(default=_OPERATION.max_root_fields, ge=1)
    max_directives: int = Field(default=_OPERATION.max_directives, ge=0)
    max_selections: int = Field(default=_OPERATION.max_selections, ge=1)
    # planning limits (400 `QUERY_PLANNING_LIMIT_EXCEEDED`)
    max_plan_depth: int = Field(default=_PLANNING.max_depth, ge=1)
    max_plan_fetches: int = Field(default=_PLANNING.max_fetches, ge=1)
    planning_timeout: float = Field(default=_PLANNING.timeout, gt=0)
    # threads that parse, validate and plan new operations off the event loop
    planning_threads: int = Field(default=2, ge=1)

    # JWT authentication (router/auth/): on when a JWK Set URL is configured. The auth service's
    # variables are shared with every service; ``healthgraph up`` sets them.
    jwks_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("ROUTER_JWKS_URL", "HEALTHGRAPH_JWKS_URL", "jwks_url"),
    )
    jwt_issuer: str = Field(
        default="http://127.0.0.1:4001",
        validation_alias=AliasChoices("ROUTER_JWT_ISSUER", "HEALTHGRAPH_JWT_ISSUER", "jwt_issuer"),
    )
    jwt_audience: str = Field(
        default="healthgraph",
        validation_alias=AliasChoices(
            "ROUTER_JWT_AUDIENCE", "HEALTHGRAPH_JWT_AUDIENCE", "jwt_audience"
        ),
    )
    jwt_issuers: list[JwtIssuerSettings] = Field(default_factory=list)  # further issuers
    jwt_leeway: int = Field(default=30, ge=0, le=60)  # seconds of clock skew on exp/nbf/iat
    jwks_refresh_interval: float = Field(default=300.0, gt=0)  # scheduled JWK Set refresh
    jwks_min_refresh_interval: float = Field(default=30.0, ge=0)  # unknown-kid refresh limit
    # auth's revocation list (a per-user "issued before" cut-off); unset: not checked
    revocation_redis_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices(
            "ROUTER_REVOCATION_REDIS_URL", "REDIS_URL", "revocation_redis_url"
        ),
    )
    # header name -> claim name: verified claims sent to the subgraphs (``x-user-id: sub``)
    claim_headers: dict[str, str] = Field(default_factory=dict)
    authorization: AuthorizationSettings = Field(default_factory=AuthorizationSettings)

    def issuers(self) -> list[IssuerConfig]:
        """Every trusted issuer: ``jwks_url``'s (with ``jwt_issuer``/``jwt_audience``) first."""
        issuers = [IssuerConfig(i.issuer, i.jwks_url, i.audience) for i in self.jwt_issuers]
        if self.jwks_url:
            issuers.insert(0, IssuerConfig(self.jwt_issuer, self.jwks_url, self.jwt_audience))
        return issuers

    @property
    def authorization_enabled(self) -> bool:
        enabled = self.authorization.enabled
        return bool(self.issuers()) if enabled is None else enabled

    def operation_limits(self) -> OperationLimits:
        return OperationLimits(
            max_tokens=self.max_tokens,
            max_depth=self.max_depth,
            max_aliases=self.max_aliases,
            max_root_fields=self.max_root_fields,
            max_directives=self.max_directives,
            max_selections=self.max_selections,
        )

    def planning_limits(self) -> PlanningLimits:
        return PlanningLimits(
            max_depth=self.max_plan_depth,
            max_fetches=self.max_plan_fetches,
            timeout=self.planning_timeout,
        )

    def dedup_ignored(self) -> tuple[str, ...]:
        """Headers that differ between identical requests: never part of the dedup key."""
        return (self.request_id_header, *self.dedup_ignored_headers)

    @property
    def playground_enabled(self) -> bool:
        """The playground is served only outside production and when not switched off."""
        return self.playground and self.environment != "production"


_SECTIONS = frozenset({"authorization"})


def load_settings(config_file: str | None = None, **overrides: Any) -> RouterSettings:
    """Settings from the YAML file (if any), then the environment, then explicit overrides."""
    values: dict[str, Any] = {}
    if config_file:
        loaded = yaml.safe_load(Path(config_file).read_text(encoding="utf-8")) or {}
        if not isinstance(loaded, dict):
            raise ValueError(f"config file {config_file} must hold a mapping")
        values.update(loaded)
    env = RouterSettings()
    merged = {**values, **{k: v for k, v in env.model_dump().items() if k in env.model_fields_set}}
    # a section (``authorization``) merges key by key: ROUTER_AUTHORIZATION__REJECT_UNAUTHORIZED
    # keeps the file's policies
    for name in _SECTIONS & env.model_fields_set:
        if isinstance(values.get(name), dict):
            section = getattr(env, name).model_dump(exclude_unset=True)
            merged[name] = {**values[name], **section}
    merged.update({k: v for k, v in overrides.items() if v is not None})
    return RouterSettings(**merged)
