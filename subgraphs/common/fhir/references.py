"""References between resources, ``<type>/<id>`` (FHIR R4 references.html#literal)."""

from __future__ import annotations

import uuid

from subgraphs.common.errors import BadUserInput

__all__ = ["reference_id"]


def reference_id(reference: str | None, resource_type: str, *, field: str) -> uuid.UUID:
    """The id of ``<resource_type>/<id>`` (or a bare id)."""
    text = (reference or "").strip()
    kind, _, ident = text.rpartition("/")
    if kind and kind.rsplit("/", 1)[-1] != resource_type:
        raise BadUserInput(
            f"{field} must reference a {resource_type}.", extensions={"field": field}
        )
    try:
        return uuid.UUID(ident)
    except ValueError:
        raise BadUserInput(
            f"{field} must be {resource_type}/<id>.", extensions={"field": field}
        ) from None
