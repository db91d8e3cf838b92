"""Service tokens: the shared secret a calling service presents in gRPC metadata."""

from __future__ import annotations

import hmac
import secrets
from pathlib import Path

from pydantic import SecretStr

from subgraphs.common.secrets import load_or_create_secret

__all__ = ["AUTHORIZATION", "bearer_metadata", "presented_token", "service_token", "token_matches"]

AUTHORIZATION = "authorization"  # gRPC metadata keys are lower-case


def service_token(configured: SecretStr | None, *, data_dir: Path, name: str) -> str:
    """The configured token, else the one generated once into ``<data_dir>/keys/<name>.token``
    (0600): every process sharing a data dir (``healthgraph up``) agrees on it unconfigured."""
    if configured is not None and configured.get_secret_value():
        return configured.get_secret_value()
    path = data_dir / "keys" / f"{name}.token"
    return load_or_create_secret(path, lambda: secrets.token_urlsafe(32).encode()).decode()


def bearer_metadata(token: str) -> tuple[tuple[str, str], ...]:
    """The metadata a caller sends: ``authorization: Bearer <token>``."""
    return ((AUTHORIZATION, f"Bearer {token}"),)


def presented_token(metadata: object) -> str | None:
    """The bearer token in ``metadata`` (pairs of key and value), None when absent or malformed."""
    if not isinstance(metadata, tuple | list):
        return None
    for pair in metadata:
        key, value = pair
        if key == AUTHORIZATION and isinstance(value, str):
            scheme, _, token = value.partition(" ")
            return token.strip() or None if scheme.lower() == "bearer" else None
    return None


def token_matches(presented: str | None, expected: str) -> bool:
    """Constant-time comparison: how long it takes tells nothing about the expected token."""
    if presented is None:
        return False
    return hmac.compare_digest(presented.encode(), expected.encode())
