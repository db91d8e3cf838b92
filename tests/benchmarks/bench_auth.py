"""Auth benchmark: login throughput (production argon2id cost included) and token verifications/s.

Run: ``python -m tests.benchmarks.bench_auth`` (starts its own embedded PostgreSQL and Redis).
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from subgraphs.auth.app import create_app
from subgraphs.auth.passwords.hashing import PasswordHashing
from subgraphs.auth.settings import AuthSettings
from subgraphs.auth.users.service import register_user
from subgraphs.common.context import Role, TokenVerifier
from subgraphs.common.migrations import upgrade_database
from subgraphs.common.tokens import JwtVerifier, StaticJwks
from subgraphs.stack.databases import create_database
from subgraphs.stack.ports import free_port
from subgraphs.stack.postgres import EmbeddedPostgres, asyncpg_url, database_url
from subgraphs.stack.redis import EmbeddedRedis

__all__ = ["main"]

PASSWORD = "benchmark passphrase 2026"
LOGINS = 24
CONCURRENCY = 4
VERIFICATIONS = 5000
LOGIN = """mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }"""


@dataclass
class Figures:
    argon2_ms: float = 0.0
    sequential: float = 0.0
    concurrent: float = 0.0
    median_login_ms: float = 0.0
    offline: float = 0.0
    with_status: float = 0.0


async def _argon2_ms(settings: AuthSettings) -> float:
    hashing = PasswordHashing(settings)
    stored = await hashing.hash(PASSWORD)
    started = time.perf_counter()
    for _ in range(10):
        await hashing.verify(stored, PASSWORD)
    return (time.perf_counter() - started) / 10 * 1000


async def _logins(client: httpx.AsyncClient, figures: Figures) -> str:
    variables = {"e": "bench.patient@example.org", "p": PASSWORD}

    async def login() -> str:
        response = await client.post("/graphql", json={"query": LOGIN, "variables": variables})
        token: str = response.json()["data"]["login"]["accessToken"]
        return token

    token = await login()  # warm-up
    latencies = []
    started = time.perf_counter()
    for _ in range(LOGINS):
        one = time.perf_counter()
        await login()
        latencies.append(time.perf_counter() - one)
    figures.sequential = LOGINS / (time.perf_counter() - started)
    figures.median_login_ms = statistics.median(latencies) * 1000
    semaphore = asyncio.Semaphore(CONCURRENCY)

    async def bounded() -> None:
        async with semaphore:
            await login()

    started = time.perf_counter()
    await asyncio.gather(*(bounded() for _ in range(LOGINS)))
    figures.concurrent = LOGINS / (time.perf_counter() - started)
    return token


async def _verifications(verifier: TokenVerifier, token: str, count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        await verifier.verify(token)
    return count / (time.perf_counter() - started)


async def _measure(settings: AuthSettings, figures: Figures) -> None:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        runtime = app.state.auth
        async with runtime.database.transaction() as session:
            await register_user(
                session,
                hashing=runtime.hashing,
                email="bench.patient@example.org",
                display_name="Bench Patient",
                role=Role.PATIENT,
                password=PASSWORD,
                actor="bench",
                source="bench",
            )
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            token = await _logins(client, figures)
            jwks = (await client.get("/.well-known/jwks.json")).json()
        offline = JwtVerifier(
            StaticJwks(jwks), issuer=settings.jwt_issuer, audience=settings.jwt_audience
        )
        figures.offline = await _verifications(offline, token, VERIFICATIONS)
        figures.with_status = await _verifications(
            app.state.service.verifier, token, VERIFICATIONS // 10
        )


def _report(settings: AuthSettings, figures: Figures) -> None:
    cost = (
        f"argon2id t={settings.password_time_cost} m={settings.password_memory_kib} KiB "
        f"p={settings.password_parallelism}"
    )
    print(f"auth benchmark ({cost})")
    print(f"  argon2id verify alone         {figures.argon2_ms:8.1f} ms")
    print(
        f"  login, sequential             {figures.sequential:8.1f} logins/s"
        f"  (median {figures.median_login_ms:.1f} ms)"
    )
    print(f"  login, {CONCURRENCY} concurrent          {figures.concurrent:8.1f} logins/s")
    print(f"  login / argon2 verify time    {figures.median_login_ms / figures.argon2_ms:8.2f} x")
    print(f"  token verify (JWKS, offline)  {figures.offline:8.0f} verifications/s")
    print(f"  token verify (auth, +status)  {figures.with_status:8.0f} verifications/s")
    print(f"  offline / with-status ratio   {figures.offline / figures.with_status:8.1f} x")


async def _run(workdir: Path) -> None:
    postgres = EmbeddedPostgres(workdir / "pg", delete_on_stop=True)
    redis = EmbeddedRedis(free_port(), workdir / "redis")
    server_url = postgres.start()
    redis_url = redis.start()
    figures = Figures()
    try:
        await create_database(server_url, "bench_auth")
        url = asyncpg_url(database_url(server_url, "bench_auth"))
        await upgrade_database("auth", url)
        settings = AuthSettings(
            database_url=url,
            redis_url=redis_url,
            data_dir=workdir / "auth",
            ip_attempts_per_window=100_000,  # one address: measure, don't throttle
        )
        figures.argon2_ms = await _argon2_ms(settings)
        await _measure(settings, figures)
    finally:
        redis.stop()
        postgres.stop()
    _report(settings, figures)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-auth-") as workdir:
        asyncio.run(_run(Path(workdir)))


if __name__ == "__main__":
    main()
