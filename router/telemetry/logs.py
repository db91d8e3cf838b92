"""Process logging: one JSON object per line in production, readable lines in development.

Every record carries the request id (:func:`bind_request_id`, set per request) and the current
trace id (when tracing is on), so a log line leads to its trace and back.
"""

from __future__ import annotations

import contextvars
import logging
import sys
import traceback
from datetime import UTC, datetime
from typing import Any

import orjson

from router.telemetry.tracing import tracing

__all__ = ["JsonFormatter", "bind_request_id", "configure_logging", "request_id"]

_REQUEST_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "healthgraph_request_id", default=None
)
# uvicorn's own loggers: they get our handler instead of their own
_SERVER_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")
# libraries whose INFO lines are routine (group rebalances) or name URLs (httpx requests)
_CHATTY = ("aiokafka", "httpx", "httpcore")


def bind_request_id(value: str | None) -> contextvars.Token[str | None]:
    """Name the request this task serves (its log lines carry it); reset with the token."""
    return _REQUEST_ID.set(value)


def request_id() -> str | None:
    return _REQUEST_ID.get()


class _ContextFilter(logging.Filter):
    """Adds ``request_id`` and ``trace_id`` to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _REQUEST_ID.get()
        record.trace_id = tracing.trace_id() if tracing.enabled else None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, ids, exception type and stack."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "service": self.service,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("request_id", "trace_id"):
            value = getattr(record, key, None)
            if value:
                entry[key] = value
        if record.exc_info and record.exc_info[1] is not None:
            entry["exception"] = _exception_without_message(record.exc_info[1])
        return orjson.dumps(entry).decode()


def _exception_without_message(error: BaseException) -> dict[str, Any]:
    """An exception's type and where it was raised, never its message: driver and validation
    messages quote the values involved, which may be patient data."""
    frames = traceback.extract_tb(error.__traceback__)
    return {
        "type": f"{type(error).__module__}.{type(error).__qualname__}",
        "stack": [f"{frame.filename}:{frame.lineno} in {frame.name}" for frame in frames[-20:]],
    }


class _HumanFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s%(ids)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        ids = [
            f"{key}={value}"
            for key in ("request_id", "trace_id")
            if (value := getattr(record, key, None))
        ]
        record.ids = f" [{' '.join(ids)}]" if ids else ""
        return super().format(record)


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is now (test runners swap it)."""

    healthgraph = True

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _: Any) -> None:
        pass


def configure_logging(*, service: str, production: bool, level: str | int = "INFO") -> None:
    """Send every logger (uvicorn's too) to stderr, as JSON in production."""
    handler = _StderrHandler()
    handler.setFormatter(JsonFormatter(service) if production else _HumanFormatter())
    handler.addFilter(_ContextFilter())
    root = logging.getLogger()
    for existing in list(root.handlers):
        if getattr(existing, "healthgraph", False):
            root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level.upper() if isinstance(level, str) else level)
    for name in _SERVER_LOGGERS:
        server_logger = logging.getLogger(name)
        if server_logger.handlers:  # uvicorn's own; an access log switched off has none
            server_logger.handlers.clear()
            server_logger.propagate = True
    for name in _CHATTY:
        logging.getLogger(name).setLevel(logging.WARNING)
