"""docker-compose.yml: valid against the compose-spec, every service's settings load as compose
configures them, and each container's command starts its service here (CI has no container engine)."""

from __future__ import annotations

import base64
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
import yaml

from router.settings import RouterSettings, load_settings
from subgraphs.auth.settings import AuthSettings
from subgraphs.billing.settings import BillingSettings
from subgraphs.clinical.settings import ClinicalSettings
from subgraphs.common.settings import ServiceSettings
from subgraphs.stack.databases import drop_database
from subgraphs.stack.ports import free_ports
from subgraphs.stack.postgres import asyncpg_url, database_url
from subgraphs.stack.settings import StackSettings
from tests.deploy.compose_file import (
    ComposeFile,
    InterpolationError,
    dockerfile_env,
    interpolate,
    read_env_file,
)

# URLs a browser follows (the router's public address) and the container's check of itself.
_BROWSER_FACING = frozenset(
    {
        "AUTH_PUBLIC_URL",
        "BILLING_PAYMENT_URL",
        "BILLING_PAYPAL_RETURN_URL",
        "BILLING_PAYPAL_CANCEL_URL",
        "HEALTHCHECK_URL",
    }
)
APP_SERVICES = ("auth", "clinical", "billing", "router")
JOBS = ("migrate", "topics")
SETTINGS: dict[str, type[ServiceSettings]] = {
    "auth": AuthSettings,
    "clinical": ClinicalSettings,
    "billing": BillingSettings,
}


@pytest.fixture(scope="module")
def image_env(repo_root: Path, compose: ComposeFile) -> dict[str, str]:
    target = compose.services["auth"]["build"]["target"]  # every app service builds it
    return dockerfile_env(repo_root / "Dockerfile", target)


