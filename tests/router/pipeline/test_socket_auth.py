"""Socket authentication: the token of connection_init (or the handshake), forwarded."""

from __future__ import annotations

import time

import pytest

from router.pipeline.socket_auth import (
    ForwardingAuthenticator,
    SocketAuthError,
    SocketIdentity,
    token_from,
)
from tests.router.live import token


def test_the_token_comes_from_the_payload_then_the_headers() -> None:
    assert token_from({"authorization": "Bearer abc"}, {}) == "abc"
    assert token_from({"token": "abc"}, {}) == "abc"
    assert token_from({}, {"authorization": "Bearer xyz"}) == "xyz"
    assert token_from(None, {}) is None


async def test_forwarding_reads_exp_and_sub_without_verifying() -> None:
    bearer = token("doctor-9", lifetime=60)
    identity = await ForwardingAuthenticator().authenticate({"authorization": bearer}, {})
    assert identity.subject == "doctor-9"
    assert identity.expires_at is not None
    assert 0 < identity.expires_at - time.time() <= 60
    assert identity.authorization() == f"Bearer {bearer}"
    anonymous = await ForwardingAuthenticator().authenticate({}, {})
    assert anonymous.anonymous
    assert anonymous.authorization() is None


@pytest.mark.parametrize("bad", ["not-a-jwt", "a.b.c", token(lifetime=-1)])
async def test_no_jwt_or_an_expired_one_is_4401(bad: str) -> None:
    with pytest.raises(SocketAuthError) as refused:
        await ForwardingAuthenticator().authenticate({"authorization": f"Bearer {bad}"}, {})
    assert refused.value.close_code == 4401


async def test_connection_limits_count_a_token_until_its_subject_is_verified() -> None:
    bearer = token("doctor-9")
    identity = await ForwardingAuthenticator().authenticate({"authorization": bearer}, {})
    assert identity.limit_key is not None
    assert identity.limit_key.startswith("token:")  # a forged sub cannot use up someone's quota
    verified = SocketIdentity(bearer, identity.claims, verified=True)
    assert verified.limit_key == "sub:doctor-9"
    assert SocketIdentity().limit_key is None
