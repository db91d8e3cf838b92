"""Canonical JSON for signing and hashing (RFC 8785 JCS, limited to strings, ints, bools, null)."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["canonical_json"]


def _check(value: Any, path: str) -> None:
    if value is None or isinstance(value, bool | int | str):
        return
    if isinstance(value, float):
        # JCS serialises numbers the ECMAScript way; prescriptions and claims carry no fractions, so
        # refusing floats keeps the canonical form unambiguous across languages.
        raise ValueError(f"{path}: floats have no canonical form here")  # noqa: TRY004 (bad data, not a bad call)
    if isinstance(value, list):
        for index, item in enumerate(value):
            _check(item, f"{path}[{index}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or not key.isascii():
                raise ValueError(f"{path}: object keys must be ASCII strings")
            _check(item, f"{path}.{key}")
        return
    raise ValueError(f"{path}: {type(value).__name__} is not JSON")


def canonical_json(value: Any) -> bytes:
    """UTF-8 JSON with sorted keys and no insignificant whitespace.

    With ASCII keys and no floats this is exactly RFC 8785: keys sorted by code unit, strings
    escaped only where JSON requires (control characters as lower-case ``\\u00xx``).
    """
    _check(value, "$")
    text = json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    )
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:  # lone surrogates have no UTF-8 form
        raise ValueError("$: strings must be valid Unicode") from exc
