"""docker-compose.yml as compose would read it: interpolation from .env, each service's
environment (the image's ``ENV`` first) and command, and a mapping of compose hostnames onto
local endpoints so that a test can run a container's command on this machine."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "ComposeFile",
    "InterpolationError",
    "dockerfile_env",
    "interpolate",
    "read_env_file",
]

# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error} (compose-spec
# "Interpolation"); $$ is a literal dollar.
_REFERENCE = re.compile(
    r"\$\$|\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}"
)


class InterpolationError(ValueError):
    """A ``${NAME:?message}`` whose variable is unset (compose refuses to start)."""


def interpolate(text: str, variables: Mapping[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match.group("name"), match.group("op"), match.group("arg")
        value = variables.get(name)
        if op in {":-", ":?"} and not value:
            value = None
        if value is not None:
            return value
        if op is not None and op.endswith("?"):
            raise InterpolationError(arg or f"{name} is required")
        return arg if op is not None else ""

    return _REFERENCE.sub(replace, text)


def read_env_file(path: Path) -> dict[str, str]:
    """``NAME=value`` lines (comments and blank lines skipped), as compose reads ``.env``."""
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            name, _, value = stripped.partition("=")
            values[name.strip()] = value.strip()
    return values


def dockerfile_env(path: Path, target: str) -> dict[str, str]:
    """The ``ENV`` a container of the Dockerfile's stage ``target`` starts with (its base
    stages' first)."""
    text = path.read_text(encoding="utf-8").replace("\\\n", " ")
    stages: dict[str, tuple[str, dict[str, str]]] = {}
    current: dict[str, str] = {}
    for line in text.splitlines():
        start = re.match(r"FROM\s+(\S+)\s+AS\s+(\S+)", line, flags=re.IGNORECASE)
        if start:
            current = {}
            stages[start.group(2)] = (start.group(1), current)
        elif line.startswith("ENV "):
            for pair in line[4:].split():
                name, _, value = pair.partition("=")
                current[name] = value
    base, own = stages[target]
    return {**(dockerfile_env(path, base) if base in stages else {}), **own}


def _string(value: object) -> str:
    """An ``environment`` value as compose passes it (YAML booleans as ``true``/``false``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


@dataclass(frozen=True)
class ComposeFile:
    """The interpolated model of a compose file."""

    model: dict[str, Any]

    @classmethod
    def load(cls, path: Path, variables: Mapping[str, str]) -> ComposeFile:
        model: dict[str, Any] = yaml.safe_load(interpolate(path.read_text("utf-8"), variables))
        return cls(model)

    @property
    def services(self) -> dict[str, dict[str, Any]]:
        services: dict[str, dict[str, Any]] = self.model["services"]
        return services

    def environment(self, service: str, image_env: Mapping[str, str]) -> dict[str, str]:
        """The container's environment: the image's ``ENV``, then the service's ``environment``."""
        given = self.services[service].get("environment") or {}
        if isinstance(given, list):
            given = dict(item.partition("=")[::2] for item in given)
        env = dict(image_env)
        env.update({name: _string(value) for name, value in given.items()})
        return env

    def command(self, service: str) -> list[str]:
        command: list[str] = self.services[service]["command"]
        return command

    def volume_mounts(self, service: str) -> dict[str, str]:
        """Named volume -> path in the container."""
        mounts: dict[str, str] = {}
        for volume in self.services[service].get("volumes", []):
            source, _, target = volume.partition(":")
            if source in self.model.get("volumes", {}):
                mounts[source] = target.split(":")[0]
        return mounts
