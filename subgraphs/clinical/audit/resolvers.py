"""Queries of the access audit store: a patient's ``accessLog`` and ``verifyAuditChain``."""

from __future__ import annotations

import strawberry

from subgraphs.clinical.access.scopes import READ_ACCESS_LOG, VERIFY_AUDIT
from subgraphs.clinical.audit import service
from subgraphs.clinical.audit.types import ACCESS_LOG_POLICY, AccessLogEntry, AuditChainVerification
from subgraphs.clinical.connection import Connection
from subgraphs.clinical.people.types import Info
from subgraphs.common.audit import serve
from subgraphs.common.field_guard import guarded
from subgraphs.common.ids import parse_id

__all__ = ["AuditQuery"]


@strawberry.type
class AuditQuery:
    @guarded(
        READ_ACCESS_LOG,
        policy=ACCESS_LOG_POLICY,
        description=(
            "Who accessed a patient's data or was refused, newest first: ADMIN for any patient, "
            "a PATIENT for their own record (itself an audited read)."
        ),
    )
    async def access_log(
        self,
        info: Info,
        patient_id: strawberry.ID,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[AccessLogEntry] | None:
        patient = parse_id(patient_id, what="patientId")
        log = await serve(
            info.context, service.access_log, patient_id=patient, first=first, after=after
        )
        return Connection.of(
            log.page,
            lambda entry: AccessLogEntry.of(entry, patient, log.actor_names.get(entry.actor)),
        )

    @guarded(
        VERIFY_AUDIT,
        description="Walk the access audit chain and report the first broken link (ADMIN).",
    )
    async def verify_audit_chain(self, info: Info) -> AuditChainVerification | None:
        context = info.context
        async with context.database.session() as session:
            result = await service.verify_chain(session, caller=context.caller)
        return AuditChainVerification.of(result)
