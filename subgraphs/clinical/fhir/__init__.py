"""HL7 FHIR R4 REST API of the clinical data (``/fhir/R4``), computed from our own tables."""

from subgraphs.clinical.fhir.router import FHIR_PREFIX, fhir_router

__all__ = ["FHIR_PREFIX", "fhir_router"]
