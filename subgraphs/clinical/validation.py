"""Input cleaning for clinical data: every field checked, every problem reported at once."""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from subgraphs.common.errors import BadUserInput

__all__ = [
    "Cleaner",
    "FieldSpec",
    "camel",
    "choice",
    "clean_fields",
    "country_code",
    "email_address",
    "past_date",
    "person_name",
    "phone_number",
    "plain_text",
    "stated_reason",
    "user_id",
    "validated",
]

M = TypeVar("M", bound=BaseModel)
Cleaner = Callable[[Any], Any]
TextCleaner = Callable[[Any], str | None]

_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_PHONE_PUNCTUATION = re.compile(r"[\s().-]")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_NAME_PUNCTUATION = frozenset(" '-.")
EARLIEST_BIRTH_DATE = date(1900, 1, 1)
MAX_REASON = 1000


def camel(name: str) -> str:
    """``date_of_birth`` -> ``dateOfBirth``: field names as the GraphQL client sent them."""
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _no_control_characters(value: str, *, multiline: bool) -> None:
    allowed = {"\n", "\t"} if multiline else set()
    if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in value):
        raise ValueError("must not contain control characters")


def plain_text(max_length: int, *, multiline: bool = False) -> TextCleaner:
    """Trimmed text of at most ``max_length`` characters; blank means absent."""

    def clean(value: Any) -> str | None:
        if not isinstance(value, str):
            raise ValueError("must be text")  # noqa: TRY004 (ValueError is the cleaners' "bad value" signal)
        text = value.strip()
        if not text:
            return None
        if len(text) > max_length:
            raise ValueError(f"must be at most {max_length} characters")
        _no_control_characters(text, multiline=multiline)
        return text

    return clean


def person_name(max_length: int = 100) -> TextCleaner:
    """A human name: letters of any script, spaces, apostrophes, hyphens and periods."""
    base = plain_text(max_length)

    def clean(value: Any) -> str | None:
        text = base(value)
        if text is None:
            return None
        if not any(ch.isalpha() for ch in text) or any(
            not (ch.isalpha() or ch in _NAME_PUNCTUATION or unicodedata.category(ch) == "Mn")
            for ch in text
        ):
            raise ValueError("must be a name (letters, spaces, apostrophes, hyphens, periods)")
        return " ".join(text.split())

    return clean


def email_address(value: Any) -> str | None:
    """An email address, its domain lower-cased."""
    text = plain_text(254)(value)
    if text is None:
        return None
    local, _, domain = text.rpartition("@")
    if not _EMAIL.match(text) or len(local) > 64:
        raise ValueError("must be a valid email address")
    return f"{local}@{domain.lower()}"


def phone_number(value: Any) -> str | None:
    """A phone number in international E.164 form (``+`` and country code), punctuation removed."""
    text = plain_text(40)(value)
    if text is None:
        return None
    digits = _PHONE_PUNCTUATION.sub("", text)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if not _E164.match(digits):
        raise ValueError("must be an international phone number such as +44 20 7946 0958")
    return digits


def country_code(value: Any) -> str | None:
    """An ISO 3166-1 alpha-2 country code, upper-cased."""
    text = plain_text(2)(value)
    if text is None:
        return None
    if not _COUNTRY.match(text.upper()):
        raise ValueError("must be an ISO 3166-1 alpha-2 country code such as GB")
    return text.upper()


def past_date(value: Any) -> date:
    """A date not in the future and not before 1900 (dates of birth)."""
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValueError("must be a date")  # noqa: TRY004 (ValueError is the cleaners' "bad value" signal)
    if value > datetime.now(UTC).date():
        raise ValueError("must not be in the future")
    if value < EARLIEST_BIRTH_DATE:
        raise ValueError(f"must not be before {EARLIEST_BIRTH_DATE.isoformat()}")
    return value


def choice(enum: type[StrEnum]) -> Cleaner:
    """One value of ``enum`` (stored as its string)."""

    def clean(value: Any) -> str:
        try:
            return str(enum(value).value)
        except ValueError:
            allowed = ", ".join(member.value for member in enum)
            raise ValueError(f"must be one of {allowed}") from None

    return clean


def user_id(value: Any) -> uuid.UUID:
    """The id of an auth ``User``."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ValueError("must be a user id (UUID)") from None


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """How to clean one field, and whether it must have a value."""

    cleaner: Cleaner
    required: bool = False


def clean_fields(
    specs: Mapping[str, FieldSpec], values: Mapping[str, Any], *, creating: bool
) -> dict[str, Any]:
    """Clean ``values`` (snake_case field -> raw value; ``None`` clears an optional field).

    Raises one ``BadUserInput`` naming every bad field in ``extensions.fields`` (camelCase keys).
    When ``creating``, required fields that are absent are errors too.
    """
    unknown = set(values) - set(specs)
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)}")
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, value in values.items():
        spec = specs[name]
        try:
            result = None if value is None else spec.cleaner(value)
        except ValueError as exc:
            errors[camel(name)] = str(exc)
            continue
        if result is None and spec.required:
            errors[camel(name)] = "is required"
            continue
        cleaned[name] = result
    if creating:
        for name, spec in specs.items():
            if spec.required and name not in values:
                errors[camel(name)] = "is required"
    if errors:
        summary = "; ".join(f"{field} {message}" for field, message in errors.items())
        raise BadUserInput(f"Invalid input: {summary}.", extensions={"fields": errors})
    return cleaned


def stated_reason(value: str | None, *, required: bool = False) -> str | None:
    """Why the caller reads or changes something, as the audit trail records it (trimmed).

    BAD_USER_INPUT (``fields.reason``) when longer than :data:`MAX_REASON` characters, or
    missing where ``required``.
    """
    cleaned: str | None = clean_fields(
        {"reason": FieldSpec(plain_text(MAX_REASON, multiline=True), required=required)},
        {"reason": value},
        creating=required,
    ).get("reason")
    return cleaned


def validated(model: type[M], data: dict[str, Any], *, what: str) -> M:
    """``data`` as a pydantic ``model``; one BAD_USER_INPUT naming every invalid field.

    ``extensions.fields`` maps each field's path as the client spells it (``diagnoses.0.code``)
    to its problem, as :func:`clean_fields` does.
    """
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors(include_url=False, include_input=False):
            path = ".".join(camel(p) if isinstance(p, str) else str(p) for p in error["loc"])
            errors[path] = f"{errors[path]}; {error['msg']}" if path in errors else error["msg"]
        summary = "; ".join(f"{field}: {message}" for field, message in errors.items())
        raise BadUserInput(
            f"The {what} is invalid: {summary}", extensions={"fields": errors}
        ) from exc
