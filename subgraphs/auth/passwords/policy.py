"""The password policy (NIST SP 800-63B 5.1.1.2): length, a blocklist of common passwords, context."""

from __future__ import annotations

from functools import cache
from importlib import resources
from itertools import pairwise

from subgraphs.common.errors import BadUserInput

__all__ = ["MAX_LENGTH", "MIN_LENGTH", "check_password", "common_passwords"]

MIN_LENGTH = 12
MAX_LENGTH = 128  # argon2 takes any length; the cap bounds the work one request can cause


@cache
def common_passwords() -> frozenset[str]:
    """The shipped blocklist, lower-cased (``common_passwords.txt`` beside this module)."""
    text = resources.files(__package__).joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower()
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


def _is_monotonous(password: str) -> bool:
    """One repeated character, or a straight run such as ``abcdefghijkl`` or ``987654321098``."""
    if len(set(password)) <= 2:
        return True
    steps = {ord(b) - ord(a) for a, b in pairwise(password)}
    return steps <= {1, -9} or steps <= {-1, 9}


def check_password(
    password: str, *, email: str | None = None, display_name: str | None = None
) -> None:
    """Raise ``BadUserInput`` unless ``password`` is acceptable for this user."""
    if len(password) < MIN_LENGTH:
        raise BadUserInput(f"The password must have at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise BadUserInput(f"The password must have at most {MAX_LENGTH} characters.")
    lowered = password.lower()
    if lowered in common_passwords() or _is_monotonous(lowered):
        raise BadUserInput("This password is too common; choose another.")
    context = [email.partition("@")[0].lower()] if email else []
    if display_name:
        context += [part.lower() for part in display_name.split() if len(part) >= 4]
    if any(len(word) >= 4 and word in lowered and len(lowered) - len(word) < 8 for word in context):
        raise BadUserInput("The password must not be built from your name or email address.")
