"""Composition speed: healthgraph vs @apollo/composition on the synthetic fixtures.

Run: ``python -m tests.benchmarks.bench_composition [--repeat N]`` (Apollo column needs Node).
Both sides are timed in-process, parsing included, process start-up excluded.
"""

from __future__ import annotations

import argparse
import time

from router.composition import compose
from tests.node_peer import NodeUnavailableError, ensure_node_modules, run_node_script
from tests.router.composition.cases import all_cases


def main() -> None:
    """Print per-fixture and total mean composition times and the ratio to Apollo."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    repeat = parser.parse_args().repeat
    try:
        ensure_node_modules()
        apollo = True
    except NodeUnavailableError as exc:
        print(f"Apollo column skipped: {exc}")
        apollo = False
    cases = [c for c in all_cases() if not c.error_codes]
    ours_total = theirs_total = 0.0
    print(f"{'fixture':40} {'ours ms':>9} {'apollo ms':>10} {'ratio':>7}")
    for case in cases:
        started = time.perf_counter()
        for _ in range(repeat):
            compose(case.subgraphs)
        ours = (time.perf_counter() - started) * 1000 / repeat
        theirs = 0.0
        if apollo:
            payload = {
                "subgraphs": [{"name": s.name, "url": s.url, "sdl": s.sdl} for s in case.subgraphs],
                "repeat": repeat,
            }
            theirs = float(run_node_script("compose.cjs", payload)["elapsed_ms"])
        ours_total += ours
        theirs_total += theirs
        ratio = f"{ours / theirs:7.2f}" if theirs else "      -"
        print(f"{case.name:40} {ours:9.2f} {theirs:10.2f} {ratio}")
    ratio = f"{ours_total / theirs_total:7.2f}" if theirs_total else "      -"
    print(f"{'total':40} {ours_total:9.2f} {theirs_total:10.2f} {ratio}")


if __name__ == "__main__":
    main()
