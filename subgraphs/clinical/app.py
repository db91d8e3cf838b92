"""The clinical service's FastAPI app (``uvicorn --factory subgraphs.clinical.app:create_app``)."""

from __future__ import annotations

from fastapi import FastAPI

from subgraphs.clinical.schema import schema
from subgraphs.clinical.settings import ClinicalSettings
from subgraphs.common.app import create_service_app

__all__ = ["create_app"]


def create_app(settings: ClinicalSettings | None = None) -> FastAPI:
    """The clinical subgraph on its settings (``CLINICAL_*`` environment by default)."""
    return create_service_app(
        title="healthgraph clinical", settings=settings or ClinicalSettings(), schema=schema
    )
