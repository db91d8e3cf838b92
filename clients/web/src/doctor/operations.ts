import { graphql } from "../gql";

// The doctor's screens: my patients, a patient's chart, record entries and prescriptions.

export const MyPatientsDocument = graphql(`
  query MyPatients($search: String) {
    patients(first: 100, search: $search) {
      nodes { id mrn givenName familyName dateOfBirth sex }
    }
  }
`);

export const RecordFieldsFragment = graphql(`
  fragment RecordFields on MedicalRecord {
    id patientId appointmentId encounterAt status version updatedAt
    notes
    vitals { temperatureC heartRateBpm respiratoryRate systolicMmhg diastolicMmhg oxygenSaturation weightKg heightCm measuredAt }
    diagnoses { code text primary }
    allergies { substance reaction severity }
    medications { name dose frequency route }
  }
`);

export const PrescriptionFieldsFragment = graphql(`
  fragment PrescriptionFields on Prescription {
    id patientId doctorId medication dose route frequency quantity refills instructions
    issuedAt status jws keyId revokedAt revocationReason
  }
`);

export const ChartDocument = graphql(`
  query Chart($id: ID!) {
    me { id doctor { id } }
    patient(id: $id) {
      id mrn givenName familyName dateOfBirth sex email phone
      address { line1 line2 city region postalCode country }
      emergencyContact { name relationship phone }
      insurance { payer memberId }
      appointments(first: 100) {
        nodes { id startsAt endsAt status reason doctor { id givenName familyName specialty } }
      }
      medicalRecords(first: 50) { nodes { ...RecordFields } }
      prescriptions(first: 50) { nodes { ...PrescriptionFields } }
    }
    careTeam(patientId: $id) { source doctor { id givenName familyName specialty } }
  }
`);

export const CreateRecordDocument = graphql(`
  mutation CreateRecord($input: CreateMedicalRecordInput!) {
    createMedicalRecord(input: $input) { ...RecordFields }
  }
`);

export const UpdateRecordDocument = graphql(`
  mutation UpdateRecord($input: UpdateMedicalRecordInput!) {
    updateMedicalRecord(input: $input) { ...RecordFields }
  }
`);

export const RecordChangedDocument = graphql(`
  subscription RecordChanged($patientId: ID!) {
    medicalRecordChanged(patientId: $patientId) { position change recordId version }
  }
`);

export const IssuePrescriptionDocument = graphql(`
  mutation IssuePrescription($input: IssuePrescriptionInput!) {
    issuePrescription(input: $input) { ...PrescriptionFields }
  }
`);

export const RevokePrescriptionDocument = graphql(`
  mutation RevokePrescription($id: ID!, $reason: String!) {
    revokePrescription(id: $id, reason: $reason) { ...PrescriptionFields }
  }
`);

