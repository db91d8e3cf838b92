"""docker-compose.yml checked statically (no container engine on CI)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import yaml


def load(repo_root: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((repo_root / "docker-compose.yml").read_text())
    return data


def test_compose_services_are_consistent(repo_root: Path) -> None:
    services = load(repo_root)["services"]
    assert {
        "postgres",
        "kafka",
        "redis",
        "auth",
        "clinical",
        "billing",
        "router",
        "migrate",
    } <= set(services)
    assert services["kafka"]["image"].startswith("apache/kafka")
    published: list[str] = []
    for name, service in services.items():
        depends = service.get("depends_on", {})
        for dependency in depends if isinstance(depends, list) else depends.keys():
            assert dependency in services, f"{name} depends on unknown {dependency}"
        published += [port.split(":")[0] for port in service.get("ports", [])]
    assert len(published) == len(set(published)), "two services publish the same host port"


def test_compose_commands_point_at_real_modules(repo_root: Path) -> None:
    services = load(repo_root)["services"]
    for service in services.values():
        command = service.get("command", [])
        if command[:1] == ["uvicorn"]:
            module = command[1].partition(":")[0]
            package = module.rsplit(".", 1)[0]
            assert importlib.util.find_spec(package) is not None, module
    assert (repo_root / "Dockerfile").is_file()
