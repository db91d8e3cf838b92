"""Every table of the clinical service, imported so Alembic and SQLModel see the whole schema."""

from subgraphs.clinical.access.models import BreakGlassGrant, CareRelationship
from subgraphs.clinical.analytics.models import AnalyticsCounter, AnalyticsDoctorHours
from subgraphs.clinical.appointments.models import Appointment, AppointmentStatusChange, BookingKey
from subgraphs.clinical.audit.models import AccessAuditEntry
from subgraphs.clinical.availability.models import DoctorSchedule, ScheduleException, WorkingHours
from subgraphs.clinical.live.models import LiveFeedEvent
from subgraphs.clinical.people.models import Doctor, MedicalStaff, Patient
from subgraphs.clinical.prescriptions.models import Prescription, PrescriptionSigningKey
from subgraphs.clinical.records.models import MedicalRecord, MedicalRecordVersion
from subgraphs.common.outbox.models import OutboxEvent, ProcessedEvent

__all__ = [
    "AccessAuditEntry",
    "AnalyticsCounter",
    "AnalyticsDoctorHours",
    "Appointment",
    "AppointmentStatusChange",
    "BookingKey",
    "BreakGlassGrant",
    "CareRelationship",
    "Doctor",
    "DoctorSchedule",
    "LiveFeedEvent",
    "MedicalRecord",
    "MedicalRecordVersion",
    "MedicalStaff",
    "OutboxEvent",
    "Patient",
    "Prescription",
    "PrescriptionSigningKey",
    "ProcessedEvent",
    "ScheduleException",
    "WorkingHours",
]
