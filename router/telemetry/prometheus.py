"""Prometheus exposition (https://prometheus.io/docs/instrumenting/exposition_formats/) and bounded labels.

With ``PROMETHEUS_MULTIPROC_DIR`` set (the router's ``--workers N`` sets it for its workers),
``/metrics`` sums every process's counters and histograms, and live gauges across live processes.
"""

from __future__ import annotations

import os
import re
import threading

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest

__all__ = [
    "CONTENT_TYPE",
    "OTHER",
    "BoundedLabel",
    "forget_worker_metrics",
    "metrics_response_body",
]

CONTENT_TYPE = CONTENT_TYPE_LATEST
OTHER = "other"
# a GraphQL name (spec 2.1.9), short enough to be a label value
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,99}")


class BoundedLabel:
    """Label values from a client-chosen set (operation names), at most ``limit`` distinct ones.

    Names past the limit, and anything that is not a GraphQL name, become ``"other"``; a
    missing name is ``"anonymous"``. The set never shrinks, so a series never changes meaning.
    """

    def __init__(self, limit: int = 200) -> None:
        self.limit = limit
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def __call__(self, value: object) -> str:
        if value is None or value == "":
            return "anonymous"
        if not isinstance(value, str):
            return OTHER
        if value in self._seen:
            return value
        if not _NAME.fullmatch(value):
            return OTHER
        with self._lock:
            if len(self._seen) >= self.limit:
                return OTHER
            self._seen.add(value)
        return value


def metrics_response_body(registry: CollectorRegistry | None = None) -> bytes:
    """This process's metrics, or every worker's in multiprocess mode, in the text format."""
    if registry is None and os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return generate_latest(registry or REGISTRY)


def forget_worker_metrics(pid: int) -> None:
    """A dead worker's live gauges leave the sums (its counters and histograms stay counted)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]
