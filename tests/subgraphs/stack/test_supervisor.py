"""``healthgraph up`` as a user runs it: start, ready, stop on a signal, nothing left behind."""

from __future__ import annotations

import asyncio
import contextlib
import io
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import psutil
import pyotp
import pytest

from subgraphs.common.context import Role
from subgraphs.common.errors import Conflict
from subgraphs.stack.demo_claims import DemoClaim, DemoClaimPlan
from subgraphs.stack.ports import free_port, is_free
from subgraphs.stack.seed import DemoSeed, login_line
from subgraphs.stack.services import SUBGRAPHS
from subgraphs.stack.settings import StackSettings
from subgraphs.stack.supervisor import Stack, _Endpoint, plain_console
from tests.support.stack import graphql, stack_env, start, stop, wait_ready


def admin_token(url: str, up_output: str) -> str:
    """The seeded admin signs in with password and TOTP (MFA is mandatory for ADMIN)."""
    match = re.search(
        r"admin@demo\.healthgraph\.test\s+password: (\S+)\s+TOTP secret: (\S+)", up_output
    )
    assert match, up_output
    login = graphql(
        url,
        "mutation($e: String!, $p: String!) { login(email: $e, password: $p) "
        "{ accessToken mfaRequired mfaToken } }",
        e="admin@demo.healthgraph.test",
        p=match.group(1),
    )["data"]["login"]
    assert login["mfaRequired"] is True
    assert login["accessToken"] is None
    verified = graphql(
        url,
        "mutation($t: String!, $c: String!) { verifyMfa(mfaToken: $t, code: $c) { accessToken } }",
        t=login["mfaToken"],
        c=pyotp.TOTP(match.group(2)).now(),
    )
    token: str = verified["data"]["verifyMfa"]["accessToken"]
    return token


def federated_patient_record(url: str, up_output: str, patient: dict[str, Any]) -> None:
    """The seeded patient's clinical record: the admin finds it in clinical, the patient reads the
    same one through auth's ``me`` (router -> auth -> clinical entity fetch)."""
    found = graphql(
        url,
        'query { patients(search: "Patient") { nodes { mrn givenName user { id } } } }',
        admin_token(url, up_output),
    )
    assert "errors" not in found, found
    [record] = [
        node
        for node in found["data"]["patients"]["nodes"]
        if node["user"] and node["user"]["id"] == patient["user"]["id"]
    ]
    mine = graphql(url, "{ me { email patient { mrn givenName } } }", patient["accessToken"])
    assert mine == {
        "data": {
            "me": {
                "email": "patient@demo.healthgraph.test",
                "patient": {"mrn": record["mrn"], "givenName": "Pat"},
            }
        }
    }


def sign_in_through_the_router(url: str, up_output: str) -> dict[str, Any]:
    """The seeded synthetic patient signs in and reads ``me``: router -> auth subgraph."""
    match = re.search(r"patient@demo\.healthgraph\.test\s+password: (\S+)", up_output)
    assert match, up_output
    login = httpx.post(
        url,
        json={
            "query": "mutation($e: String!, $p: String!) { login(email: $e, password: $p) "
            "{ accessToken mfaRequired user { id displayName role } } }",
            "variables": {"e": "patient@demo.healthgraph.test", "p": match.group(1)},
        },
        timeout=30,
    ).json()
    payload = login["data"]["login"]
    assert payload["mfaRequired"] is False, login
    # the request is anonymous: the router lets through only User fields without directives
    assert payload["user"]["role"] == "PATIENT"
    me = httpx.post(
        url,
        json={"query": "{ me { email role } }"},
        headers={"authorization": f"Bearer {payload['accessToken']}"},
        timeout=30,
    ).json()
    assert me == {"data": {"me": {"email": "patient@demo.healthgraph.test", "role": "PATIENT"}}}
    anonymous = httpx.post(url, json={"query": "{ me { email } }"}, timeout=30).json()
    # refused by the router (`me` is @authenticated), before the auth subgraph is asked
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHORIZED_FIELD_OR_TYPE"
    assert anonymous["errors"][0]["path"] == ["me"]
    signed_in: dict[str, Any] = payload
    return signed_in


def descendants(pid: int) -> list[psutil.Process]:
    return psutil.Process(pid).children(recursive=True)


