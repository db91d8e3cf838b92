"""The password policy: length, common passwords, monotonous strings, the user's own name."""

from __future__ import annotations

import pytest

from subgraphs.auth.passwords.policy import check_password, common_passwords
from subgraphs.common.errors import BadUserInput


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "at least 12"),
        ("x" * 129, "at most 128"),
        ("Password1234", "too common"),
        ("QWERTY123456", "too common"),
        ("aaaaaaaaaaaaaaaa", "too common"),
        ("abcdefghijklmn", "too common"),
        ("987654321098", "too common"),
        ("ababababababab", "too common"),
        ("marie.curie.99", "name or email"),
    ],
)
def test_rejected(password: str, message: str) -> None:
    with pytest.raises(BadUserInput, match=message):
        check_password(password, email="marie.curie@example.org", display_name="Marie Curie")


@pytest.mark.parametrize(
    "password", ["correct horse battery staple", "Tr0ub4dor&3-xyz!", "ŝŭpĉ€r-lønġ-pass"]
)
def test_accepted(password: str) -> None:
    check_password(password, email="marie.curie@example.org", display_name="Marie Curie")


def test_blocklist_ships_with_the_package() -> None:
    blocklist = common_passwords()
    assert len(blocklist) > 100
    assert all(entry == entry.lower() for entry in blocklist)
