"""The billing app on a real port, so that ``fhirpy`` (aiohttp) talks to its ``/fhir/R4``."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from subgraphs.billing.app import create_app
from tests.subgraphs.billing.chain import registry
from tests.subgraphs.billing.conftest import billing_settings
from tests.support.fhir import FhirServer
from tests.support.serving import serving_on_port
from tests.support.tokens import JWKS

__all__ = ["registry"]


@pytest.fixture
async def fhir(billing_url: str) -> AsyncIterator[FhirServer]:
    app = create_app(billing_settings(billing_url), jwks=JWKS)
    async with serving_on_port(app) as port:
        yield FhirServer(f"http://127.0.0.1:{port}/fhir/R4", app.state.service.database)
