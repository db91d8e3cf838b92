"""The shared plumbing of the subgraphs' HL7 FHIR R4 REST APIs: OperationOutcome errors, Bundles
and paging, ETags, SMART scopes and the FastAPI request handling (each subgraph maps its own data)."""

__all__: list[str] = []
