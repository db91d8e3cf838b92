"""``make fuzz``: a longer differential run (env FUZZ_SEED, FUZZ_COUNT, FUZZ_SUPERGRAPHS)."""

from __future__ import annotations

import os
import sys
import time

from tests.router.fuzz.harness import fuzz_supergraph, supergraphs


def main() -> int:
    seed = int(os.environ.get("FUZZ_SEED", "1"))
    count = int(os.environ.get("FUZZ_COUNT", "2000"))
    wanted = {n for n in os.environ.get("FUZZ_SUPERGRAPHS", "").split(",") if n}
    failed = False
    for name, sdl in supergraphs().items():
        if wanted and name not in wanted:
            continue
        started = time.monotonic()
        report = fuzz_supergraph(name, sdl, seed=seed, count=count)
        print(
            f"{name}: {report.operations} operations, {len(report.differences)} differences "
            f"{report.counts()}, {len(report.known)} known, "
            f"{report.subgraph_requests} subgraph requests, {time.monotonic() - started:.1f} s",
            flush=True,
        )
        for difference in report.differences:
            print(difference.summary(), flush=True)
        failed = failed or bool(report.differences)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
