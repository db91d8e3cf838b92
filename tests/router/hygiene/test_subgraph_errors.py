"""Subgraph errors lose stack traces (and suggestions) but keep their code, path and details."""

from __future__ import annotations

from router.hygiene import scrub_errors


def test_stack_traces_are_dropped_and_the_rest_kept() -> None:
    error = {
        "message": "boom",
        "path": ["a"],
        "extensions": {
            "code": "INTERNAL_SERVER_ERROR",
            "service": "clinical",
            "retryAfter": 3,
            "exception": {"stacktrace": ["Traceback"]},
            "stacktrace": ["at x"],
            "traceback": "File x.py",
        },
    }
    [scrubbed] = scrub_errors([error])
    assert scrubbed == {
        "message": "boom",
        "path": ["a"],
        "extensions": {"code": "INTERNAL_SERVER_ERROR", "service": "clinical", "retryAfter": 3},
    }
    assert "exception" in error["extensions"]  # the input is not changed


def test_errors_without_extensions_pass() -> None:
    assert scrub_errors([{"message": "x"}]) == [{"message": "x"}]
