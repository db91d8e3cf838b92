"""Logs: JSON in production with request and trace ids, readable lines in development."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from router.telemetry.logs import bind_request_id, configure_logging
from router.telemetry.tracing import tracing
from tests.support.tracing import in_memory_tracing


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    bind_request_id(None)


def test_production_logs_are_json_with_request_and_trace_ids(
    restore_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging(service="clinical", production=True)
    with in_memory_tracing():
        bind_request_id("req-42")
        with tracing.span("work"):
            trace_id = tracing.trace_id()
            logging.getLogger("healthgraph.test").warning("booked %d slots", 3)
    line = capsys.readouterr().err.strip().splitlines()[-1]
    entry = json.loads(line)
    assert entry["level"] == "WARNING"
    assert entry["service"] == "clinical"
    assert entry["logger"] == "healthgraph.test"
    assert entry["message"] == "booked 3 slots"
    assert entry["request_id"] == "req-42"
    assert entry["trace_id"] == trace_id


def test_development_logs_are_lines(
    restore_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging(service="router", production=False)
    bind_request_id("req-7")
    logging.getLogger("router.test").warning("hello")
    line = capsys.readouterr().err.strip().splitlines()[-1]
    assert "WARNING" in line
    assert "router.test [request_id=req-7]: hello" in line
    with pytest.raises(json.JSONDecodeError):
        json.loads(line)


def test_configuring_twice_keeps_one_handler(restore_logging: None) -> None:
    configure_logging(service="router", production=False)
    configure_logging(service="router", production=True)
    ours = [h for h in logging.getLogger().handlers if getattr(h, "healthgraph", False)]
    assert len(ours) == 1


def test_an_access_log_switched_off_stays_off(restore_logging: None) -> None:
    access = logging.getLogger("uvicorn.access")
    handlers, propagate = list(access.handlers), access.propagate
    access.handlers, access.propagate = [], False  # what uvicorn's --no-access-log leaves
    try:
        configure_logging(service="clinical", production=True)
        assert access.propagate is False
        assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING
    finally:
        access.handlers, access.propagate = handlers, propagate


def test_production_logs_keep_an_exceptions_type_and_stack_not_its_message(
    restore_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging(service="clinical", production=True)
    try:
        _fail()
    except ValueError:
        logging.getLogger("healthgraph.test").exception("unexpected error at %s", ["patient"])
    entry = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert entry["message"] == "unexpected error at ['patient']"
    assert entry["exception"]["type"] == "builtins.ValueError"
    assert any("test_logs.py" in frame for frame in entry["exception"]["stack"])
    assert "Zephyrine" not in json.dumps(entry)


def _fail() -> None:
    raise ValueError("invalid input for query argument $1: 'Zephyrine Quillfeather'")
