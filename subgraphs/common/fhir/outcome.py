"""Every FHIR error as an OperationOutcome with its HTTP status (FHIR R4 http.html#Status-Codes)."""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from fastapi.responses import JSONResponse
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.resource import Resource

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

__all__ = [
    "FHIR_JSON",
    "FhirError",
    "FhirResponse",
    "NotAllowed",
    "NotSupported",
    "PreconditionFailed",
    "UnsupportedMediaType",
    "UnsupportedParameter",
    "fhir_response",
    "outcome",
    "outcome_response",
]

logger = logging.getLogger(__name__)

FHIR_JSON = "application/fhir+json"


class FhirResponse(JSONResponse):
    """A JSON response labelled ``application/fhir+json``."""

    media_type = FHIR_JSON


def fhir_response(
    resource: Resource, *, status_code: int = 200, headers: dict[str, str] | None = None
) -> FhirResponse:
    """``resource`` (already validated by its R4B model) as the body of a FHIR response."""
    body = resource.model_dump(mode="json", by_alias=True, exclude_none=True)
    return FhirResponse(body, status_code=status_code, headers=headers)


class FhirError(Exception):
    """An error of the REST layer itself (not of a domain rule): its status and issue type."""

    status: ClassVar[int] = 400
    issue: ClassVar[str] = "invalid"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotSupported(FhirError):
    """A resource type, interaction or parameter this server does not offer."""

    status = 404
    issue = "not-supported"


class NotAllowed(FhirError):
    """An interaction this server does not offer on a type it serves (e.g. DELETE)."""

    status = 405
    issue = "not-supported"


class UnsupportedParameter(FhirError):
    """A search parameter this server does not offer (refused rather than ignored)."""

    status = 400
    issue = "not-supported"


class PreconditionFailed(FhirError):
    """``If-Match`` names a version that is no longer current."""

    status = 412
    issue = "conflict"


class UnsupportedMediaType(FhirError):
    status = 415
    issue = "not-supported"


# Each domain error's HTTP status and OperationOutcome issue type (valueset issue-type).
_ISSUE_TYPES: dict[type[DomainError], str] = {
    BadUserInput: "invalid",
    NotFound: "not-found",
    Forbidden: "forbidden",
    Unauthenticated: "login",
    Conflict: "conflict",
    RateLimited: "throttled",
    ServiceUnavailable: "transient",
    IdempotencyKeyReused: "business-rule",
}


def outcome(
    message: str, *, issue: str, severity: str = "error", **details: Any
) -> OperationOutcome:
    """An OperationOutcome with one issue; ``details`` (e.g. the domain error's code) become
    ``issue.details.coding`` of our own code system."""
    entry: dict[str, Any] = {"severity": severity, "code": issue, "diagnostics": message}
    if details:
        entry["details"] = {
            "coding": [
                {"system": "urn:healthgraph:error", "code": str(value)}
                for value in details.values()
            ],
            "text": message,
        }
    return OperationOutcome.model_validate({"resourceType": "OperationOutcome", "issue": [entry]})


def outcome_response(error: Exception) -> FhirResponse:
    """The response for ``error``: a FHIR or domain error with its status, else a bare 500."""
    headers: dict[str, str] = {}
    if isinstance(error, FhirError):
        status, body = error.status, outcome(error.message, issue=error.issue)
    elif isinstance(error, DomainError):
        issue = next((v for k, v in _ISSUE_TYPES.items() if isinstance(error, k)), "exception")
        status = error.http_status
        body = outcome(error.message, issue=issue, code=error.code.value)
        if isinstance(error, Unauthenticated):
            headers["www-authenticate"] = 'Bearer realm="healthgraph"'
        retry = error.extensions.get("retryAfter")
        if retry is not None:
            headers["retry-after"] = str(max(1, round(float(retry))))
    else:
        logger.error("FHIR request failed", exc_info=error)
        status, body = 500, outcome("The server failed to answer.", issue="exception")
    return fhir_response(body, status_code=status, headers=headers)
