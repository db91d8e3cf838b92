"""Payment webhook outcomes are counted by provider and outcome, providers bounded."""

from __future__ import annotations

from prometheus_client import REGISTRY

from subgraphs.billing.payments.metrics import record_webhook

NAME = "healthgraph_billing_payment_webhooks_total"


def _count(provider: str, outcome: str) -> float:
    return REGISTRY.get_sample_value(NAME, {"provider": provider, "outcome": outcome}) or 0.0


def test_outcomes_are_counted_and_unknown_providers_are_other() -> None:
    before = (_count("stripe", "accepted"), _count("other", "rejected"))
    record_webhook("stripe", "accepted")
    record_webhook("evil-provider-123", "rejected")
    assert (_count("stripe", "accepted"), _count("other", "rejected")) == (
        before[0] + 1,
        before[1] + 1,
    )
