"""End-to-end GraphQL workflows through every resolver: people, schedules, appointments, access."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from subgraphs.common.context import Caller
from tests.subgraphs.clinical.conftest import ClinicalApi
from tests.subgraphs.clinical.factories import at, caller_of, new_patient, next_monday


async def run(api: ClinicalApi, query: str, caller: Caller, **variables: Any) -> dict[str, Any]:
    body = await api.execute(query, variables, caller=caller)
    assert "errors" not in body, body["errors"]
    data: dict[str, Any] = body["data"]
    return data


async def test_people_management(clinical_api: ClinicalApi, admin: Caller) -> None:
    doctor = (
        await run(
            clinical_api,
            """mutation { createDoctor(input: {givenName: "Hana", familyName: "Ito",
                specialty: "Cardiology", licenceNumber: "md-77", phone: "+81 3 1234 5678"})
              { id licenceNumber phone version } }""",
            admin,
        )
    )["createDoctor"]
    assert (doctor["licenceNumber"], doctor["phone"]) == ("MD-77", "+81312345678")
    updated = await run(
        clinical_api,
        """mutation ($id: ID!) { updateDoctor(id: $id, input: {specialty: "Cardiology (interventional)"},
             expectedVersion: 1) { specialty version } }""",
        admin,
        id=doctor["id"],
    )
    assert updated["updateDoctor"] == {"specialty": "Cardiology (interventional)", "version": 2}
    staff = (
        await run(
            clinical_api,
            """mutation { createStaffMember(input: {givenName: "Ola", familyName: "Berg",
                staffRole: NURSE, department: "Ward 3"}) { id staffRole } }""",
            admin,
        )
    )["createStaffMember"]
    await run(
        clinical_api,
        """mutation ($id: ID!) { updateStaffMember(id: $id, input: {department: "Ward 4"}) { id } }""",
        admin,
        id=staff["id"],
    )
    listed = await run(
        clinical_api,
        """{ doctors(specialty: "cardiology (interventional)") { nodes { id } }
             staffMembers(staffRole: NURSE, department: "ward 4") { nodes { id } } }""",
        admin,
    )
    assert listed["doctors"]["nodes"] == [{"id": doctor["id"]}]
    assert listed["staffMembers"]["nodes"] == [{"id": staff["id"]}]
    archived = await run(
        clinical_api,
        """mutation ($d: ID!, $s: ID!) { archiveDoctor(id: $d, reason: "Retired") { archivedAt }
             archiveStaffMember(id: $s) { archivedAt } }""",
        admin,
        d=doctor["id"],
        s=staff["id"],
    )
    assert archived["archiveDoctor"]["archivedAt"]
    assert archived["archiveStaffMember"]["archivedAt"]
    gone = await run(clinical_api, "{ doctors { nodes { id } } }", admin)
    assert gone["doctors"]["nodes"] == []


async def test_scheduling_and_visit_workflow(clinical_api: ClinicalApi, admin: Caller) -> None:
    patient = await new_patient(clinical_api.database, linked=True)
    doctor_id = (
        await run(
            clinical_api,
            """mutation { createDoctor(input: {givenName: "Kofi", familyName: "Mensah",
                specialty: "General practice", licenceNumber: "GP-1"}) { id } }""",
            admin,
        )
    )["createDoctor"]["id"]
    day = next_monday()
    schedule = await run(
        clinical_api,
        """mutation ($d: ID!) { setDoctorSchedule(doctorId: $d, input: {timeZone: "Africa/Accra",
             appointmentMinutes: 20, weeklyHours: [{weekday: MONDAY, startsAt: "09:00", endsAt: "12:00"},
             {weekday: TUESDAY, startsAt: "09:00", endsAt: "12:00"}]})
           { timeZone appointmentMinutes weeklyHours { weekday startsAt endsAt } } }""",
        admin,
        d=doctor_id,
    )
    assert schedule["setDoctorSchedule"]["weeklyHours"][0] == {
        "weekday": "MONDAY",
        "startsAt": "09:00:00",
        "endsAt": "12:00:00",
    }
    exception = await run(
        clinical_api,
        """mutation ($d: ID!, $date: Date!) { addScheduleException(doctorId: $d,
             input: {date: $date, kind: UNAVAILABLE, reason: "Training"}) { id kind startsAt } }""",
        admin,
        d=doctor_id,
        date=(day + timedelta(days=1)).isoformat(),
    )
    assert exception["addScheduleException"]["startsAt"] is None
    viewed = await run(
        clinical_api,
        "query ($d: ID!) { doctorSchedule(doctorId: $d) { exceptions { reason } } }",
        caller_of(patient),
        d=doctor_id,
    )
    assert viewed["doctorSchedule"]["exceptions"] == [{"reason": "Training"}]
    slots = await run(
        clinical_api,
        """query ($d: ID!, $f: DateTime!, $t: DateTime!) { availableSlots(doctorId: $d, from: $f, to: $t)
             { startsAt endsAt } }""",
        caller_of(patient),
        d=doctor_id,
        f=at(day, 0).isoformat(),
        t=at(day + timedelta(days=2), 0).isoformat(),
    )
    assert len(slots["availableSlots"]) == 9  # Monday only: Tuesday is a day off.
    first_slot = slots["availableSlots"][0]["startsAt"]
    booked = await run(
        clinical_api,
        """mutation ($p: ID!, $d: ID!, $s: DateTime!) { bookAppointment(input: {patientId: $p,
             doctorId: $d, startsAt: $s, reason: "Check-up"}) { id endsAt patient { id } doctor { id } } }""",
        caller_of(patient),
        p=str(patient.id),
        d=doctor_id,
        s=first_slot,
    )
    appointment = booked["bookAppointment"]
    assert appointment["patient"] == {"id": str(patient.id)}
    moved = await run(
        clinical_api,
        """mutation ($id: ID!, $s: DateTime!) { rescheduleAppointment(id: $id, startsAt: $s,
             reason: "Clash") { startsAt history { toStatus previousStartsAt } } }""",
        caller_of(patient),
        id=appointment["id"],
        s=at(day, 11).isoformat(),
    )
    assert moved["rescheduleAppointment"]["history"][-1]["previousStartsAt"] == first_slot
    mine = await run(
        clinical_api,
        """query ($f: DateTime!) { appointments(filter: {from: $f, statuses: [BOOKED]})
             { nodes { id status } } }""",
        caller_of(patient),
        f=at(day, 0).isoformat(),
    )
    assert mine["appointments"]["nodes"] == [{"id": appointment["id"], "status": "BOOKED"}]
    one = await run(
        clinical_api,
        "query ($id: ID!) { appointment(id: $id) { reason } }",
        caller_of(patient),
        id=appointment["id"],
    )
    assert one["appointment"] == {"reason": "Check-up"}
    cancelled = await run(
        clinical_api,
        """mutation ($id: ID!) { cancelAppointment(id: $id, reason: "Feeling better")
             { status cancellationReason } }""",
        caller_of(patient),
        id=appointment["id"],
    )
    assert cancelled["cancelAppointment"] == {
        "status": "CANCELLED",
        "cancellationReason": "Feeling better",
    }
    too_early = await clinical_api.execute(
        "mutation ($id: ID!) { checkInAppointment(id: $id) { status } }",
        {"id": appointment["id"]},
        caller=admin,
    )
    assert too_early["errors"][0]["extensions"]["code"] == "CONFLICT"
    for mutation in ("completeAppointment", "markNoShow"):
        body = await clinical_api.execute(
            f"mutation ($id: ID!) {{ {mutation}(id: $id) {{ status }} }}",
            {"id": appointment["id"]},
            caller=admin,
        )
        assert body["errors"][0]["extensions"]["code"] == "CONFLICT"
    removed = await run(
        clinical_api,
        "mutation ($id: ID!) { removeScheduleException(id: $id) }",
        admin,
        id=exception["addScheduleException"]["id"],
    )
    assert removed == {"removeScheduleException": True}


async def test_care_team_and_break_glass(clinical_api: ClinicalApi, admin: Caller) -> None:
    patient = await new_patient(clinical_api.database)
    doctor_id = (
        await run(
            clinical_api,
            """mutation { createDoctor(input: {givenName: "Lena", familyName: "Vogel",
                specialty: "Neurology", licenceNumber: "N-9"}) { id } }""",
            admin,
        )
    )["createDoctor"]["id"]
    await run(
        clinical_api,
        """mutation ($p: ID!, $d: ID!) { assignPatientToDoctor(patientId: $p, doctorId: $d,
             note: "Referral") }""",
        admin,
        p=str(patient.id),
        d=doctor_id,
    )
    team = await run(
        clinical_api,
        "query ($p: ID!) { careTeam(patientId: $p) { source note doctor { familyName } } }",
        admin,
        p=str(patient.id),
    )
    assert team["careTeam"] == [
        {"source": "ASSIGNMENT", "note": "Referral", "doctor": {"familyName": "Vogel"}}
    ]
    grant = await run(
        clinical_api,
        """mutation ($p: ID!) { breakGlass(patientId: $p, reason: "Seizure, no records", minutes: 10)
             { id reason expiresAt grantedAt } }""",
        admin,
        p=str(patient.id),
    )
    grants = await run(clinical_api, "{ myBreakGlassGrants { id } }", admin)
    assert grants["myBreakGlassGrants"] == [{"id": grant["breakGlass"]["id"]}]
    await run(
        clinical_api,
        "mutation ($p: ID!, $d: ID!) { unassignPatientFromDoctor(patientId: $p, doctorId: $d) }",
        admin,
        p=str(patient.id),
        d=doctor_id,
    )
    updated = await run(
        clinical_api,
        """mutation ($p: ID!) { updatePatient(id: $p, input: {emergencyContact: {name: "Kim Vogel",
             phone: "+49 30 1234567"}}) { emergencyContact { name phone } version } }""",
        admin,
        p=str(patient.id),
    )
    assert updated["updatePatient"] == {
        "emergencyContact": {"name": "Kim Vogel", "phone": "+49301234567"},
        "version": 2,
    }
    archived = await run(
        clinical_api,
        'mutation ($p: ID!) { archivePatient(id: $p, reason: "Duplicate record") { archivedAt } }',
        admin,
        p=str(patient.id),
    )
    assert archived["archivePatient"]["archivedAt"]
