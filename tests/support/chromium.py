"""Headless Chromium driven over the DevTools protocol (https://chromedevtools.github.io/devtools-protocol/)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import shutil
import signal
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import orjson
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

__all__ = ["Browser", "find_chromium", "launch"]

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--remote-debugging-port=0",
)


def find_chromium() -> str | None:
    """The Chromium (or Chrome) executable on PATH, if any."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


class Browser:
    """One page of a running Chromium: send commands, evaluate JavaScript, collect events."""

    def __init__(self, socket: ClientConnection) -> None:
        self._socket = socket
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.events: list[dict[str, Any]] = []
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for raw in self._socket:
                message = orjson.loads(raw)
                future = self._pending.pop(message.get("id", -1), None)
                if future is None:
                    self.events.append(message)
                elif not future.done():
                    future.set_result(message)
        finally:
            for future in self._pending.values():
                if not future.done():
                    future.set_exception(RuntimeError("the DevTools connection closed"))

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        """Run one protocol command; raises on a protocol error."""
        ident = next(self._ids)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[ident] = future
        command = {"id": ident, "method": method, "params": params}
        await self._socket.send(orjson.dumps(command).decode())  # DevTools takes text frames only
        message = await asyncio.wait_for(future, timeout=30)
        if "error" in message:
            raise RuntimeError(f"{method} failed: {message['error']}")
        result: dict[str, Any] = message["result"]
        return result

    async def evaluate(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression (awaited when it is a promise)."""
        result = await self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression!r} threw: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def wait_for(self, expression: str, seconds: float = 20.0) -> Any:
        """Poll a JavaScript expression until it is truthy; returns its value."""
        deadline = asyncio.get_running_loop().time() + seconds
        while True:
            value = await self.evaluate(expression)
            if value:
                return value
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"timed out waiting for {expression!r}")
            await asyncio.sleep(0.1)

    async def click(self, selector: str) -> None:
        """A real mouse click in the middle of the element matching `selector`."""
        box = await self.wait_for(
            f"(() => {{ const e = document.querySelector({orjson.dumps(selector).decode()});"
            " if (!e) return null; const r = e.getBoundingClientRect();"
            " return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            await self.send(
                "Input.dispatchMouseEvent",
                type=kind,
                x=box["x"],
                y=box["y"],
                button="left",
                clickCount=1,
            )

    def named(self, method: str) -> list[dict[str, Any]]:
        """The parameters of every event received with this method name."""
        return [event["params"] for event in self.events if event.get("method") == method]

    async def close(self) -> None:
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
            await self._reader
        await self._socket.close()


async def _debugging_port(profile: Path, process: asyncio.subprocess.Process) -> int:
    marker = profile / "DevToolsActivePort"
    for _ in range(600):
        if marker.exists():
            first = marker.read_text(encoding="utf-8").split("\n", 1)[0].strip()
            if first.isdigit():
                return int(first)
        if process.returncode is not None:
            break
        await asyncio.sleep(0.05)
    raise RuntimeError("Chromium did not open its DevTools port")


async def _stop_group(process: asyncio.subprocess.Process) -> None:
    """Stop Chromium and every helper in its process group before its profile is deleted.

    Helpers (zygote, renderers, crash handler) outlive the browser process for a moment and keep
    writing into the profile; removing it under them fails with "Directory not empty".
    """
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(process.wait(), timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # whatever helpers are left
    await process.wait()
    deadline = asyncio.get_running_loop().time() + 10
    while True:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return  # the whole group is gone
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("Chromium's process group did not exit")
        await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def launch(executable: str) -> AsyncIterator[Browser]:
    """Start headless Chromium with a fresh profile; yields its first page."""
    with tempfile.TemporaryDirectory(prefix="healthgraph-chromium-") as profile:
        log = Path(profile) / "chromium.log"
        with log.open("wb") as output:
            process = await asyncio.create_subprocess_exec(
                executable,
                *FLAGS,
                f"--user-data-dir={profile}",
                "about:blank",
                stdout=output,
                stderr=output,
                start_new_session=True,  # its helpers share the group, so stop() reaches them all
            )
        try:
            port = await _debugging_port(Path(profile), process)
            async with httpx.AsyncClient() as http:
                targets = (await http.get(f"http://127.0.0.1:{port}/json/list")).json()
            page = next(t for t in targets if t["type"] == "page")
            async with connect(page["webSocketDebuggerUrl"], max_size=None) as socket:
                browser = Browser(socket)
                try:
                    yield browser
                finally:
                    await browser.close()
        finally:
            await _stop_group(process)
