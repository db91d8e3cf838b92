"""Device tokens (OWASP "Slow Down Online Guessing Attacks with Device Cookies").

A successful sign-in returns a device token bound to the account. Presented with a later login
of that account, it marks the attempt as coming from a device that has signed in before: such
attempts are exempt from the account's lockout (which strangers can trigger) and get their own,
per-device failure limit instead. The token is ``v1.<issued>.<nonce>.<mac>``: the MAC (the
vault's keyed digest) binds it to the account, so it is useless for any other.
"""

from __future__ import annotations

import hmac
import secrets
import time

from subgraphs.auth.vault import SecretBox

__all__ = ["device_of", "issue_device_token"]

_PURPOSE = "device-token"


def _mac(vault: SecretBox, account: str, issued: int, nonce: str) -> str:
    return vault.digest(f"{account}\x00{issued}\x00{nonce}", purpose=_PURPOSE)[:32]


def issue_device_token(vault: SecretBox, *, account: str, now: float | None = None) -> str:
    """A new device token for ``account`` (the normalised email)."""
    issued = int(time.time() if now is None else now)
    nonce = secrets.token_urlsafe(12)
    return f"v1.{issued}.{nonce}.{_mac(vault, account, issued, nonce)}"


def device_of(
    vault: SecretBox, *, account: str, token: str | None, max_age: int, now: float | None = None
) -> str | None:
    """The device id (the token's nonce) when ``token`` is a live device token of ``account``."""
    if not token:
        return None
    parts = token.split(".")
    if len(parts) != 4 or parts[0] != "v1" or not parts[1].isdigit():
        return None
    issued, nonce, mac = int(parts[1]), parts[2], parts[3]
    age = (time.time() if now is None else now) - issued
    if not 0 <= age <= max_age:
        return None
    if not hmac.compare_digest(mac, _mac(vault, account, issued, nonce)):
        return None
    return nonce
