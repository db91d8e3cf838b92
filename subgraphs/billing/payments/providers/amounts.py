"""Money at the providers' edge: integer minor units <-> decimal strings, per ISO 4217 exponent."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

__all__ = ["decimal_string", "minor_exponent", "minor_units"]

# ISO 4217 currencies whose minor unit is not a hundredth.
_EXPONENTS = {
    **dict.fromkeys(
        ("BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI",
         "VND", "VUV", "XAF", "XOF", "XPF"),
        0,
    ),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
}  # fmt: skip


def minor_exponent(currency: str) -> int:
    """Digits after the decimal point in ``currency`` (2 unless ISO 4217 says otherwise)."""
    return _EXPONENTS.get(currency.upper(), 2)


def decimal_string(amount_minor: int, currency: str) -> str:
    """``1050, "USD"`` -> ``"10.50"``; ``500, "JPY"`` -> ``"500"`` (PayPal's ``value``)."""
    exponent = minor_exponent(currency)
    return str(Decimal(amount_minor).scaleb(-exponent).quantize(Decimal(1).scaleb(-exponent)))


def minor_units(value: str, currency: str) -> int:
    """``"10.50", "USD"`` -> ``1050``; ValueError for anything but an exact, finite amount."""
    try:
        amount = Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {value!r}") from exc
    scaled = amount.scaleb(minor_exponent(currency))
    if not amount.is_finite() or scaled != scaled.to_integral_value():
        raise ValueError(f"{value!r} is not a whole number of {currency} minor units")
    return int(scaled)
