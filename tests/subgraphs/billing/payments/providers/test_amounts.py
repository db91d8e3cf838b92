"""Minor units and decimal strings per ISO 4217 exponent."""

from __future__ import annotations

import pytest

from subgraphs.billing.payments.providers.amounts import decimal_string, minor_units


@pytest.mark.parametrize(
    ("minor", "currency", "text"),
    [(1050, "USD", "10.50"), (5, "eur", "0.05"), (500, "JPY", "500"), (1234, "KWD", "1.234")],
)
def test_minor_units_round_trip(minor: int, currency: str, text: str) -> None:
    assert decimal_string(minor, currency) == text
    assert minor_units(text, currency) == minor


@pytest.mark.parametrize(
    ("text", "currency"), [("10.505", "USD"), ("1.5", "JPY"), ("NaN", "USD"), ("ten", "USD")]
)
def test_inexact_amounts_are_refused(text: str, currency: str) -> None:
    with pytest.raises(ValueError, match=r"amount|minor units"):
        minor_units(text, currency)
