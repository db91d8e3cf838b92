"""Key and secret files: private directories (0700) and files (0600), created atomically."""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path

__all__ = [
    "SecretFileError",
    "check_private",
    "ensure_private_dir",
    "load_or_create_secret",
    "write_private_once",
]


class SecretFileError(PermissionError):
    """A key or secret file (or its directory) that other users could read."""


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` and its missing parents with mode 0700 (whatever the umask).

    A directory that already exists is left as it is: an operator's ``/run/secrets`` is theirs.
    """
    missing: list[Path] = []
    current = path
    while not current.exists():
        missing.append(current)
        current = current.parent
    for directory in reversed(missing):
        directory.mkdir(mode=0o700, exist_ok=True)
        directory.chmod(0o700)  # mkdir's mode is filtered by the umask
    return path


def check_private(path: Path) -> None:
    """Refuse a secret file that anyone but its owner may read or write."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise SecretFileError(
            f"{path} is readable by other users (mode {mode:o}); run: chmod 600 {path}"
        )


def write_private_once(path: Path, content: bytes) -> bool:
    """Write ``content`` to a new 0600 file ``path`` in a 0700 directory; False if it already exists.

    The bytes go to a private temporary file first, then are linked into place: link() fails when
    the name exists, so two processes starting at once agree on one file and nobody reads a
    half-written secret.
    """
    ensure_private_dir(path.parent)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    try:
        os.link(temporary, path)
    except FileExistsError:
        return False
    finally:
        temporary.unlink()
    return True


def load_or_create_secret(path: Path, create: Callable[[], bytes]) -> bytes:
    """The bytes of the private file ``path``, written there with ``create()`` on first use."""
    if not path.exists():
        write_private_once(path, create())
    ensure_private_dir(path.parent)
    check_private(path)
    return path.read_bytes()
