"""Access checks batched per request: N entities of one patient cost one check and one audit entry."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from subgraphs.clinical.records.access import Purpose, authorize_patient
from subgraphs.common.context import RequestContext
from subgraphs.common.errors import Forbidden, NotFound

__all__ = ["patient_access"]


def patient_access(
    context: RequestContext, purpose: Purpose, reason: str | None = None
) -> DataLoader[uuid.UUID, None]:
    """``await patient_access(ctx, purpose).load(patient_id)`` raises FORBIDDEN/NOT_FOUND when denied.

    The loader runs every check of one batch in a single transaction, so the access events the
    rule records are committed together, and each patient is checked once per request.
    """

    async def check(patient_ids: list[uuid.UUID]) -> Sequence[BaseException | None]:
        results: list[BaseException | None] = []
        async with context.database.transaction() as session:
            for patient_id in patient_ids:
                try:
                    await authorize_patient(
                        session, context.caller, patient_id, purpose=purpose, reason=reason
                    )
                except (Forbidden, NotFound) as denied:
                    results.append(denied)
                else:
                    results.append(None)
        return results

    return context.loaders.get(("clinical.patient_access", purpose, reason), check)
