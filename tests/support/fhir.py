"""A subgraph's ``/fhir/R4`` on a real port for ``fhirpy`` (aiohttp), and R4B validation of its answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.resource import Resource
from fhirpy import AsyncFHIRClient

from subgraphs.common.database import Database

__all__ = ["FhirServer", "assert_outcome", "valid"]


def valid(body: dict[str, Any]) -> Resource:
    """``body`` validated by the R4B model its ``resourceType`` names (a Bundle's entries too)."""
    resource: Resource = get_fhir_model_class(body["resourceType"]).model_validate(body)
    for entry in body.get("entry") or []:
        valid(entry["resource"])
    return resource


@dataclass
class FhirServer:
    """``/fhir/R4`` of a running subgraph app, and its database."""

    base: str
    database: Database

    def client(self, token: str) -> AsyncFHIRClient:
        """A fhirpy client sending ``token`` as the bearer."""
        return AsyncFHIRClient(self.base, authorization=f"Bearer {token}")

    def http(self, token: str | None = None) -> httpx.AsyncClient:
        """A raw HTTP client (status codes, headers), with ``token`` if given."""
        headers = {"accept": "application/fhir+json"}
        if token is not None:
            headers["authorization"] = f"Bearer {token}"
        return httpx.AsyncClient(base_url=self.base, headers=headers, timeout=30)


def assert_outcome(body: dict[str, Any], code: str) -> None:
    """``body`` is a valid OperationOutcome with one error issue of ``code``."""
    assert body["resourceType"] == "OperationOutcome", body
    valid(body)
    assert body["issue"][0]["severity"] == "error"
    assert body["issue"][0]["code"] == code, body
