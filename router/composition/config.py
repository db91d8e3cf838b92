"""Read rover's ``supergraph.yaml`` (https://www.apollographql.com/docs/rover/commands/supergraphs#yaml-configuration-file)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

__all__ = ["ConfigError", "SchemaSource", "SubgraphConfig", "SupergraphConfig", "load_config"]

_VERSION = re.compile(r"^=?(\d+)(?:\.(\d+))?(?:\.(\d+))?$")
_ENV = re.compile(r"\$\{env\.([A-Za-z_][A-Za-z0-9_]*)\}")


def _expand_env(text: str, path: Path) -> str:
    """Replace rover's ``${env.NAME}`` placeholders with environment values."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise ConfigError(f"{path} uses ${{env.{name}}} but {name} is not set")
        return os.environ[name]

    return _ENV.sub(value, text)


class ConfigError(ValueError):
    """``supergraph.yaml`` is missing, unreadable or not in rover's format."""


class SchemaSource(BaseModel):
    """Where a subgraph's SDL comes from: a file, or a running subgraph's ``_service { sdl }``."""

    model_config = ConfigDict(extra="forbid")

    file: Path | None = None
    subgraph_url: str | None = None
    introspection_headers: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _exactly_one(self) -> SchemaSource:
        if (self.file is None) == (self.subgraph_url is None):
            raise ValueError("schema needs exactly one of `file` or `subgraph_url`")
        return self


class SubgraphConfig(BaseModel):
    """One entry of ``subgraphs:``."""

    model_config = ConfigDict(extra="forbid")

    routing_url: str
    schema_: Annotated[SchemaSource, Field(alias="schema")]


class SupergraphConfig(BaseModel):
    """The whole ``supergraph.yaml``."""

    model_config = ConfigDict(extra="forbid")

    federation_version: str = "2"
    subgraphs: dict[str, SubgraphConfig]

    @field_validator("federation_version", mode="before")
    @classmethod
    def _version(cls, value: Any) -> str:
        text = str(value).strip()
        match = _VERSION.match(text)
        if match is None or match.group(1) != "2":
            raise ValueError(f'federation_version must be "2" or "=2.x.y", got "{text}"')
        return text

    @property
    def pinned_federation(self) -> tuple[int, int] | None:
        """The federation version an exact ``=2.x.y`` pins composition to (``None`` for ``2``)."""
        match = _VERSION.match(self.federation_version)
        if match is None or not self.federation_version.startswith("=") or match.group(2) is None:
            return None
        return int(match.group(1)), int(match.group(2))

    @field_validator("subgraphs")
    @classmethod
    def _not_empty(cls, value: dict[str, SubgraphConfig]) -> dict[str, SubgraphConfig]:
        if not value:
            raise ValueError("at least one subgraph is required")
        return value


def load_config(path: Path) -> SupergraphConfig:
    """Load and validate ``supergraph.yaml``; relative schema files resolve against its folder."""
    try:
        raw = yaml.safe_load(_expand_env(path.read_text(encoding="utf-8"), path))
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path} is not valid YAML: {exc}") from exc
    try:
        config = SupergraphConfig.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '<root>'}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(f"{path} is not a valid supergraph config: {problems}") from exc
    for subgraph in config.subgraphs.values():
        file = subgraph.schema_.file
        if file is not None and not file.is_absolute():
            subgraph.schema_.file = path.parent / file
    return config
