"""Prescriptions through GraphQL: issue, verify (anonymously), document, revoke, published keys."""

from __future__ import annotations

import base64
import io

import pypdf
import zxingcpp

from subgraphs.clinical.people.models import StaffRole
from tests.subgraphs.clinical.conftest import ClinicalApi
from tests.subgraphs.clinical.factories import (
    in_care,
    new_doctor,
    new_patient,
    new_staff,
    token_of,
)

ISSUE = """
mutation Issue($input: IssuePrescriptionInput!) {
  issuePrescription(input: $input) { id status jws signedPayload keyId route quantity }
}
"""
VERIFY = """
query Verify($jws: String!, $payload: String) {
  verifyPrescription(jws: $jws, payload: $payload) {
    status reason prescriptionId keyId revokedAt signer { doctorId name licence }
  }
}
"""


async def test_issue_verify_document_revoke(clinical_api: ClinicalApi) -> None:
    patient = await new_patient(clinical_api.database, linked=True)
    doctor = await new_doctor(clinical_api.database)
    await in_care(clinical_api.database, patient, doctor)
    issued = await clinical_api.execute(
        ISSUE,
        {
            "input": {
                "patientId": str(patient.id),
                "medication": "Metformin 500 mg tablets",
                "dose": "500 mg",
                "route": "ORAL",
                "frequency": "twice daily with meals",
                "quantity": 56,
                "refills": 2,
            }
        },
        token=token_of(doctor),
    )
    assert "errors" not in issued, issued
    prescription = issued["data"]["issuePrescription"]
    assert prescription["status"] == "ACTIVE"

    valid = await clinical_api.execute(VERIFY, {"jws": prescription["jws"]})  # no account needed
    assert valid["data"]["verifyPrescription"]["status"] == "VALID"
    assert valid["data"]["verifyPrescription"]["prescriptionId"] == prescription["id"]
    assert valid["data"]["verifyPrescription"]["signer"] == {
        "doctorId": str(doctor.id),
        "name": f"{doctor.given_name} {doctor.family_name}",
        "licence": doctor.licence_number,
    }

    document = await clinical_api.execute(
        "query($id: ID!) { prescriptionDocument(id: $id) { filename contentType contentBase64 qrPayload } }",
        {"id": prescription["id"]},
        token=token_of(patient),
    )
    pdf = document["data"]["prescriptionDocument"]
    assert pdf["contentType"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(base64.b64decode(pdf["contentBase64"])))
    assert "Metformin 500 mg tablets" in reader.pages[0].extract_text()
    scanned = [
        code.text
        for image in reader.pages[0].images
        for code in zxingcpp.read_barcodes(image.image)
    ]
    assert scanned == [pdf["qrPayload"]] == [prescription["jws"]]

    revoked = await clinical_api.execute(
        'mutation($id: ID!) { revokePrescription(id: $id, reason: "dose changed") { status revocationReason } }',
        {"id": prescription["id"]},
        token=token_of(doctor),
    )
    assert revoked["data"]["revokePrescription"] == {
        "status": "REVOKED",
        "revocationReason": "dose changed",
    }
    after = await clinical_api.execute(VERIFY, {"jws": scanned[0]})
    assert after["data"]["verifyPrescription"]["status"] == "REVOKED"
    assert after["data"]["verifyPrescription"]["revokedAt"] is not None

    garbage = await clinical_api.execute(VERIFY, {"jws": "not.a.jws"})
    assert garbage["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_signing_keys_are_published(clinical_api: ClinicalApi) -> None:
    patient = await new_patient(clinical_api.database, linked=True)
    doctor = await new_doctor(clinical_api.database)
    await in_care(clinical_api.database, patient, doctor)
    keys = await clinical_api.execute("{ prescriptionSigningKeys { kid kty crv x alg use } }")
    published = keys["data"]["prescriptionSigningKeys"]
    assert len(published) == 1
    assert published[0]["kty"] == "OKP"
    assert published[0]["alg"] == "EdDSA"
    jwks = await clinical_api.http.get("/.well-known/prescription-keys.json")
    assert jwks.status_code == 200
    assert [key["kid"] for key in jwks.json()["keys"]] == [published[0]["kid"]]


async def test_access_and_entities(clinical_api: ClinicalApi) -> None:
    patient = await new_patient(clinical_api.database, linked=True)
    doctor = await new_doctor(clinical_api.database)
    await in_care(clinical_api.database, patient, doctor)
    order = {
        "patientId": str(patient.id),
        "medication": "Ibuprofen 200 mg",
        "dose": "200 mg",
        "route": "ORAL",
        "frequency": "as needed",
        "quantity": 10,
    }
    ids = []
    for _ in range(3):
        issued = await clinical_api.execute(ISSUE, {"input": order}, token=token_of(doctor))
        ids.append(issued["data"]["issuePrescription"]["id"])
    representations = [{"__typename": "Prescription", "id": id_} for id_ in ids]
    entities = """
    query($r: [_Any!]!) { _entities(representations: $r) { ... on Prescription { id medication } } }
    """
    own = await clinical_api.execute(entities, {"r": representations}, token=token_of(patient))
    assert [entity["id"] for entity in own["data"]["_entities"]] == ids

    # Another patient may not even learn these exist.
    other = await new_patient(clinical_api.database, linked=True)
    denied = await clinical_api.execute(entities, {"r": representations}, token=token_of(other))
    assert denied["data"]["_entities"] == [None, None, None]
    assert {error["extensions"]["code"] for error in denied["errors"]} == {"NOT_FOUND"}

    listing = await clinical_api.execute(
        "query($p: ID!) { prescriptions(patientId: $p, first: 2) { edges { node { id } } pageInfo { hasNextPage } } }",
        {"p": str(patient.id)},
        token=token_of(patient),
    )
    assert len(listing["data"]["prescriptions"]["edges"]) == 2
    assert listing["data"]["prescriptions"]["pageInfo"]["hasNextPage"] is True

    nurse = await new_staff(clinical_api.database, StaffRole.NURSE)
    refused = await clinical_api.execute(ISSUE, {"input": order}, token=token_of(nurse))
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
