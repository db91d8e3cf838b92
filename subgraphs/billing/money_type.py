"""The GraphQL ``Money`` type: an exact decimal amount (a string, never a float) and its currency."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from subgraphs.billing.money import from_minor

__all__ = ["MoneyType", "money"]


@strawberry.type(name="Money", description="An amount of an ISO 4217 currency.")
class MoneyType:
    amount: Decimal = strawberry.field(description='Major units, exact ("65.00").')
    currency: str = strawberry.field(description="ISO 4217 code.")
    minor_units: str = strawberry.field(
        description="The amount in the currency's minor unit, as a string (64-bit safe)."
    )


def money(minor: int, currency: str) -> MoneyType:
    """``minor`` units of ``currency`` as a :class:`MoneyType`."""
    return MoneyType(amount=from_minor(minor, currency), currency=currency, minor_units=str(minor))
