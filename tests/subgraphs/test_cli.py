"""The ``healthgraph`` command's failure modes: one clear line and a non-zero exit, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyotp
import pytest
from typer.testing import CliRunner

from subgraphs.cli import app
from subgraphs.stack.ports import free_port
from tests.support.stack import LOGIN_LINE, stack_env


def run(
    *args: str, env: dict[str, str], cwd: Path, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "subgraphs", *args],
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def unreachable_database_env(stack_dir: Path) -> dict[str, str]:
    env = stack_env(stack_dir / "data")
    env["DATABASE_URL"] = f"postgresql://nobody@127.0.0.1:{free_port()}/postgres"
    env["AUTH_PASSWORD_MEMORY_KIB"] = "1024"  # a cheap hash: these tests seed users
    return env


def test_migrate_with_unreachable_database(stack_dir: Path, repo_root: Path) -> None:
    result = run("migrate", env=unreachable_database_env(stack_dir), cwd=repo_root)
    assert result.returncode == 1
    assert "cannot reach PostgreSQL" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_create_admin_with_unreachable_database(stack_dir: Path, repo_root: Path) -> None:
    env = unreachable_database_env(stack_dir)
    result = run(
        *("users", "create-admin", "--email", "a@example.org"),
        env=env,
        cwd=repo_root,
        stdin="a long admin passphrase 42\n",
    )
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("error: cannot reach PostgreSQL at postgresql://nobody@127.0.0.1:")
    assert "Traceback" not in result.stdout + result.stderr


def test_auth_database_url_unreachable_is_one_line(stack_dir: Path, repo_root: Path) -> None:
    env = unreachable_database_env(stack_dir)
    env["AUTH_DATABASE_URL"] = env["DATABASE_URL"].replace("postgresql:", "postgresql+asyncpg:")
    result = run("totp", "x@demo.healthgraph.test", env=env, cwd=repo_root)
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(
        "error: cannot reach PostgreSQL at postgresql+asyncpg://nobody@127.0.0.1:"
    )
    assert line.endswith("(is it running? AUTH_DATABASE_URL names it)")


def test_topics_without_brokers_or_with_unreachable_ones(stack_dir: Path, repo_root: Path) -> None:
    env = stack_env(stack_dir / "data")
    missing = run("topics", env=env, cwd=repo_root)
    assert missing.returncode == 1
    assert missing.stderr.startswith("error: set KAFKA_BOOTSTRAP_SERVERS")
    env["KAFKA_BOOTSTRAP_SERVERS"] = f"127.0.0.1:{free_port()}"
    unreachable = run("topics", env=env, cwd=repo_root)
    assert unreachable.returncode == 1
    [line] = unreachable.stderr.splitlines()
    assert line.startswith("error: cannot create Kafka topics on 127.0.0.1:")
    assert "Traceback" not in unreachable.stdout + unreachable.stderr


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["up"],
        ["seed"],
        ["migrate"],
        ["totp"],
        ["compose"],
        ["topics"],
        ["users", "create-admin"],
    ],
)
def test_help_has_no_type_placeholders(command: list[str]) -> None:
    result = CliRunner().invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.output
    assert "<str>" not in result.output
    assert "<path>" not in result.output


def test_up_with_unreachable_database_stops_everything(stack_dir: Path, repo_root: Path) -> None:
    env = unreachable_database_env(stack_dir)
    result = run("up", env=env, cwd=repo_root)
    assert result.returncode == 1
    assert "cannot reach PostgreSQL" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    # the broker and Redis it had started are gone again
    from subgraphs.stack.ports import is_free

    assert is_free(int(env["HEALTHGRAPH_KAFKA_PORT"]))
    assert is_free(int(env["HEALTHGRAPH_REDIS_PORT"]))


@pytest.mark.slow  # seven CLI runs, each starting the embedded PostgreSQL and checking migrations
def test_seed_loads_synthetic_users_and_stops_its_database(
    stack_dir: Path, repo_root: Path
) -> None:
    env = unreachable_database_env(stack_dir)
    del env["DATABASE_URL"]
    first = run("seed", env=env, cwd=repo_root)
    assert first.returncode == 0, first.stdout + first.stderr
    for role in ("admin", "doctor", "staff", "patient"):
        assert f"{role}@demo.healthgraph.test" in first.stdout
    again = run("seed", env=env, cwd=repo_root)  # idempotent: finds the clinic, prints its logins
    assert again.returncode == 0, again.stdout + again.stderr
    assert "seeded before" in again.stdout
    logins = [line for line in first.stdout.splitlines() if "password:" in line]
    assert len(logins) >= 4
    assert all(line in again.stdout for line in logins)
    pid_file = stack_dir / "data" / "postgres" / "postmaster.pid"
    assert not pid_file.exists(), "seed left its embedded PostgreSQL running"

    # Every command finds the same embedded PostgreSQL with no extra variables.
    admin = next(m for m in LOGIN_LINE.finditer(first.stdout) if m.group("role") == "ADMIN")
    code = run("totp", "admin@demo.healthgraph.test", env=env, cwd=repo_root)
    assert code.returncode == 0, code.stderr
    totp = pyotp.TOTP(admin.group("secret"))
    assert totp.verify(code.stdout.strip(), valid_window=2)
    refused = run("totp", "someone@example.org", env=env, cwd=repo_root)
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "error: Only demo users (…@demo.healthgraph.test) get their TOTP code printed."
    )
    production = run("totp", "admin@demo.healthgraph.test", env={
        **env, "HEALTHGRAPH_ENVIRONMENT": "production"}, cwd=repo_root)  # fmt: skip
    assert production.returncode == 1
    assert "production" in production.stderr
    created = run(
        *("users", "create-admin", "--email", "ops@example.org"),
        env=env,
        cwd=repo_root,
        stdin="a long admin passphrase 42\n",
    )
    assert created.returncode == 0, created.stderr
    assert "Created admin ops@example.org" in created.stdout
    migrated = run("migrate", env=env, cwd=repo_root)
    assert migrated.returncode == 0, migrated.stdout
    assert "auth migrated" in migrated.stdout
    assert not pid_file.exists()


def test_production_never_seeds(stack_dir: Path) -> None:
    env = {"HEALTHGRAPH_ENVIRONMENT": "production", "HEALTHGRAPH_DATA_DIR": str(stack_dir)}
    seeded = CliRunner().invoke(app, ["seed"], env=env)
    assert seeded.exit_code == 1
    assert "never loaded in production" in seeded.output
    totp = CliRunner().invoke(app, ["totp", "admin@demo.healthgraph.test"], env=env)
    assert totp.exit_code == 1
    assert list(stack_dir.iterdir()) == []  # no database was started, nothing written


def test_two_services_on_one_port_is_one_clear_line(stack_dir: Path, repo_root: Path) -> None:
    env = stack_env(stack_dir / "data")
    env["HEALTHGRAPH_CLINICAL_PORT"] = env["HEALTHGRAPH_AUTH_PORT"]
    done = run("up", env=env, cwd=repo_root)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"error: Value error, HEALTHGRAPH_AUTH_PORT and HEALTHGRAPH_CLINICAL_PORT are both "
        f"{env['HEALTHGRAPH_AUTH_PORT']}: each service needs a port of its own"
    ), done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert not (stack_dir / "data").exists()  # refused before anything started
