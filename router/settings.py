"""Router settings: environment (`ROUTER_` prefix) and an optional YAML file."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import AliasChoices, BaseModel, ConfigDict, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from router.auth import IssuerConfig
from router.authorization import PolicyRule, PolicySet
from router.limits import CostLimits, OperationLimits
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
_COST = CostLimits()  # and of the static cost


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
    metrics: bool = True  # Prometheus text format at `GET /metrics` (router/telemetry/)
    expose_query_plan: bool = False  # answer `x-expose-query-plan: true` with the plan
    playground: bool = True  # GraphiQL at `GET /graphql` for browsers; never in production
    # the web app (clients/web, built into router/http/webapp/site) at `GET /app/`
    webapp: bool = True
    webapp_idle_minutes: float = Field(default=15.0, gt=0)  # signed out after this long idle
    # Stripe's API as the browser reaches it (the local fake under `make up`); allowed by the CSP
    webapp_stripe_api: str | None = None
    # seconds between checks of the supergraph file for changes; 0 turns hot reload off
    supergraph_poll_interval: float = Field(default=1.0, ge=0)

    # operation limits, checked before validation and planning (400 `MAX_..._EXCEEDED`)
    max_tokens: int = Field(default=_OPERATION.max_tokens, ge=1)
    max_depth: int = Field(default=_OPERATION.max_depth, ge=1)
    max_aliases: int = Field(default=_OPERATION.max_aliases, ge=0)
    max_root_fields: int = Field(default=_OPERATION.max_root_fields, ge=1)
    max_directives: int = Field(default=_OPERATION.max_directives, ge=0)
    max_selections: int = Field(default=_OPERATION.max_selections, ge=1)
    max_directives_per_field: int = Field(default=_OPERATION.max_directives_per_field, ge=0)
    # static cost from @cost/@listSize (400 `COST_ESTIMATED_TOO_EXPENSIVE`); 0 turns it off
    max_cost: int = Field(default=_COST.max_cost, ge=0)
    cost_list_size: int = Field(default=_COST.list_size, ge=0)  # a list no @listSize sizes
    # JSON array batching (400 `BATCHING_NOT_ENABLED` when off, `BATCH_LIMIT_EXCEEDED` above)
    batching: bool = False
    max_batch_size: int = Field(default=10, ge=1)
    # CSRF prevention (Apollo Router's): a request with a "simple" Content-Type (or none, as a GET)
    # runs only if it carries one of these headers (400 `CSRF_ERROR`)
    csrf_prevention: bool = True
    csrf_required_headers: list[str] = Field(
        default_factory=lambda: ["x-apollo-operation-name", "apollo-require-preflight"]
    )
    # CORS: origins allowed to call the router from a browser (none by default), with cookies?
    cors_origins: list[str] = Field(default_factory=list)
    cors_allow_credentials: bool = False
    cors_allow_headers: list[str] = Field(
        default_factory=lambda: [
            "content-type",
            "authorization",
            "apollo-require-preflight",
            "x-apollo-operation-name",
        ]
    )
    cors_max_age: int = Field(default=600, ge=0)
    # None: on outside production, off in production (400 `INTROSPECTION_DISABLED`; no
    # "Did you mean" in error messages)
    introspection: bool | None = None
    field_suggestions: bool | None = None
    # automatic persisted queries (sha256 in `extensions.persistedQuery`)
    apq: bool = True
    apq_cache_size: int = Field(default=1000, ge=1)  # in-memory cache (without Redis)
    apq_ttl: float = Field(default=86_400.0, gt=0)  # seconds a query stays in Redis
    # trusted documents: Apollo's persisted query list (JSON manifest)
    persisted_queries_manifest: Path | None = None
    persisted_queries_safelist: bool = False  # refuse any operation not in the manifest
    persisted_queries_require_id: bool = False  # ... and refuse a full query text
    # rate limits: requests per `rate_limit_period` seconds (token bucket); 0 turns one off
    rate_limit_per_address: int = Field(default=0, ge=0)
    rate_limit_per_user: int = Field(default=0, ge=0)
    rate_limit_period: float = Field(default=60.0, gt=0)
    # Redis for the APQ cache and the rate-limit buckets (in memory without it)
    redis_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("ROUTER_REDIS_URL", "REDIS_URL", "redis_url"),
    )
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

    # subscriptions (WebSocket graphql-transport-ws, multipart HTTP, SSE)
    subscription_deduplication: bool = True  # identical subscriptions share one upstream
    subscription_queue_size: int = Field(default=1024, ge=1)  # results buffered per client
    subscription_history_size: int = Field(default=1024, ge=0)  # kept for joiners with since
    subscription_upstream_retries: int = Field(default=10, ge=0)  # re-subscriptions in a row
    subscription_heartbeat: float = Field(default=5.0, gt=0)  # multipart `{}` / SSE comment
    subscription_drain_timeout: float = Field(default=5.0, ge=0)  # graceful shutdown budget
    ws_init_timeout: float = Field(default=10.0, gt=0)  # connection_init within (else 4408)
    ws_idle_timeout: float = Field(default=300.0, gt=0)  # no operation and no message: 1000
    ws_token_recheck_interval: float = Field(default=30.0, gt=0)  # revoked since init: 4403
    ws_max_message_bytes: int = Field(default=256 * 1024, ge=1024)  # else 1009
    ws_max_subscriptions_per_connection: int = Field(default=100, ge=1)
    ws_max_connections_per_user: int = Field(default=100, ge=1)  # verified sub, else token (4429)
    ws_max_connections_per_address: int = Field(default=1000, ge=1)  # by client address (4429)

    @model_validator(mode="after")
    def _consistent_front_guards(self) -> RouterSettings:
        if self.persisted_queries_safelist and self.persisted_queries_manifest is None:
            raise ValueError("persisted_queries_safelist needs persisted_queries_manifest")
        if "*" in self.cors_origins and self.cors_allow_credentials:
            raise ValueError("cors_allow_credentials cannot be used with the origin '*'")
        return self

    def operation_limits(self) -> OperationLimits:
        return OperationLimits(
            max_tokens=self.max_tokens,
            max_depth=self.max_depth,
            max_aliases=self.max_aliases,
            max_root_fields=self.max_root_fields,
            max_directives=self.max_directives,
            max_selections=self.max_selections,
            max_directives_per_field=self.max_directives_per_field,
        )

    def cost_limits(self) -> CostLimits:
        return CostLimits(max_cost=self.max_cost, list_size=self.cost_list_size)

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

    @property
    def introspection_enabled(self) -> bool:
        """As set; otherwise on outside production only."""
        if self.introspection is not None:
            return self.introspection
        return self.environment != "production"

    @property
    def suggestions_enabled(self) -> bool:
        """As set; otherwise on outside production only."""
        if self.field_suggestions is not None:
            return self.field_suggestions
        return self.environment != "production"

    @property
    def production(self) -> bool:
        return self.environment == "production"


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
