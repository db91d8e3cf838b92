"""The client address behind trusted proxies only."""

from __future__ import annotations

from subgraphs.auth.client import client_address

TRUSTED = ("127.0.0.1", "10.0.0.5")


def test_direct_peer_wins_when_untrusted() -> None:
    assert client_address("203.0.113.9", "198.51.100.1", TRUSTED) == "203.0.113.9"


def test_forwarded_for_is_read_right_to_left_through_trusted_proxies() -> None:
    assert (
        client_address("127.0.0.1", "198.51.100.1, 203.0.113.7, 10.0.0.5", TRUSTED) == "203.0.113.7"
    )


def test_spoofed_leftmost_entry_is_ignored() -> None:
    assert client_address("127.0.0.1", "1.2.3.4, 203.0.113.7", TRUSTED) == "203.0.113.7"


def test_no_header_and_no_peer() -> None:
    assert client_address("127.0.0.1", None, TRUSTED) == "127.0.0.1"
    assert client_address(None, None, TRUSTED) == "unknown"
