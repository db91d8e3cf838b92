"""The signing key file: created 0600, reused across restarts, refused when exposed."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from subgraphs.clinical.prescriptions.keys import (
    KeyFileError,
    load_or_create_signing_key,
    public_key_from_jwk,
    thumbprint,
)


def test_key_is_created_private_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "rx.pem"
    first = load_or_create_signing_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = load_or_create_signing_key(path)
    assert again.kid == first.kid
    assert again.jwk == first.jwk
    assert set(first.jwk) == {"kty", "crv", "x", "kid", "alg", "use"}
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind
    signature = first.private_key.sign(b"data")
    public_key_from_jwk(again.jwk).verify(signature, b"data")


def test_exposed_key_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "rx.pem"
    load_or_create_signing_key(path)
    path.chmod(0o644)
    with pytest.raises(KeyFileError, match="chmod 600"):
        load_or_create_signing_key(path)


def test_passphrase_encrypts_at_rest(tmp_path: Path) -> None:
    path = tmp_path / "rx.pem"
    created = load_or_create_signing_key(path, passphrase=b"correct horse")
    assert b"ENCRYPTED" in path.read_bytes()
    assert load_or_create_signing_key(path, passphrase=b"correct horse").kid == created.kid
    with pytest.raises(KeyFileError, match="passphrase"):
        load_or_create_signing_key(path, passphrase=b"wrong")


def test_thumbprint_matches_rfc_8037() -> None:
    # RFC 8037, Appendix A.3: the thumbprint of the example Ed25519 public key.
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}
    assert thumbprint(jwk) == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
