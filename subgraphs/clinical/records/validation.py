"""Pydantic validation turned into one BAD_USER_INPUT error that names every invalid field."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from subgraphs.common.errors import BadUserInput

__all__ = ["camel", "validated"]

M = TypeVar("M", bound=BaseModel)


def camel(name: str) -> str:
    """A Python field name as GraphQL spells it (``heart_rate_bpm`` -> ``heartRateBpm``)."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def validated(model: type[M], data: dict[str, Any], *, what: str) -> M:
    """``data`` as a ``model``; BAD_USER_INPUT listing ``{field, message}`` for each problem."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [
            {
                "field": ".".join(
                    camel(part) if isinstance(part, str) else str(part) for part in error["loc"]
                ),
                "message": error["msg"],
            }
            for error in exc.errors(include_url=False, include_input=False)
        ]
        summary = "; ".join(f"{item['field']}: {item['message']}" for item in problems)
        raise BadUserInput(
            f"The {what} is invalid: {summary}", extensions={"fields": problems}
        ) from exc