def test_compose_is_valid_against_the_compose_spec(repo_root: Path) -> None:
    """check-jsonschema's vendored compose-spec schema: no network."""
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("check-jsonschema")),
            "--builtin-schema",
            "vendor.compose-spec",
            str(repo_root / "docker-compose.yml"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_secrets_come_from_the_env_file(repo_root: Path) -> None:
    """Every secret is a required ``${...:?}`` reference; .env.example names each one."""
    text = (repo_root / "docker-compose.yml").read_text()
    example = read_env_file(repo_root / ".env.example")
    required = set(re.findall(r"\$\{([A-Z_]+):\?", text))
    assert {"POSTGRES_PASSWORD", "AUTH_SECRET_KEY", "BILLING_GRPC_SERVICE_TOKEN"} <= required
    assert required <= set(example)
    assert ".env" in (repo_root / ".gitignore").read_text().split()
    with pytest.raises(InterpolationError, match="AUTH_SECRET_KEY"):
        interpolate(text, {**example, "AUTH_SECRET_KEY": ""})


def test_services_wait_for_healthy_dependencies_and_both_jobs(compose: ComposeFile) -> None:
    services = compose.services
    assert {"postgres", "kafka", "redis", "anvil", *APP_SERVICES, *JOBS} <= set(services)
    assert services["postgres"]["image"] == "postgres:18"
    assert services["kafka"]["image"].startswith("apache/kafka")
    assert "broker,controller" in services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"]
    assert "foundry" in services["anvil"]["image"]
    for name, service in services.items():
        for dependency, rule in service.get("depends_on", {}).items():
            assert dependency in services, f"{name} depends on unknown {dependency}"
            done = "service_completed_successfully" if dependency in JOBS else "service_healthy"
            if dependency != "prometheus":  # grafana only needs it started
                assert rule["condition"] == done, (name, dependency)
    for name in ("postgres", "kafka", "redis", "anvil"):
        assert "test" in services[name]["healthcheck"], (
            name
        )  # app services: the image's HEALTHCHECK
    for name in ("auth", "clinical", "billing"):
        assert {"migrate", "topics", "postgres", "kafka", "redis"} <= set(
            services[name]["depends_on"]
        )
    published = [port.split(":")[0] for s in services.values() for port in s.get("ports", [])]
    assert len(published) == len(set(published)), "two services publish the same host port"
    assert {"otel-collector", "prometheus", "grafana"} == {
        name for name, s in services.items() if "observability" in s.get("profiles", [])
    }


def test_observability_profile_mounts_files_that_exist(
    compose: ComposeFile, repo_root: Path
) -> None:
    for name in ("otel-collector", "prometheus", "grafana"):
        for volume in compose.services[name].get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (repo_root / source).exists(), source


def _container_ports(compose: ComposeFile) -> dict[tuple[str, int], str]:
    """(service, port) every app service listens on inside its container -> what listens."""
    ports: dict[tuple[str, int], str] = {}
    for name in APP_SERVICES:
        command = compose.command(name)
        ports[(name, int(command[command.index("--port") + 1]))] = "http"
    ports[("billing", int(compose.services["billing"]["environment"]["BILLING_GRPC_PORT"]))] = (
        "grpc"
    )
    return ports


def _hosts_in(value: str) -> list[tuple[str, int]]:
    """The ``host:port`` endpoints named in a variable (URLs, bootstrap lists, JSON of URLs)."""
    endpoint = re.compile(r"(?:@|//|^|[\s\",])([a-z][a-z0-9-]*):(\d{2,5})\b")
    return [(match.group(1), int(match.group(2))) for match in endpoint.finditer(value)]


def test_settings_load_as_compose_configures_them(
    compose: ComposeFile,
    image_env: dict[str, str],
    service_environment: Callable[[dict[str, str]], None],
    repo_root: Path,
) -> None:
    """Each service's pydantic settings from exactly its compose environment: production mode
    with its secrets, reachable addresses (no loopback across containers), writable paths."""
    listening = _container_ports(compose)
    services = compose.services
    for name in (*SETTINGS, "router", *JOBS):
        env = compose.environment(name, image_env)
        internal = {k: v for k, v in env.items() if k not in _BROWSER_FACING}
        for host, port in (h for value in internal.values() for h in _hosts_in(value)):
            assert host in services, f"{name} names unknown host {host}"
            if host in APP_SERVICES:
                assert (host, port) in listening, f"{name} calls {host}:{port}, nobody listens"
        assert "127.0.0.1" not in " ".join(internal.values()), name
        service_environment(env)
        if name in APP_SERVICES:  # telemetry by OpenTelemetry's own variables, off by default
            assert env["OTEL_SERVICE_NAME"] == name
            assert env["OTEL_SDK_DISABLED"] == "true"
        if name in SETTINGS:
            settings = SETTINGS[name]()
            assert settings.production
            assert urlsplit(settings.database_url).hostname == "postgres"
            assert settings.data_dir == Path("/var/lib/healthgraph")
            assert settings.data_dir.as_posix() in compose.volume_mounts(name).values()
            assert env["HEALTHCHECK_URL"].endswith(f":{compose.command(name)[6]}/health")
        elif name == "router":
            command = compose.command(name)
            router = load_settings(
                str(repo_root / command[command.index("--config") + 1]),
                host=command[command.index("--host") + 1],
                port=int(command[command.index("--port") + 1]),
            )
            assert isinstance(router, RouterSettings)
            assert router.production
            assert router.host == "0.0.0.0"
            assert set(router.subgraph_urls) == {"auth", "clinical", "billing"}
            assert router.jwks_url == "http://auth:4001/.well-known/jwks.json"
            assert router.redis_url == "redis://redis:6379/0"
        else:
            stack = StackSettings()
            assert stack.environment == "production"
    service_environment(compose.environment("auth", image_env))
    auth = AuthSettings()
    assert auth.secret_key is not None
    assert len(base64.b64decode(auth.secret_key.get_secret_value())) == 32
    service_environment(compose.environment("clinical", image_env))
    clinical = ClinicalSettings()
    key = clinical.prescription_key_file(clinical.data_dir)
    assert key.is_relative_to("/var/lib/healthgraph")
    assert not key.is_relative_to("/app")
    assert clinical.billing_grpc_target == "billing:4013"
    service_environment(compose.environment("billing", image_env))
    billing = BillingSettings()
    assert billing.grpc_host == "0.0.0.0"
    assert billing.chain_rpc_url == "http://anvil:8545"
    token = billing.grpc_service_token
    assert token is not None
    assert clinical.billing_grpc_token is not None
    assert clinical.billing_grpc_token.get_secret_value() == token.get_secret_value()


def _local_env(
    env: dict[str, str], endpoints: dict[str, str], mounts: dict[str, Path], postgres: str
) -> dict[str, str]:
    """``env`` with compose endpoints (``host:port``), database URLs (onto the server
    ``postgres``, same database and driver) and volume paths made local."""
    local: dict[str, str] = {}
    for name, given in env.items():
        value = given
        for container_path, path in mounts.items():
            value = value.replace(container_path, str(path))
        parts = urlsplit(value)
        if parts.scheme.startswith("postgres") and parts.hostname == "postgres":
            value = database_url(postgres, parts.path.lstrip("/"))
            value = asyncpg_url(value) if parts.scheme.endswith("+asyncpg") else value
        for endpoint, here in endpoints.items():
            value = re.sub(rf"\b{re.escape(endpoint)}\b", here, value)
        local[name] = value
    return {
        **local,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "HOME": os.environ.get("HOME", "/tmp"),
    }


def _local_command(command: list[str], ports: dict[int, int]) -> list[str]:
    local = [sys.executable if command[0] == "python" else command[0], *command[1:]]
    for index, flag in enumerate(local[:-1]):
        if flag == "--host":
            local[index + 1] = "127.0.0.1"
        elif flag == "--port":
            local[index + 1] = str(ports[int(local[index + 1])])
    return local


def _wait_healthy(url: str, process: subprocess.Popen[str], timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            out, _ = process.communicate()
            pytest.fail(f"{process.args!r} exited {process.returncode}:\n{out}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    pytest.fail(f"{url} never became healthy")


@pytest.mark.slow  # runs both jobs and starts the three subgraphs and the router (~30 s)
def test_each_container_command_starts_its_service(
    compose: ComposeFile,
    image_env: dict[str, str],
    repo_root: Path,
    tmp_path: Path,
    postgres_server_url: str,
    kafka_bootstrap: str,
    redis_url: str,
) -> None:
    """Every container's command, run here with its compose environment: the jobs finish, each
    service answers /health and /ready, the router reaches auth, and SIGTERM stops each cleanly."""
    listening = _container_ports(compose)
    local_ports = dict(zip(listening, free_ports(len(listening) + 1), strict=False))
    redis = urlsplit(redis_url)
    endpoints = {
        "kafka:9092": kafka_bootstrap.split(",", maxsplit=1)[0],
        "redis:6379": f"{redis.hostname}:{redis.port}",
        # no EVM node here: billing starts anyway and claims answer SERVICE_UNAVAILABLE
        "anvil:8545": f"127.0.0.1:{free_ports(1)[0]}",
    }
    endpoints |= {
        f"{host}:{port}": f"127.0.0.1:{local_ports[(host, port)]}" for host, port in listening
    }

    def run(name: str) -> subprocess.Popen[str]:
        mounts = {
            target: tmp_path / volume for volume, target in compose.volume_mounts(name).items()
        }
        for path in mounts.values():
            path.mkdir(mode=0o700, exist_ok=True)
        env = _local_env(
            compose.environment(name, image_env), endpoints, mounts, postgres_server_url
        )
        ports = {port: local_ports[(name, port)] for (host, port) in listening if host == name}
        return subprocess.Popen(
            _local_command(compose.command(name), ports),
            cwd=repo_root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    for job in JOBS:
        process = run(job)
        out, _ = process.communicate(timeout=180)
        assert process.returncode == 0, f"{job}: {out}"
    running: dict[str, subprocess.Popen[str]] = {}
    try:
        for name in ("billing", "auth", "clinical", "router"):  # compose's depends_on order
            running[name] = run(name)
        for name, process in running.items():
            port = local_ports[
                (name, int(compose.command(name)[compose.command(name).index("--port") + 1]))
            ]
            _wait_healthy(f"http://127.0.0.1:{port}/health", process)
            if name != "router":
                _wait_healthy(f"http://127.0.0.1:{port}/ready", process)
        router = local_ports[("router", 4000)]
        answer = httpx.post(
            f"http://127.0.0.1:{router}/graphql",
            json={
                "query": 'mutation { login(email: "nobody@example.test", password: "wrong-pass") { __typename } }'
            },
            timeout=30,
        ).json()
        codes = {error["extensions"]["code"] for error in answer.get("errors", [])}
        assert codes, answer  # auth's own answer to bad credentials, through the router
        assert not codes & {"SUBREQUEST_HTTP_ERROR", "SUBGRAPH_UNAVAILABLE"}, answer
    finally:
        outputs = {}
        for process in running.values():
            process.send_signal(signal.SIGTERM)
        for name, process in running.items():
            outputs[name] = (process.communicate(timeout=30)[0], process.returncode)
        for name in ("auth", "clinical", "billing"):
            import asyncio

            asyncio.run(drop_database(postgres_server_url, f"healthgraph_{name}"))
    for name, (out, code) in outputs.items():
        # uvicorn re-raises the SIGTERM once its graceful shutdown is complete; the router exits 0
        assert code in {0, -signal.SIGTERM}, f"{name} exited {code} on SIGTERM:\n{out}"
        assert name == "router" or "Application shutdown complete" in out, out


def test_observability_configs_point_at_the_services(compose: ComposeFile, repo_root: Path) -> None:
    """Prometheus scrapes each app service on the port it serves; Grafana's dashboard uses the
    provisioned datasource; the collector exports metrics to Prometheus' remote-write receiver."""
    observability = repo_root / "deploy" / "observability"
    prometheus = yaml.safe_load((observability / "prometheus.yml").read_text())
    targets = {
        target
        for job in prometheus["scrape_configs"]
        for config in job["static_configs"]
        for target in config["targets"]
    }
    listening = {
        f"{host}:{port}"
        for (host, port), kind in _container_ports(compose).items()
        if kind == "http"
    }
    assert targets == listening
    datasources = yaml.safe_load(
        (observability / "grafana" / "provisioning" / "datasources" / "prometheus.yaml").read_text()
    )
    [datasource] = datasources["datasources"]
    dashboard = json.loads(
        (observability / "grafana" / "dashboards" / "healthgraph.json").read_text()
    )
    assert dashboard["panels"]
    for panel in dashboard["panels"]:
        assert panel["datasource"]["uid"] == datasource["uid"]
        assert all("healthgraph_" in target["expr"] for target in panel["targets"])
    collector = yaml.safe_load((observability / "otel-collector.yaml").read_text())
    remote_write = collector["exporters"]["prometheusremotewrite"]["endpoint"]
    assert remote_write.startswith("http://prometheus:9090/")
    assert "--web.enable-remote-write-receiver" in compose.services["prometheus"]["command"]
    assert set(collector["service"]["pipelines"]) == {"traces", "metrics"}


def test_stop_grace_covers_each_services_shutdown(compose: ComposeFile) -> None:
    """Compose's SIGKILL comes after ``stop_grace_period``: after the graceful shutdown."""

    def seconds(period: str) -> int:
        return int(period.removesuffix("s"))

    for name in ("auth", "clinical", "billing"):
        command = compose.command(name)
        needed = int(command[command.index("--timeout-graceful-shutdown") + 1])
        needed += 5 if name == "billing" else 0  # grpc_shutdown_grace
        assert seconds(compose.services[name]["stop_grace_period"]) >= needed, name
    assert seconds(compose.services["router"]["stop_grace_period"]) >= 5 + 30
