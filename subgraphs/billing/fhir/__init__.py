"""HL7 FHIR R4 REST API of the billing data (``/fhir/R4``): Invoice, Claim, Coverage."""

from subgraphs.billing.fhir.router import FHIR_PREFIX, fhir_router

__all__ = ["FHIR_PREFIX", "fhir_router"]
