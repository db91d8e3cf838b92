"""The ``healthgraph`` command's failure modes: one clear line and a non-zero exit, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from subgraphs.stack.ports import free_port


def run(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "subgraphs", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def unreachable_database_env(stack_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = f"postgresql://nobody@127.0.0.1:{free_port()}/postgres"
    env["HEALTHGRAPH_DATA_DIR"] = str(stack_dir / "data")
    for name in ("router", "auth", "clinical", "billing", "kafka", "redis"):
        env[f"HEALTHGRAPH_{name.upper()}_PORT"] = str(free_port())
    env.pop("KAFKA_BOOTSTRAP_SERVERS", None)
    env.pop("REDIS_URL", None)
    env["AUTH_PASSWORD_MEMORY_KIB"] = "1024"  # a cheap hash: these tests seed users
    return env


def test_migrate_with_unreachable_database(stack_dir: Path, repo_root: Path) -> None:
    result = run("migrate", env=unreachable_database_env(stack_dir), cwd=repo_root)
    assert result.returncode == 1
    assert "cannot reach PostgreSQL" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_migrate_needs_a_database_url(stack_dir: Path, repo_root: Path) -> None:
    env = unreachable_database_env(stack_dir)
    del env["DATABASE_URL"]
    result = run("migrate", env=env, cwd=repo_root)
    assert result.returncode == 2
    assert "DATABASE_URL is not set" in result.stdout


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
