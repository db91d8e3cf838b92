"""Domain errors and their stable GraphQL ``extensions.code`` values."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, ClassVar

__all__ = [
    "BadUserInput",
    "Conflict",
    "DomainError",
    "ErrorCode",
    "Forbidden",
    "IdempotencyKeyReused",
    "NotFound",
    "RateLimited",
    "ServiceUnavailable",
    "Unauthenticated",
]


class ErrorCode(StrEnum):
    """The ``extensions.code`` values clients may rely on."""

    BAD_USER_INPUT = "BAD_USER_INPUT"
    NOT_FOUND = "NOT_FOUND"
    FORBIDDEN = "FORBIDDEN"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    CONFLICT = "CONFLICT"
    RATE_LIMITED = "RATE_LIMITED"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    # Subscriptions (live feeds with replay positions)
    POSITION_TOO_OLD = "POSITION_TOO_OLD"  # ``since`` is older than the replay window
    SUBSCRIPTION_LAGGED = "SUBSCRIPTION_LAGGED"  # the subscriber read too slowly and was dropped
    LIVE_FEED_UNAVAILABLE = "LIVE_FEED_UNAVAILABLE"  # this process is not following the broker
    # Retryable: the database was too busy (no free connection, a timeout, repeated deadlocks)
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    # An idempotency key sent again with a different request
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    # Operation limits (router.limits, the same codes as the router's): refused before it runs
    MAX_DEPTH_EXCEEDED = "MAX_DEPTH_EXCEEDED"
    MAX_ALIASES_EXCEEDED = "MAX_ALIASES_EXCEEDED"
    MAX_TOKENS_EXCEEDED = "MAX_TOKENS_EXCEEDED"
    MAX_ROOT_FIELDS_EXCEEDED = "MAX_ROOT_FIELDS_EXCEEDED"
    MAX_DIRECTIVES_EXCEEDED = "MAX_DIRECTIVES_EXCEEDED"
    MAX_SELECTIONS_EXCEEDED = "MAX_SELECTIONS_EXCEEDED"  # too big once fragments are expanded
    MAX_FIELD_DIRECTIVES_EXCEEDED = "MAX_FIELD_DIRECTIVES_EXCEEDED"
    # graphql-core gave up validating (too many validation errors)
    OPERATION_TOO_COMPLEX = "OPERATION_TOO_COMPLEX"
    OPERATION_TIMEOUT = "OPERATION_TIMEOUT"  # the operation ran past its time budget


class DomainError(Exception):
    """An error whose message is safe to show to the caller."""

    code: ClassVar[ErrorCode] = ErrorCode.INTERNAL_SERVER_ERROR
    http_status: ClassVar[int] = 500

    def __init__(self, message: str, *, extensions: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extensions: dict[str, Any] = dict(extensions or {})

    def as_extensions(self) -> dict[str, Any]:
        return {**self.extensions, "code": self.code.value}


class BadUserInput(DomainError):
    """The request is well-formed GraphQL but its values break a rule."""

    code = ErrorCode.BAD_USER_INPUT
    http_status = 400


class NotFound(DomainError):
    """The thing asked for does not exist, or the caller may not know it exists."""

    code = ErrorCode.NOT_FOUND
    http_status = 404


class Forbidden(DomainError):
    """The caller is known but not allowed to do this."""

    code = ErrorCode.FORBIDDEN
    http_status = 403


class Unauthenticated(DomainError):
    """No valid credentials were presented."""

    code = ErrorCode.UNAUTHENTICATED
    http_status = 401


class Conflict(DomainError):
    """The change collides with the current state (double booking, stale version, duplicate)."""

    code = ErrorCode.CONFLICT
    http_status = 409


class RateLimited(DomainError):
    """Too many attempts; ``retry_after`` seconds until the next one may succeed."""

    code = ErrorCode.RATE_LIMITED
    http_status = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, extensions={"retryAfter": retry_after})
        self.retry_after = retry_after


class ServiceUnavailable(DomainError):
    """Too busy to answer now, nothing was changed: retry after ``retryAfter`` seconds."""

    code = ErrorCode.SERVICE_UNAVAILABLE
    http_status = 503

    def __init__(self, message: str, *, retry_after: float = 1.0) -> None:
        super().__init__(message, extensions={"retryable": True, "retryAfter": retry_after})
        self.retry_after = retry_after


class IdempotencyKeyReused(DomainError):
    """The idempotency key was already used by this caller for a different request."""

    code = ErrorCode.IDEMPOTENCY_KEY_REUSED
    http_status = 422
