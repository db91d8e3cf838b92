"""Domain errors as gRPC status codes (https://grpc.github.io/grpc/core/md_doc_statuscodes.html)."""

from __future__ import annotations

import grpc

from subgraphs.common.errors import (
    BadUserInput,
    Conflict,
    DomainError,
    Forbidden,
    IdempotencyKeyReused,
    NotFound,
    RateLimited,
    ServiceUnavailable,
    Unauthenticated,
)
from subgraphs.common.events.failures import is_outage

__all__ = ["INTERNAL_MESSAGE", "UNAVAILABLE_MESSAGE", "status_of"]

INTERNAL_MESSAGE = "Internal error."
UNAVAILABLE_MESSAGE = "The service is temporarily unavailable; retry later."

# Most specific first: IdempotencyKeyReused is not a Conflict, but be explicit anyway.
_CODES: tuple[tuple[type[DomainError], grpc.StatusCode], ...] = (
    (BadUserInput, grpc.StatusCode.INVALID_ARGUMENT),
    (NotFound, grpc.StatusCode.NOT_FOUND),
    (Unauthenticated, grpc.StatusCode.UNAUTHENTICATED),
    (Forbidden, grpc.StatusCode.PERMISSION_DENIED),
    (IdempotencyKeyReused, grpc.StatusCode.ALREADY_EXISTS),
    # The state forbids it now (an issued invoice is immutable, a stale version).
    (Conflict, grpc.StatusCode.FAILED_PRECONDITION),
    (RateLimited, grpc.StatusCode.RESOURCE_EXHAUSTED),
    (ServiceUnavailable, grpc.StatusCode.UNAVAILABLE),
)


def status_of(error: BaseException) -> tuple[grpc.StatusCode, str]:
    """The status code and the caller-safe message for ``error`` (never its traceback).

    A domain error keeps its message; an unreachable dependency is UNAVAILABLE (retryable);
    anything else is INTERNAL with a generic message.
    """
    if isinstance(error, DomainError):
        for kind, code in _CODES:
            if isinstance(error, kind):
                return code, error.message
        return grpc.StatusCode.INTERNAL, error.message
    if is_outage(error):
        return grpc.StatusCode.UNAVAILABLE, UNAVAILABLE_MESSAGE
    return grpc.StatusCode.INTERNAL, INTERNAL_MESSAGE
