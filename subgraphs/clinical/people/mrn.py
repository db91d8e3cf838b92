"""Medical record numbers: a database sequence plus a Luhn check digit that catches typos."""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

__all__ = ["is_mrn", "luhn_check_digit", "next_mrn"]

_MRN = re.compile(r"^\d{8,15}$")


def luhn_check_digit(number: int) -> int:
    """The digit that makes ``number`` followed by it pass the Luhn (mod 10) check."""
    total = 0
    for index, char in enumerate(reversed(str(number))):
        digit = int(char)
        if index % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10


def is_mrn(value: str) -> bool:
    """True when ``value`` is a well-formed MRN with a valid check digit."""
    if not _MRN.match(value):
        return False
    return luhn_check_digit(int(value[:-1])) == int(value[-1])


async def next_mrn(session: AsyncSession) -> str:
    """A new, unique MRN from ``patient_mrn_seq``."""
    connection = await session.connection()
    number = int((await connection.execute(text("SELECT nextval('patient_mrn_seq')"))).scalar_one())
    return f"{number}{luhn_check_digit(number)}"
