"""Tracing is off unless the standard OTEL_* environment asks for it."""

from __future__ import annotations

import pytest

from router.telemetry.tracing import configure_tracing, tracing


@pytest.fixture(autouse=True)
def _tracing_off() -> object:
    assert not tracing.enabled
    yield None
    tracing.disable()


@pytest.mark.parametrize(
    "environ",
    [
        {},
        {"OTEL_TRACES_EXPORTER": "none"},
        {"OTEL_SERVICE_NAME": "router"},
        {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_SDK_DISABLED": "true"},
    ],
)
def test_off_unless_an_exporter_is_named(environ: dict[str, str]) -> None:
    assert configure_tracing("router", environ) is False
    assert tracing.tracer is None
    assert tracing.traceparent() is None
    with tracing.span("nothing") as span:
        assert span is None


@pytest.mark.parametrize(
    "environ",
    [
        {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"},
        {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:4318/v1/traces"},
        {"OTEL_TRACES_EXPORTER": "otlp"},
        {"OTEL_TRACES_EXPORTER": "console"},
    ],
)
def test_on_when_an_exporter_or_endpoint_is_configured(environ: dict[str, str]) -> None:
    assert configure_tracing("router", environ) is True
    assert tracing.provider is not None


def test_spans_carry_a_w3c_traceparent() -> None:
    configure_tracing("router", {"OTEL_TRACES_EXPORTER": "console"})
    with tracing.span("work") as span:
        assert span is not None
        traceparent = tracing.traceparent()
        assert traceparent is not None
        assert traceparent.startswith("00-")
        assert tracing.trace_id() == traceparent.split("-")[1]


def test_an_unknown_exporter_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="OTEL_TRACES_EXPORTER"):
        configure_tracing("router", {"OTEL_TRACES_EXPORTER": "jaeger"})


def test_the_service_name_is_overridden_by_otel_service_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OTEL_SERVICE_NAME", "edge-router")
    configure_tracing("router", {"OTEL_TRACES_EXPORTER": "console"})
    assert tracing.provider is not None
    assert tracing.provider.resource.attributes["service.name"] == "edge-router"
