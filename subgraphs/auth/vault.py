"""The service vault: AES-256-GCM for secrets at rest, HMAC-SHA256 digests of tokens and codes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from subgraphs.auth.settings import AuthSettings
from subgraphs.common.secrets import load_or_create_secret

__all__ = ["SecretBox", "load_master_key"]

_NONCE_BYTES = 12


def load_master_key(settings: AuthSettings) -> bytes:
    """``AUTH_SECRET_KEY``, or (outside production) ``<data dir>/auth/master.key``, mode 0600."""
    if settings.secret_key is not None:
        key = base64.b64decode(settings.secret_key.get_secret_value())
        if len(key) != 32:
            raise ValueError("AUTH_SECRET_KEY must be 32 bytes, base64-encoded")
        return key
    if settings.production:
        raise ValueError("AUTH_SECRET_KEY is required in production")
    stored = load_or_create_secret(
        settings.key_dir / "master.key", lambda: base64.b64encode(secrets.token_bytes(32))
    )
    return base64.b64decode(stored)


class SecretBox:
    """Encrypts small secrets (signing keys, TOTP seeds) and digests tokens, from one master key."""

    def __init__(self, master_key: bytes) -> None:
        self._aead = AESGCM(hashlib.sha256(b"healthgraph-auth-encrypt" + master_key).digest())
        self._mac_key = hashlib.sha256(b"healthgraph-auth-digest" + master_key).digest()

    def encrypt(self, plaintext: bytes, *, purpose: str) -> bytes:
        nonce = secrets.token_bytes(_NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plaintext, purpose.encode())

    def decrypt(self, ciphertext: bytes, *, purpose: str) -> bytes:
        nonce, body = ciphertext[:_NONCE_BYTES], ciphertext[_NONCE_BYTES:]
        return self._aead.decrypt(nonce, body, purpose.encode())

    def digest(self, value: str, *, purpose: str) -> str:
        """A keyed digest of a high-entropy token or code, safe to store and look up by."""
        message = f"{purpose}\x00{value}".encode()
        return hmac.new(self._mac_key, message, hashlib.sha256).hexdigest()
