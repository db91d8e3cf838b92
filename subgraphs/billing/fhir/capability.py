"""Billing's CapabilityStatement (FHIR R4 capabilitystatement.html), at ``/fhir/R4/metadata``."""

from __future__ import annotations

from fhir.resources.R4B.capabilitystatement import CapabilityStatement

from subgraphs.billing.fhir.service import SEARCHABLE
from subgraphs.common.fhir.capability import capability_statement as common_statement

__all__ = ["capability_statement"]


def capability_statement(base_url: str) -> CapabilityStatement:
    """Invoice, Claim and Coverage: read and search, no versions kept, no writes."""
    return common_statement(
        base_url,
        software="healthgraph billing",
        resources=[
            {
                "type": kind,
                "interaction": [{"code": "read"}, {"code": "search-type"}],
                "versioning": "versioned-update",
                "readHistory": False,
                "updateCreate": False,
                "searchParam": [{"name": n, "type": t} for n, t in params.items()],
            }
            for kind, params in SEARCHABLE.items()
        ],
    )
