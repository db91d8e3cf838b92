"""Money in minor units of ISO 4217 currencies: exact, never rounded silently."""

from __future__ import annotations

from decimal import Decimal

import pytest

from subgraphs.billing.money import Money, from_minor, tax_of, to_minor
from subgraphs.common.errors import BadUserInput


def test_minor_units_follow_each_currencys_exponent() -> None:
    assert to_minor("65.00", "GBP") == 6500
    assert to_minor("1500", "JPY") == 1500
    assert to_minor("1.234", "BHD") == 1234
    assert from_minor(6500, "GBP") == Decimal("65.00")
    assert from_minor(1500, "JPY") == Decimal(1500)
    assert str(Money(123, "EUR")) == "1.23 EUR"


@pytest.mark.parametrize(
    ("amount", "currency"),
    [
        ("0.001", "GBP"),
        ("1.5", "JPY"),
        ("NaN", "GBP"),
        ("Infinity", "USD"),
        ("1", "ABC"),
        ("x", "GBP"),
    ],
)
def test_bad_amounts_are_refused(amount: str, currency: str) -> None:
    with pytest.raises(BadUserInput):
        to_minor(amount, currency)


def test_tax_rounds_half_up_to_a_minor_unit() -> None:
    assert tax_of(8000, 2000) == 1600
    assert tax_of(5, 1000) == 1  # 0.5 -> 1
    assert tax_of(4, 1000) == 0
