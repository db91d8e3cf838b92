"""Subscription identity: token expiry is enforced for as long as a stream lasts."""

from __future__ import annotations

import uuid

import pytest

from subgraphs.clinical.live.subscriber import ensure_unexpired
from subgraphs.common.context import Caller, Role
from subgraphs.common.errors import Unauthenticated


def test_expired_tokens_end_streams() -> None:
    caller = Caller(user_id=uuid.uuid4(), role=Role.DOCTOR, claims={"exp": 1_000})
    ensure_unexpired(caller, now=999)
    with pytest.raises(Unauthenticated, match="expired"):
        ensure_unexpired(caller, now=1_000)
    ensure_unexpired(Caller(user_id=uuid.uuid4(), role=Role.DOCTOR), now=10**12)
