"""The server's CapabilityStatement (FHIR R4 capabilitystatement.html), at ``/fhir/R4/metadata``."""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.capabilitystatement import CapabilityStatement

from subgraphs.clinical.fhir.service import READABLE, SEARCHABLE, VERSIONED, WRITABLE
from subgraphs.common.fhir.capability import capability_statement as common_statement

__all__ = ["capability_statement"]


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
    return common_statement(
        base_url,
        software="healthgraph clinical",
        resources=[_resource(t) for t in READABLE],
        patch=True,
    )
