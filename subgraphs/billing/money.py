"""Money as integer minor units of an ISO 4217 currency: never a float (ISO 4217 minor-unit table).

Amounts cross the API as decimal strings (``"65.00"``) and are stored as integers of the
currency's minor unit (pence, cents; yen have none). A value with more decimals than the
currency has is refused rather than rounded.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from subgraphs.common.errors import BadUserInput

__all__ = [
    "CURRENCY_EXPONENTS",
    "Money",
    "check_currency",
    "from_minor",
    "tax_of",
    "to_minor",
]

# ISO 4217 active codes and their minor-unit exponents (the list hospitals bill in; 2 unless noted).
_TWO = [
    "AED",
    "AFN",
    "ALL",
    "AMD",
    "ANG",
    "AOA",
    "ARS",
    "AUD",
    "AWG",
    "AZN",
    "BAM",
    "BBD",
    "BDT",
    "BGN",
    "BMD",
    "BND",
    "BOB",
    "BRL",
    "BSD",
    "BTN",
    "BWP",
    "BYN",
    "BZD",
    "CAD",
    "CDF",
    "CHF",
    "CNY",
    "COP",
    "CRC",
    "CUP",
    "CZK",
    "DKK",
    "DOP",
    "DZD",
    "EGP",
    "ERN",
    "ETB",
    "EUR",
    "FJD",
    "FKP",
    "GBP",
    "GEL",
    "GHS",
    "GIP",
    "GMD",
    "GTQ",
    "GYD",
    "HKD",
    "HNL",
    "HTG",
    "HUF",
    "IDR",
    "ILS",
    "INR",
    "IRR",
    "JMD",
    "KES",
    "KGS",
    "KHR",
    "KPW",
    "KYD",
    "KZT",
    "LAK",
    "LBP",
    "LKR",
    "LRD",
    "LSL",
    "MAD",
    "MDL",
    "MGA",
    "MKD",
    "MMK",
    "MNT",
    "MOP",
    "MRU",
    "MUR",
    "MVR",
    "MWK",
    "MXN",
    "MYR",
    "MZN",
    "NAD",
    "NGN",
    "NIO",
    "NOK",
    "NPR",
    "NZD",
    "PAB",
    "PEN",
    "PGK",
    "PHP",
    "PKR",
    "PLN",
    "QAR",
    "RON",
    "RSD",
    "RUB",
    "SAR",
    "SBD",
    "SCR",
    "SDG",
    "SEK",
    "SGD",
    "SHP",
    "SLE",
    "SOS",
    "SRD",
    "SSP",
    "STN",
    "SYP",
    "SZL",
    "THB",
    "TJS",
    "TMT",
    "TOP",
    "TRY",
    "TTD",
    "TWD",
    "TZS",
    "UAH",
    "USD",
    "UYU",
    "UZS",
    "VES",
    "WST",
    "XCD",
    "YER",
    "ZAR",
    "ZMW",
    "ZWL",
]
CURRENCY_EXPONENTS: dict[str, int] = {
    **dict.fromkeys(_TWO, 2),
    **dict.fromkeys(
        [
            "BIF",
            "CLP",
            "DJF",
            "GNF",
            "ISK",
            "JPY",
            "KMF",
            "KRW",
            "PYG",
            "RWF",
            "UGX",
            "VND",
            "VUV",
            "XAF",
            "XOF",
            "XPF",
        ],
        0,
    ),
    **dict.fromkeys(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"], 3),
}
MAX_MINOR = 10**15  # far above any invoice, far below BIGINT


def check_currency(code: str) -> str:
    """``code`` when it is an ISO 4217 currency we know; BAD_USER_INPUT otherwise."""
    if code not in CURRENCY_EXPONENTS:
        raise BadUserInput(
            f"{code!r} is not an ISO 4217 currency code.", extensions={"field": "currency"}
        )
    return code


def to_minor(amount: Decimal | str | int, currency: str, *, field: str = "amount") -> int:
    """``amount`` (major units, e.g. ``"12.50"``) as an integer of ``currency``'s minor unit."""
    exponent = CURRENCY_EXPONENTS[check_currency(currency)]
    try:
        value = Decimal(amount) if not isinstance(amount, Decimal) else amount
    except InvalidOperation:
        raise BadUserInput(f"{field} is not a number.", extensions={"field": field}) from None
    if not value.is_finite():
        raise BadUserInput(f"{field} must be a finite amount.", extensions={"field": field})
    scaled = value.scaleb(exponent)
    if scaled != scaled.to_integral_value():
        raise BadUserInput(
            f"{field} has more decimals than {currency} allows ({exponent}).",
            extensions={"field": field},
        )
    minor = int(scaled)
    if abs(minor) > MAX_MINOR:
        raise BadUserInput(f"{field} is too large.", extensions={"field": field})
    return minor


def from_minor(minor: int, currency: str) -> Decimal:
    """``minor`` units of ``currency`` as an exact decimal in major units (``6500`` -> ``65.00``)."""
    exponent = CURRENCY_EXPONENTS[currency]
    return Decimal(minor).scaleb(-exponent).quantize(Decimal(1).scaleb(-exponent))


def tax_of(net_minor: int, rate_bp: int) -> int:
    """The tax on ``net_minor`` at ``rate_bp`` basis points, rounded half up to a minor unit."""
    return int((Decimal(net_minor) * rate_bp / 10_000).to_integral_value(ROUND_HALF_UP))


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in minor units of an ISO 4217 currency."""

    minor: int
    currency: str

    @property
    def amount(self) -> Decimal:
        return from_minor(self.minor, self.currency)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
