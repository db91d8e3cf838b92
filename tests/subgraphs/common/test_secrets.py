"""Keys and secrets: 0600 files in 0700 directories under the data dir, never under the cwd."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from subgraphs.auth.settings import AuthSettings
from subgraphs.auth.vault import load_master_key
from subgraphs.clinical.settings import ClinicalSettings
from subgraphs.common.secrets import (
    SecretFileError,
    ensure_private_dir,
    load_or_create_secret,
    write_private_once,
)
from subgraphs.common.settings import ServiceSettings


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_secret_file_is_0600_in_0700_directories_whatever_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        path = tmp_path / "data" / "keys" / "some.secret"
        assert load_or_create_secret(path, lambda: b"s3cret") == b"s3cret"
    finally:
        os.umask(previous)
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700
    assert _mode(path.parent.parent) == 0o700
    assert load_or_create_secret(path, lambda: b"other") == b"s3cret"  # created once
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_secret_readable_by_others_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "some.secret"
    load_or_create_secret(path, lambda: b"s3cret")
    path.chmod(0o640)
    with pytest.raises(SecretFileError, match="chmod 600"):
        load_or_create_secret(path, lambda: b"s3cret")


def test_the_first_writer_wins(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "one"
    assert write_private_once(path, b"first")
    assert not write_private_once(path, b"second")
    assert path.read_bytes() == b"first"


def test_an_existing_directory_is_left_alone(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    assert ensure_private_dir(shared) == shared
    assert _mode(shared) == 0o755


def test_data_dir_comes_from_the_environment_never_the_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HEALTHGRAPH_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert ServiceSettings().data_dir == tmp_path / "xdg" / "healthgraph"
    monkeypatch.setenv("HEALTHGRAPH_DATA_DIR", str(tmp_path / "data"))
    auth = AuthSettings()
    clinical = ClinicalSettings()
    assert auth.key_dir == tmp_path / "data" / "auth"
    assert clinical.prescription_key_file(clinical.data_dir) == (
        tmp_path / "data" / "keys" / "clinical-prescriptions.pem"
    )
    load_master_key(auth)
    assert _mode(tmp_path / "data" / "auth" / "master.key") == 0o600
    assert not (tmp_path / ".healthgraph").exists()
