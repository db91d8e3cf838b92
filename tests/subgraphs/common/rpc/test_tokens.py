"""Service tokens: configured, or generated once per data dir; compared in constant time."""

from __future__ import annotations

import stat
from pathlib import Path

from pydantic import SecretStr

from subgraphs.common.rpc.tokens import (
    bearer_metadata,
    presented_token,
    service_token,
    token_matches,
)


def test_a_configured_token_wins(tmp_path: Path) -> None:
    assert service_token(SecretStr("given"), data_dir=tmp_path, name="x") == "given"
    assert not (tmp_path / "keys").exists()


def test_unconfigured_processes_sharing_a_data_dir_agree(tmp_path: Path) -> None:
    first = service_token(None, data_dir=tmp_path, name="billing-grpc")
    second = service_token(SecretStr(""), data_dir=tmp_path, name="billing-grpc")
    assert first == second
    assert len(first) >= 32
    path = tmp_path / "keys" / "billing-grpc.token"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_presented_token_reads_bearer_metadata() -> None:
    assert presented_token(bearer_metadata("abc")) == "abc"
    assert presented_token((("authorization", "Basic abc"),)) is None
    assert presented_token((("other", "Bearer abc"),)) is None
    assert presented_token(None) is None
    assert token_matches("abc", "abc")
    assert not token_matches("abd", "abc")
    assert not token_matches(None, "abc")
