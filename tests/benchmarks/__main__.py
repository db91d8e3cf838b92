"""``python -m tests.benchmarks [names...]``: run every ``bench_*.py`` module here, or the named ones.

Each module exposes ``main()`` (sync or async) that prints its figures. Names may be given with
or without the ``bench_`` prefix (``outbox`` or ``bench_outbox``).
"""

from __future__ import annotations

import importlib
import inspect
import sys
import time
import traceback
from pathlib import Path

import uvloop

__all__ = ["available", "run"]

PREFIX = "bench_"


def available() -> list[str]:
    """The benchmark names found next to this file, sorted."""
    here = Path(__file__).resolve().parent
    return sorted(path.stem.removeprefix(PREFIX) for path in here.glob(f"{PREFIX}*.py"))


def run(name: str) -> None:
    """Import ``bench_<name>`` and run its ``main()``, awaiting it when it is a coroutine."""
    module = importlib.import_module(f"{__package__}.{PREFIX}{name}")
    result = module.main()
    if inspect.isawaitable(result):

        async def wait() -> None:
            await result

        # the loop our servers run on (uvicorn's uvloop), so that load generators and clients
        # in this process cost as little as they can beside what they measure
        uvloop.run(wait())


def main(argv: list[str]) -> int:
    names = [arg.removeprefix(PREFIX).removesuffix(".py") for arg in argv] or available()
    unknown = sorted(set(names) - set(available()))
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available())}")
        return 2
    failed: list[str] = []
    for name in names:
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        try:
            run(name)
        except Exception:  # noqa: BLE001 (one broken benchmark must not hide the others' figures)
            traceback.print_exc()
            failed.append(name)
        print(f"== {name} done in {time.perf_counter() - started:.1f}s\n", flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
