"""The clinical app on a real port, so that ``fhirpy`` (aiohttp) talks to ``/fhir/R4`` as an integrator would."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.resource import Resource
from fhirpy import AsyncFHIRClient

from subgraphs.clinical.app import create_app
from subgraphs.common.database import Database
from tests.subgraphs.clinical.conftest import clinical_settings
from tests.support.serving import serving_on_port
from tests.support.tokens import JWKS

__all__ = ["FhirServer", "valid"]


def valid(body: dict[str, Any]) -> Resource:
    """``body`` validated by the R4B model its ``resourceType`` names (a Bundle's entries too)."""
    resource: Resource = get_fhir_model_class(body["resourceType"]).model_validate(body)
    for entry in body.get("entry") or []:
        valid(entry["resource"])
    return resource


@dataclass
class FhirServer:
    """``/fhir/R4`` of a running clinical app, and its database."""

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


@pytest.fixture
async def fhir(clinical_url: str, tmp_path: Path) -> AsyncIterator[FhirServer]:
    app = create_app(clinical_settings(clinical_url, key_path=tmp_path / "rx.pem"), jwks=JWKS)
    async with serving_on_port(app) as port:
        yield FhirServer(f"http://127.0.0.1:{port}/fhir/R4", app.state.service.database)
