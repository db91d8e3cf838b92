"""Through ``healthgraph up --demo``: no patient's name or MRN reaches any service's log.

Patients are written and read through the router, including requests that fail (bad input,
searches, refused access), then every log file of the stack is read back line by line.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from tests.support.stack import DemoStack, graphql

CREATE = """
mutation Register($input: PatientInput!) { createPatient(input: $input) { id mrn givenName } }
"""
UPDATE = """
mutation Rename($id: ID!, $input: PatientUpdateInput!) {
  updatePatient(id: $id, input: $input) { id familyName }
}
"""
READ = "query Chart($id: ID!) { patient(id: $id) { id mrn givenName familyName } }"
SEARCH = "query Find($q: String) { patients(search: $q) { nodes { id mrn givenName familyName } } }"


def _person(given: str, family: str, born: str) -> dict[str, str]:
    return {"givenName": given, "familyName": family, "dateOfBirth": born, "sex": "FEMALE"}


def _log_lines(data_dir: Path) -> list[tuple[str, str]]:
    lines = []
    for path in sorted((data_dir / "logs").rglob("*")):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            lines.extend((path.name, line) for line in text.splitlines())
    return lines


def test_patient_names_and_mrns_never_reach_the_logs(demo_stack: DemoStack) -> None:
    admin = demo_stack.sign_in("ADMIN")
    doctor = demo_stack.sign_in("DOCTOR")
    tag = "".join(chr(ord("a") + int(digit, 16)) for digit in uuid.uuid4().hex[:8])  # letters
    given, family, renamed = f"Phigiven{tag}", f"Phifamily{tag}", f"Phirenamed{tag}"
    created = graphql(demo_stack.url(), CREATE, admin, input=_person(given, family, "1990-02-03"))
    assert "errors" not in created, created
    patient = created["data"]["createPatient"]
    updated = graphql(
        demo_stack.url(), UPDATE, admin, id=patient["id"], input={"familyName": renamed}
    )
    assert "errors" not in updated, updated
    assert "errors" not in graphql(demo_stack.url(), READ, admin, id=patient["id"])
    assert "errors" not in graphql(demo_stack.url(), SEARCH, admin, q=renamed)

    # failures that carry the patient's data in their input
    bad_date = graphql(demo_stack.url(), CREATE, admin, input=_person(given, family, "1990-13-45"))
    assert "errors" in bad_date
    bad_email = graphql(
        demo_stack.url(), UPDATE, admin, id=patient["id"], input={"email": f"{given}@@invalid"}
    )
    assert "errors" in bad_email
    refused = graphql(demo_stack.url(), READ, doctor, id=patient["id"])  # not in this GP's care
    assert refused.get("data", {}).get("patient") is None
    graphql(demo_stack.url(), SEARCH, doctor, q=given)
    graphql(demo_stack.url("clinical"), READ, None, id=patient["id"])  # unauthenticated, direct

    # the demo clinic's own patients, as a doctor reads them
    demo = graphql(demo_stack.url(), SEARCH, doctor, q=None)
    assert "errors" not in demo, demo
    people = demo["data"]["patients"]["nodes"]
    assert people
    graphql(demo_stack.url(), READ, doctor, id=people[0]["id"])

    secrets = {given, family, renamed, patient["mrn"]}
    for person in people:
        secrets |= {person["mrn"], f"{person['givenName']} {person['familyName']}"}
        secrets |= {name for name in (person["givenName"], person["familyName"]) if len(name) > 5}
    time.sleep(1.5)  # events relayed and consumed, their log lines flushed
    lines = _log_lines(demo_stack.data_dir)
    assert lines, "the stack wrote no logs"
    leaks = [(file, line) for file, line in lines for secret in secrets if secret in line]
    assert leaks == []