def postgres_socket_dir(data_dir: Path) -> str:
    # postmaster.pid line 5 holds the unix-socket directory.
    return (data_dir / "postgres" / "postmaster.pid").read_text().splitlines()[4]


@pytest.fixture
def running_stack(
    stack_dir: Path, repo_root: Path
) -> Iterator[tuple[subprocess.Popen[str], dict[str, str], str]]:
    env = stack_env(stack_dir / "data")
    # billing's chain is a node that does not answer: claims are refused, the rest serves
    env["BILLING_CHAIN_RPC_URL"] = f"http://127.0.0.1:{free_port()}"
    process = start(env, repo_root, "--demo")
    output = wait_ready(process)
    yield process, env, output
    if process.poll() is None:
        process.kill()
    process.communicate()  # reaps it and closes its output pipe


@pytest.mark.slow
def test_up_serves_and_stops_cleanly(
    running_stack: tuple[subprocess.Popen[str], dict[str, str], str],
) -> None:
    process, env, output = running_stack
    assert "admin@demo.healthgraph.test" in output  # --demo printed the synthetic logins
    # the demo's claims were refused (the chain does not answer): one line, and no claims named
    refused = [line for line in output.splitlines() if "demo insurance claims" in line]
    assert len(refused) == 1, output
    assert (
        "demo insurance claims not seeded: The claim registry's chain is unreachable" in refused[0]
    )
    assert "Insurance claims:" not in output
    children = descendants(process.pid)
    assert any("tansu" in " ".join(child.cmdline()) for child in children)
    assert any("redis-server" in " ".join(child.cmdline()) for child in children)
    for spec in SUBGRAPHS:
        if spec.available:
            port = env[f"HEALTHGRAPH_{spec.name.upper()}_PORT"]
            assert f"http://127.0.0.1:{port}/graphql" in output
            assert httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200

    router_port = env["HEALTHGRAPH_ROUTER_PORT"]
    assert f"Playground  http://127.0.0.1:{router_port}/graphql" in output
    assert f"Web app     http://127.0.0.1:{router_port}/app/" in output
    router_url = f"http://127.0.0.1:{router_port}/graphql"
    patient = sign_in_through_the_router(router_url, output)
    federated_patient_record(router_url, output, patient)

    code, out = stop(process)

    assert code == 0, out
    assert "Stopped." in out
    time.sleep(0.5)
    assert [child for child in children if child.is_running() and child.status() != "zombie"] == []
    for name in ("kafka", "redis", "router", "auth", "clinical", "billing", "billing_grpc"):
        assert is_free(int(env[f"HEALTHGRAPH_{name.upper()}_PORT"]))


@pytest.mark.slow
def test_data_survives_a_restart_and_a_killed_service_comes_back(
    stack_dir: Path, repo_root: Path
) -> None:
    env = stack_env(stack_dir / "data")
    first = start(env, repo_root)
    wait_ready(first)

    async def write() -> None:
        connection = await asyncpg.connect(
            host=postgres_socket_dir(stack_dir / "data"), user="postgres", database="postgres"
        )
        await connection.execute(
            "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('synthetic')"
        )
        await connection.close()

    asyncio.run(write())
    assert stop(first)[0] == 0

    second = start(env, repo_root)
    wait_ready(second)

    async def read() -> str:
        connection = await asyncpg.connect(
            host=postgres_socket_dir(stack_dir / "data"), user="postgres", database="postgres"
        )
        note: str = await connection.fetchval("SELECT note FROM kept")
        await connection.close()
        return note

    try:
        assert asyncio.run(read()) == "synthetic"
        kill_and_see_it_come_back(second, env, "auth")
    finally:
        code, out = stop(second)
        assert code == 0, out
    assert "auth exited with code -9" in out
    assert "restarting in 1s" in out
    assert "auth restarted" in out


def kill_and_see_it_come_back(stack: subprocess.Popen[str], env: dict[str, str], name: str) -> None:
    """SIGKILL one service of a development stack: the supervisor starts it again."""
    factory = f"subgraphs.{name}.app:create_app"
    (child,) = [c for c in descendants(stack.pid) if factory in " ".join(c.cmdline())]
    child.kill()
    child.wait(10)
    health = f"http://127.0.0.1:{env[f'HEALTHGRAPH_{name.upper()}_PORT']}/health"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(health, timeout=1).status_code == 200:
                break
        time.sleep(0.2)
    else:
        pytest.fail(f"{name} did not come back")
    assert stack.poll() is None


