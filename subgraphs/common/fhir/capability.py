"""A server's CapabilityStatement (FHIR R4 capabilitystatement.html), served at ``/fhir/R4/metadata``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from fhir.resources.R4B.capabilitystatement import CapabilityStatement

from subgraphs.common.fhir.smart import scopes_for

__all__ = ["capability_statement"]

_STARTED = datetime.now(UTC).replace(microsecond=0)


def capability_statement(
    base_url: str, *, software: str, resources: Sequence[dict[str, Any]], patch: bool = False
) -> CapabilityStatement:
    """What the server ``software`` offers: its ``resources`` (CapabilityStatement.rest.resource
    entries, each naming its ``type``) and the SMART scopes that open them."""
    scopes = scopes_for(r["type"] for r in resources)
    statement: dict[str, Any] = {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": _STARTED.isoformat(),
        "publisher": "healthgraph",
        "kind": "instance",
        "software": {"name": software},
        "implementation": {"description": f"{software} FHIR R4", "url": base_url},
        "fhirVersion": "4.3.0",
        "format": ["application/fhir+json", "json"],
        "rest": [
            {
                "mode": "server",
                "security": {
                    "cors": False,
                    "service": [
                        {
                            "coding": [
                                {
                                    "system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                                    "code": "SMART-on-FHIR",
                                }
                            ]
                        }
                    ],
                    "description": (
                        "Bearer access tokens of healthgraph's auth service. Scopes granted: "
                        + " ".join(scopes)
                    ),
                },
                "resource": list(resources),
            }
        ],
    }
    if patch:
        statement["patchFormat"] = ["application/json-patch+json", "application/merge-patch+json"]
    return CapabilityStatement.model_validate(statement)
