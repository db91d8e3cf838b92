import { graphql } from "../gql";

// The patient's own screens: booking and cancelling, records and prescriptions.

export const BookingDoctorsDocument = graphql(`
  query BookingDoctors($search: String) {
    doctors(first: 100, search: $search) { nodes { id givenName familyName specialty } }
  }
`);

export const FreeSlotsDocument = graphql(`
  query FreeSlots($doctorId: ID!, $from: DateTime!, $to: DateTime!) {
    availableSlots(doctorId: $doctorId, from: $from, to: $to) { startsAt endsAt }
  }
`);

export const MyUpcomingDocument = graphql(`
  query MyUpcoming($from: DateTime!) {
    me {
      id
      patient {
        id
        appointments(first: 100, from: $from, status: [BOOKED, CHECKED_IN]) {
          nodes { id startsAt endsAt status reason doctor { id givenName familyName specialty } }
        }
      }
    }
  }
`);

export const BookSlotDocument = graphql(`
  mutation BookSlot($input: BookAppointmentInput!) {
    bookAppointment(input: $input) {
      id startsAt endsAt status reason doctor { id givenName familyName specialty }
    }
  }
`);

export const CancelMineDocument = graphql(`
  mutation CancelMine($id: ID!, $reason: String!) {
    cancelAppointment(id: $id, reason: $reason) { id status cancellationReason }
  }
`);

export const MyRecordsDocument = graphql(`
  query MyRecords {
    me {
      id
      patient {
        id
        medicalRecords(first: 50) {
          nodes {
            id encounterAt status version notes
            vitals { temperatureC heartRateBpm respiratoryRate systolicMmhg diastolicMmhg oxygenSaturation weightKg heightCm }
            diagnoses { code text primary }
            allergies { substance reaction severity }
            medications { name dose frequency route }
          }
        }
        prescriptions(first: 50) {
          nodes {
            id medication dose route frequency quantity refills instructions issuedAt status
            keyId jws revokedAt
          }
        }
      }
    }
  }
`);

