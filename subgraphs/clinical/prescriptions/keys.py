"""The prescription signing key: Ed25519 in a 0600 PEM file, its public JWK and RFC 7638 key id."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from subgraphs.common.secrets import SecretFileError, check_private, write_private_once

__all__ = [
    "KeyFileError",
    "SigningKey",
    "load_or_create_signing_key",
    "public_jwk",
    "public_key_from_jwk",
    "thumbprint",
]


class KeyFileError(RuntimeError):
    """The key file exists but cannot be used (permissions, passphrase, wrong key type)."""


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def public_jwk(public_key: Ed25519PublicKey) -> dict[str, str]:
    """The public key as an OKP JWK (RFC 8037), with ``kid``, ``alg`` and ``use``."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": _b64url(raw)}
    return {**jwk, "kid": thumbprint(jwk), "alg": "EdDSA", "use": "sig"}


def thumbprint(jwk: dict[str, str]) -> str:
    """RFC 7638 JWK thumbprint (SHA-256) of an OKP key: the key id everyone can recompute."""
    members = f'{{"crv":"{jwk["crv"]}","kty":"{jwk["kty"]}","x":"{jwk["x"]}"}}'
    return _b64url(hashlib.sha256(members.encode("ascii")).digest())


def public_key_from_jwk(jwk: dict[str, Any]) -> Ed25519PublicKey:
    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
        raise ValueError("not an Ed25519 JWK")
    x = str(jwk["x"])
    return Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(x + "=" * (-len(x) % 4)))


@dataclass(frozen=True, slots=True)
class SigningKey:
    """The private key this process signs with, and its public half as a JWK."""

    private_key: Ed25519PrivateKey
    jwk: dict[str, str]

    @property
    def kid(self) -> str:
        return self.jwk["kid"]

    @classmethod
    def of(cls, private_key: Ed25519PrivateKey) -> SigningKey:
        return cls(private_key, public_jwk(private_key.public_key()))


def _read(path: Path, passphrase: bytes | None) -> Ed25519PrivateKey:
    try:
        check_private(path)
    except SecretFileError as exc:
        raise KeyFileError(str(exc)) from exc
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=passphrase)
    except (ValueError, TypeError) as exc:
        raise KeyFileError(f"{path} is not a PEM private key for this passphrase: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path} does not hold an Ed25519 key")
    return key


def load_or_create_signing_key(path: Path, *, passphrase: bytes | None = None) -> SigningKey:
    """The key in ``path``, created there (mode 0600, PKCS#8 PEM) on first use.

    With ``passphrase`` the file is encrypted at rest. Two processes starting at once end up
    with the same key: creation is exclusive, and the loser reads the winner's file.
    """
    if path.exists():
        return SigningKey.of(_read(path, passphrase))
    key = Ed25519PrivateKey.generate()
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    if not write_private_once(path, pem):  # a concurrent starter won: use its key
        return SigningKey.of(_read(path, passphrase))
    return SigningKey.of(key)