def test_taken_port_is_named_and_nothing_starts(stack_dir: Path, repo_root: Path) -> None:
    env = stack_env(stack_dir / "data")
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", int(env["HEALTHGRAPH_REDIS_PORT"])))
        blocker.listen()
        result = subprocess.run(
            [sys.executable, "-m", "subgraphs", "up"],
            cwd=repo_root,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 1
    assert f"port {env['HEALTHGRAPH_REDIS_PORT']} (Redis) is already in use" in result.stdout
    assert not (stack_dir / "data" / "postgres").exists()


def _ports(env: dict[str, str]) -> list[int]:
    return [
        int(env[f"HEALTHGRAPH_{name.upper()}_PORT"])
        for name in ("kafka", "redis", "router", "auth", "clinical", "billing")
    ]


def _eventually_free(ports: list[int], within: float = 15.0) -> list[int]:
    deadline = time.monotonic() + within
    while True:
        taken = [port for port in ports if not is_free(port)]
        if not taken or time.monotonic() > deadline:
            return taken
        time.sleep(0.2)


@pytest.mark.slow
def test_children_die_with_a_killed_supervisor(stack_dir: Path, repo_root: Path) -> None:
    env = stack_env(stack_dir / "data")
    first = start(env, repo_root)
    wait_ready(first)
    children = descendants(first.pid)
    assert (stack_dir / "data" / "healthgraph.pids").is_file()

    first.kill()  # SIGKILL: no handler runs, nothing is stopped by the supervisor itself
    first.communicate()

    assert _eventually_free(_ports(env)) == []
    time.sleep(0.5)
    assert [c for c in children if c.is_running() and c.status() != psutil.STATUS_ZOMBIE] == []

    # The next `up` on the data dir starts, adopts the PostgreSQL the dead one left running, and
    # stops it too.
    second = start(env, repo_root)
    try:
        wait_ready(second)
        # its stop also stops the adopted PostgreSQL (a shutdown checkpoint, up to pg_ctl's own
        # 60 s wait), which under a whole suite's disk load has taken longer than one minute
        code, out = stop(second, timeout=180)
    finally:  # a stop that timed out leaves no process and no open pipe behind
        if second.poll() is None:
            second.kill()
        second.communicate()
    assert code == 0, out
    assert not (stack_dir / "data" / "postgres" / "postmaster.pid").exists()
    assert not (stack_dir / "data" / "healthgraph.pids").exists()


@pytest.mark.slow
def test_sigint_stops_a_stack_started_with_sigint_ignored(stack_dir: Path, repo_root: Path) -> None:
    env = stack_env(stack_dir / "data")
    process = subprocess.Popen(
        [sys.executable, "-m", "subgraphs", "up"],
        cwd=repo_root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # what `healthgraph up &` in a non-interactive script does
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),  # noqa: PLW1509
    )
    wait_ready(process)
    process.send_signal(signal.SIGINT)
    out, _ = process.communicate(timeout=60)
    assert process.returncode == 0, out
    assert "Stopped." in out
    assert _eventually_free(_ports(env), within=2.0) == []


def test_urls_and_logins_never_wrap() -> None:
    console = plain_console()
    console.file = io.StringIO()
    console.width = 40  # a narrow terminal, or a pipe (where rich assumes 80 columns)
    line = login_line(Role.ADMIN, "admin@demo.healthgraph.test", "demo-abcdefghijklmnop", "A" * 32)
    stack = Stack(StackSettings(), console)
    stack.demo = DemoSeed(True, [line], Path("/data/demo-logins.txt"), "Seeded a synthetic clinic.")
    stack.endpoints = [
        _Endpoint("router", "http://127.0.0.1:4000/graphql", "http://127.0.0.1:4000/health")
    ]
    stack.report()
    lines = console.file.getvalue().splitlines()
    assert line in lines
    assert "  Playground  http://127.0.0.1:4000/graphql" in lines
    assert "  Web app     http://127.0.0.1:4000/app/" in lines
    assert (
        "  router      http://127.0.0.1:4000/graphql   health http://127.0.0.1:4000/health" in lines
    )


