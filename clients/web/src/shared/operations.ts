import { graphql } from "../gql";

// Documents both the patient's and the doctor's screens use (one name each: codegen needs that).

export const RecordHistoryDocument = graphql(`
  query RecordHistory($recordId: ID!) {
    medicalRecordHistory(recordId: $recordId) {
      recordId version status changedAt changedByRole changedFields reason notes
      diagnoses { code text primary }
    }
  }
`);

export const PrescriptionPdfDocument = graphql(`
  query PrescriptionPdf($id: ID!) {
    prescriptionDocument(id: $id) { prescriptionId filename contentType contentBase64 }
  }
`);

export const VerifyPrescriptionDocument = graphql(`
  query VerifyPrescription($jws: String!) {
    verifyPrescription(jws: $jws) {
      status reason prescriptionId keyId issuedAt revokedAt signer { doctorId name licence }
    }
  }
`);
