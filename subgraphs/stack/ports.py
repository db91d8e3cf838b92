"""Loopback ports: is one free, pick a free one, wait until one answers."""

from __future__ import annotations

import contextlib
import socket
import time

__all__ = ["PortInUseError", "ensure_free", "free_port", "free_ports", "is_free", "wait_for_port"]


class PortInUseError(RuntimeError):
    """A port the stack needs is already bound by another process."""

    def __init__(self, port: int, what: str) -> None:
        super().__init__(f"port {port} ({what}) is already in use")
        self.port = port
        self.what = what


def is_free(port: int, host: str = "127.0.0.1") -> bool:
    """True when nothing listens on ``host:port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def ensure_free(port: int, what: str, host: str = "127.0.0.1") -> None:
    """Raise :class:`PortInUseError` naming ``what`` when ``port`` is taken."""
    if not is_free(port, host):
        raise PortInUseError(port, what)


def free_port(host: str = "127.0.0.1") -> int:
    """A port the kernel just handed out as free on ``host``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def free_ports(count: int, host: str = "127.0.0.1") -> list[int]:
    """``count`` distinct ports the kernel just handed out as free on ``host`` (all held open
    until every one is chosen, so that none is handed out twice)."""
    with contextlib.ExitStack() as held:
        ports: list[int] = []
        for _ in range(count):
            sock = held.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            sock.bind((host, 0))
            ports.append(sock.getsockname()[1])
        return ports


def wait_for_port(port: int, *, host: str = "127.0.0.1", timeout: float = 10.0) -> None:
    """Block until ``host:port`` accepts a TCP connection, or raise ``TimeoutError``."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection((host, port), timeout=0.2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"nothing answered on {host}:{port} within {timeout:.0f}s"
                ) from None
            time.sleep(0.02)
