"""The server's CapabilityStatement (FHIR R4 capabilitystatement.html), at ``/fhir/R4/metadata``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fhir.resources.R4B.capabilitystatement import CapabilityStatement

from subgraphs.clinical.fhir.service import READABLE, SEARCHABLE, VERSIONED, WRITABLE
from subgraphs.clinical.fhir.smart import SMART_SCOPES

__all__ = ["capability_statement"]

_STARTED = datetime.now(UTC).replace(microsecond=0)


def _resource(resource_type: str) -> dict[str, Any]:
    interactions = ["read", "vread", "history-instance"]
    if resource_type == "Slot":
        interactions = []
    interactions.append("search-type")
    if resource_type in WRITABLE:
        interactions += ["create", "update", "patch"]
    entry: dict[str, Any] = {
        "type": resource_type,
        "interaction": [{"code": code} for code in interactions],
        "versioning": "versioned" if resource_type in VERSIONED else "versioned-update",
        "readHistory": resource_type in VERSIONED,
        "updateCreate": False,
        "conditionalUpdate": False,
        "searchParam": [
            {"name": name, "type": kind} for name, kind in SEARCHABLE[resource_type].items()
        ],
    }
    return entry


def capability_statement(base_url: str) -> CapabilityStatement:
    """What this server offers: resources, interactions, search parameters and SMART scopes."""
    scopes = sorted({scope for granted in SMART_SCOPES.values() for scope in granted})
    return CapabilityStatement.model_validate(
        {
            "resourceType": "CapabilityStatement",
            "status": "active",
            "date": _STARTED.isoformat(),
            "publisher": "healthgraph",
            "kind": "instance",
            "software": {"name": "healthgraph clinical"},
            "implementation": {"description": "healthgraph clinical FHIR R4", "url": base_url},
            "fhirVersion": "4.3.0",
            "format": ["application/fhir+json", "json"],
            "patchFormat": ["application/json-patch+json", "application/merge-patch+json"],
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
                    "resource": [_resource(t) for t in READABLE],
                }
            ],
        }
    )
