"""deploy/: each overlay rendered once, and checkov run once per session over everything."""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.deploy.compose_file import ComposeFile, read_env_file
from tests.deploy.kustomize import Resource, render

# Variables our settings read: cleared from this process while a service's settings load, so
# that only what the deployment sets counts.
_OURS = re.compile(
    r"^(AUTH_|CLINICAL_|BILLING_|ROUTER_|HEALTHGRAPH_|OTEL_)|^(DATABASE_URL|KAFKA_BOOTSTRAP_SERVERS|REDIS_URL)$"
)

# Every kustomization a user applies (the base only through them).
OVERLAYS = ("dev", "prod", "prod/data")


@pytest.fixture(scope="session")
def rendered(repo_root: Path) -> dict[str, list[Resource]]:
    """Overlay -> its resources, as ``kubectl kustomize deploy/k8s/<overlay>`` prints them."""
    return {overlay: render(repo_root / "deploy" / "k8s" / overlay) for overlay in OVERLAYS}


@pytest.fixture
def service_environment(monkeypatch: pytest.MonkeyPatch) -> Callable[[dict[str, str]], None]:
    """``apply(env)``: this process's environment becomes exactly ``env`` for our variables."""

    def apply(env: dict[str, str]) -> None:
        for name in list(os.environ):
            if _OURS.match(name):
                monkeypatch.delenv(name)
        for name, value in env.items():
            if name != "PATH":
                monkeypatch.setenv(name, value)

    return apply


def filled_env_file(repo_root: Path) -> dict[str, str]:
    """A filled-in .env: every variable of .env.example, secrets freshly generated."""
    values = read_env_file(repo_root / ".env.example")
    for name, value in values.items():
        if value.startswith("change-me"):
            values[name] = secrets.token_urlsafe(24)
    values["AUTH_SECRET_KEY"] = base64.b64encode(secrets.token_bytes(32)).decode()
    return values


@pytest.fixture(scope="session")
def compose(repo_root: Path) -> ComposeFile:
    """docker-compose.yml as compose reads it with a filled-in .env."""
    return ComposeFile.load(repo_root / "docker-compose.yml", filled_env_file(repo_root))


def checkov_binary(repo_root: Path) -> Path:
    return repo_root / ".venv" / "tools" / "checkov" / "bin" / "checkov"


@pytest.fixture(scope="session")
def checkov_report(
    repo_root: Path, rendered: dict[str, list[Resource]], tmp_path_factory: pytest.TempPathFactory
) -> list[dict[str, Any]]:
    """checkov over the rendered overlays, the Dockerfile and the SAM template (one run: ~10 s)."""
    binary = checkov_binary(repo_root)
    if not binary.is_file():
        pytest.fail(f"checkov is not installed at {binary}: run `make install`")
    scan = tmp_path_factory.mktemp("checkov")
    for overlay, resources in rendered.items():
        (scan / f"{overlay.replace('/', '-')}.yaml").write_text(yaml.safe_dump_all(resources))
    (scan / "Dockerfile").write_text((repo_root / "Dockerfile").read_text())
    serverless = scan / "serverless"
    serverless.mkdir()
    (serverless / "template.yaml").write_text(
        (repo_root / "deploy" / "serverless" / "template.yaml").read_text()
    )
    result = subprocess.run(
        [
            str(binary),
            "--config-file",
            str(repo_root / "deploy" / "checkov.yaml"),
            "--directory",
            str(scan),
            "--framework",
            "kubernetes",
            "dockerfile",
            "cloudformation",
            "--output",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(result.stdout)
    return report if isinstance(report, list) else [report]