def test_billing_serves_grpc_where_clinical_calls_it_with_one_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BILLING_GRPC_SERVICE_TOKEN", raising=False)
    console = plain_console()
    console.file = io.StringIO()
    stack = Stack(StackSettings(data_dir=tmp_path, billing_grpc_port=4999), console, tmp_path)
    specs = {spec.name: spec for spec in SUBGRAPHS}

    billing = stack._service_env(specs["billing"])
    clinical = stack._service_env(specs["clinical"])

    assert billing["BILLING_GRPC_PORT"] == "4999"
    assert clinical["CLINICAL_BILLING_GRPC_TARGET"] == "127.0.0.1:4999"
    assert billing["BILLING_GRPC_SERVICE_TOKEN"] == clinical["CLINICAL_BILLING_GRPC_TOKEN"]
    assert (tmp_path / "keys" / "billing-grpc.token").read_text() == clinical[
        "CLINICAL_BILLING_GRPC_TOKEN"
    ]
    assert stack._service_env(specs["auth"]) == {}
    monkeypatch.setenv("BILLING_GRPC_SERVICE_TOKEN", "from-the-environment")
    assert stack._service_env(specs["clinical"])["CLINICAL_BILLING_GRPC_TOKEN"] == (
        "from-the-environment"
    )
    stack.endpoints = [_Endpoint("billing", "http://b/graphql", "http://b/health")]
    stack.report()
    assert "  billing gRPC 127.0.0.1:4999" in console.file.getvalue()


def test_the_billing_grpc_port_may_not_be_another_services() -> None:
    with pytest.raises(
        ValueError, match="HEALTHGRAPH_BILLING_PORT and HEALTHGRAPH_BILLING_GRPC_PORT"
    ):
        StackSettings(billing_port=4100, billing_grpc_port=4100)


def test_up_demo_in_production_starts_without_demo_data() -> None:
    console = plain_console()
    console.file = io.StringIO()
    stack = Stack(StackSettings(environment="production"), console)
    stack.seed()
    assert stack.demo is None
    assert "never loaded in production" in console.file.getvalue()


def test_a_refused_demo_clinic_is_one_line_and_the_stack_goes_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def refused(*_: object, **__: object) -> None:
        raise Conflict("That user account is already linked to another patient.")

    monkeypatch.setattr("subgraphs.stack.supervisor.seed_demo", refused)
    console = plain_console()
    console.file = io.StringIO()
    stack = Stack(StackSettings(), console)
    stack.seed()
    assert stack.demo is None
    assert (
        "demo clinic not seeded: That user account is already linked to another patient."
        in console.file.getvalue()
    )


@pytest.mark.parametrize("router", [False, True])
def test_refused_demo_claims_are_one_line_and_the_stack_goes_on(
    monkeypatch: pytest.MonkeyPatch, router: bool
) -> None:
    plan = DemoClaimPlan(
        "staff@demo.healthgraph.test",
        "demo-password",
        None,
        (DemoClaim(str(uuid.uuid4()), ("I10", "99213"), "Demo Health Mutual", "DHM-1"),),
    )

    async def seeded(*_: object, **__: object) -> DemoSeed:
        return DemoSeed(True, [], Path("/data/demo-logins.txt"), "Seeded a clinic.", plan)

    monkeypatch.setattr("subgraphs.stack.supervisor.seed_demo", seeded)
    console = plain_console()
    console.file = io.StringIO()
    stack = Stack(StackSettings(), console)
    reason = "no router is running"
    if router:  # a router that does not answer (a chain not connected is refused alike)
        url = f"http://127.0.0.1:{free_port()}/graphql"
        stack.endpoints = [_Endpoint("router", url, url.replace("graphql", "health"))]
        reason = f"{url} did not answer"
    stack.seed()
    assert stack.demo is not None
    assert stack.demo.summary == "Seeded a clinic."  # claims only once they are submitted
    assert stack.demo.claims is None
    warnings = [line for line in console.file.getvalue().splitlines() if "!" in line]
    assert len(warnings) == 1, warnings
    assert f"demo insurance claims not seeded: {reason}" in warnings[0]
