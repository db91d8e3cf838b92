"""Payment webhook outcomes for Prometheus (https://prometheus.io/docs/practices/naming/).

The webhook endpoints (``POST /webhooks/<provider>``, :mod:`.webhooks`) call
:func:`record_webhook` once per answer. Both labels are closed sets, so the series stay few.
"""

from __future__ import annotations

from typing import Literal

from prometheus_client import Counter

__all__ = ["PAYMENT_WEBHOOKS", "WebhookOutcome", "record_webhook"]

# accepted: verified and applied (or a verified duplicate); rejected: forged, stale, malformed or
# too large (400/413); unavailable: could not be processed now, the provider retries (503)
WebhookOutcome = Literal["accepted", "rejected", "unavailable"]
_PROVIDERS = frozenset({"stripe", "paypal"})

PAYMENT_WEBHOOKS = Counter(
    "healthgraph_billing_payment_webhooks",
    "Payment provider webhooks received, by provider and outcome (accepted, rejected, unavailable).",
    ["provider", "outcome"],
)


def record_webhook(provider: str, outcome: WebhookOutcome) -> None:
    """Count one webhook answer; an unknown provider is counted as ``other``."""
    PAYMENT_WEBHOOKS.labels(provider if provider in _PROVIDERS else "other", outcome).inc()
