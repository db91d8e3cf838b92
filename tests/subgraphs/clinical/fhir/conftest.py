"""The clinical app on a real port, so that ``fhirpy`` (aiohttp) talks to ``/fhir/R4`` as an integrator would."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from subgraphs.clinical.app import create_app
from tests.subgraphs.clinical.conftest import clinical_settings
from tests.support.fhir import FhirServer, valid
from tests.support.serving import serving_on_port
from tests.support.tokens import JWKS

__all__ = ["FhirServer", "valid"]


@pytest.fixture
async def fhir(clinical_url: str, tmp_path: Path) -> AsyncIterator[FhirServer]:
    app = create_app(clinical_settings(clinical_url, key_path=tmp_path / "rx.pem"), jwks=JWKS)
    async with serving_on_port(app) as port:
        yield FhirServer(f"http://127.0.0.1:{port}/fhir/R4", app.state.service.database)
