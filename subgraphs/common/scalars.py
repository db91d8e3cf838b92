"""``Date`` and ``DateTime`` inputs limited to the years code can compute with (ISO 8601).

Python's dates end at years 1 and 9999: a year-0001 ``DateTime`` with a positive offset
overflows when converted to UTC, and a day before 0001-01-01 cannot be computed. Every
subgraph's schema parses these scalars with the range below (BAD_USER_INPUT outside it);
their names, descriptions and output are Strawberry's, so the SDL does not change.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.schema.types.base_scalars import DateDefinition, DateTimeDefinition
from strawberry.types.scalar import ScalarDefinition

from subgraphs.common.errors import ErrorCode

__all__ = ["EARLIEST_DATE", "LATEST_DATE", "SCALAR_OVERRIDES"]

EARLIEST_DATE = date(1000, 1, 1)
LATEST_DATE = date(9998, 12, 31)


def _out_of_range(kind: str, value: object) -> StrawberryInputCoercionError:
    return StrawberryInputCoercionError(
        f'Value cannot represent a {kind}: "{value}". It must be between '
        f"{EARLIEST_DATE.isoformat()} and {LATEST_DATE.isoformat()}.",
        extensions={"code": ErrorCode.BAD_USER_INPUT.value},
    )


def _in_range(day: date) -> bool:
    return EARLIEST_DATE <= day <= LATEST_DATE


def _parse_date(value: object) -> date:
    parsed = DateDefinition.parse_value(value)  # type: ignore[misc]
    if not isinstance(parsed, date) or not _in_range(parsed):
        raise _out_of_range("Date", value)
    return parsed


def _parse_datetime(value: object) -> datetime:
    parsed = DateTimeDefinition.parse_value(value)  # type: ignore[misc]
    if not isinstance(parsed, datetime) or not _in_range(parsed.date()):
        raise _out_of_range("DateTime", value)
    return parsed


SCALAR_OVERRIDES: dict[object, ScalarDefinition] = {
    date: dataclasses.replace(DateDefinition, parse_value=_parse_date),
    datetime: dataclasses.replace(DateTimeDefinition, parse_value=_parse_datetime),
}
