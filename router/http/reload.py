"""Supergraph hot reload: poll the supergraph file and swap in a new service when it changes."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

__all__ = ["SupergraphReloader"]

logger = logging.getLogger("router.reload")

T = TypeVar("T")

_Fingerprint = tuple[int, int, int, int]


def _fingerprint(path: Path) -> _Fingerprint | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino)


class SupergraphReloader(Generic[T]):
    """Watches one file; on a change, `build`s from its text (in a worker thread) and `apply`s it.

    `build` raises (any exception) to refuse a new file: the error is logged and whatever was
    applied last keeps serving until the file changes again. Identical content is not rebuilt.
    """

    def __init__(
        self,
        path: Path,
        *,
        build: Callable[[str], T],
        apply: Callable[[T], None],
        interval: float = 1.0,
    ) -> None:
        self.path = path
        self.interval = interval
        self._build = build
        self._apply = apply
        self._seen = _fingerprint(path)
        self._digest = self._read_digest()
        self.reloads = 0
        self.failures = 0

    def _read_digest(self) -> str | None:
        try:
            return hashlib.sha256(self.path.read_bytes()).hexdigest()
        except OSError:
            return None

    def _decode_and_build(self, raw: bytes) -> T:
        return self._build(raw.decode("utf-8"))

    async def run(self) -> None:
        """Check every `interval` seconds until cancelled."""
        while True:
            await asyncio.sleep(self.interval)
            await self.check()

    async def check(self) -> bool:
        """One look at the file; True when a new supergraph was applied."""
        raw = await self._changed_content()
        if raw is None:
            return False
        digest = hashlib.sha256(raw).hexdigest()
        if digest == self._digest:
            return False
        self._digest = digest
        try:
            built = await asyncio.to_thread(self._decode_and_build, raw)
        except Exception as error:  # noqa: BLE001 - any refusal keeps the old supergraph serving
            self.failures += 1
            logger.error(  # noqa: TRY400 - the message is the diagnosis; no traceback wanted
                "supergraph reload from %s refused, still serving the previous supergraph: %s",
                self.path,
                error,
            )
            return False
        self._apply(built)
        self.reloads += 1
        logger.warning("supergraph reloaded from %s (sha256 %s)", self.path, digest[:12])
        return True

    async def _changed_content(self) -> bytes | None:
        """The file's bytes when its stat changed and it stood still while being read."""
        seen = _fingerprint(self.path)
        if seen is None:
            if self._seen is not None:
                logger.warning(
                    "supergraph file %s is gone; still serving the previous supergraph",
                    self.path,
                )
            self._seen = None
            return None
        if seen == self._seen:
            return None
        try:
            raw = await asyncio.to_thread(self.path.read_bytes)
        except OSError as error:
            self._seen = seen  # retried when the file (or its permissions) change again
            logger.warning("cannot read the supergraph file %s: %s", self.path, error.strerror)
            return None
        if _fingerprint(self.path) != seen:
            return None  # still being written: look again at the next tick
        self._seen = seen
        return raw
