import { graphql } from "../gql";

// The desk's documents: registering patients, doctors' schedules, billing reports, user admin.

export const RegisterPatientDocument = graphql(`
  mutation RegisterPatient($input: PatientInput!) {
    createPatient(input: $input) { id mrn givenName familyName dateOfBirth }
  }
`);

export const SamePatientsDocument = graphql(`
  query SamePatients($search: String!) {
    patients(search: $search, first: 20, reason: "Checking for a duplicate before registering") {
      nodes { id mrn givenName familyName dateOfBirth }
    }
  }
`);

export const DoctorListDocument = graphql(`
  query DoctorList {
    doctors(first: 100) { nodes { id givenName familyName specialty } }
  }
`);

export const ScheduleFieldsFragment = graphql(`
  fragment ScheduleFields on DoctorSchedule {
    doctorId timeZone appointmentMinutes version updatedAt
    weeklyHours { weekday startsAt endsAt }
    exceptions { id date kind startsAt endsAt reason }
  }
`);

export const DoctorScheduleDocument = graphql(`
  query DoctorSchedule($doctorId: ID!, $from: DateTime!, $to: DateTime!) {
    doctorSchedule(doctorId: $doctorId) { ...ScheduleFields }
    availableSlots(doctorId: $doctorId, from: $from, to: $to) { startsAt endsAt }
  }
`);

export const SetDoctorScheduleDocument = graphql(`
  mutation SetDoctorSchedule($doctorId: ID!, $input: DoctorScheduleInput!) {
    setDoctorSchedule(doctorId: $doctorId, input: $input) { ...ScheduleFields }
  }
`);

export const AddScheduleExceptionDocument = graphql(`
  mutation AddScheduleException($doctorId: ID!, $input: ScheduleExceptionInput!) {
    addScheduleException(doctorId: $doctorId, input: $input) { id }
  }
`);

export const RemoveScheduleExceptionDocument = graphql(`
  mutation RemoveScheduleException($id: ID!) { removeScheduleException(id: $id) }
`);

export const BillingReportsDocument = graphql(`
  query BillingReports($from: Date!, $to: Date!, $granularity: ReportGranularity!) {
    revenueByPeriod(from: $from, to: $to, granularity: $granularity) {
      key currency documents billed { amount } collected { amount }
    }
    revenueByDoctor(from: $from, to: $to) {
      key currency documents billed { amount } collected { amount }
    }
    revenueByPayer(from: $from, to: $to) {
      key currency documents billed { amount } collected { amount }
    }
    receivablesAgeing(asOf: $to) { bucket currency invoices outstanding { amount } }
    claimsByStatus(from: $from, to: $to) { status currency claims amount { amount } }
    doctors(first: 100) { nodes { id givenName familyName } }
  }
`);

export const ReportCsvDocument = graphql(`
  query ReportCsv($report: ReportName!, $from: Date!, $to: Date!, $granularity: ReportGranularity!) {
    reportCsv(report: $report, from: $from, to: $to, granularity: $granularity, asOf: $to) {
      filename contentType text
    }
  }
`);

export const UserListDocument = graphql(`
  query UserList($search: String) {
    me { id }
    users(first: 100, search: $search) {
      totalCount
      nodes { id email displayName role status mfaEnabled }
    }
  }
`);

export const CreateUserDocument = graphql(`
  mutation CreateUser($input: CreateUserInput!) {
    createUser(input: $input) { id email displayName role status mfaEnabled }
  }
`);

export const UpdateUserRoleDocument = graphql(`
  mutation UpdateUserRole($userId: ID!, $role: Role!) {
    updateUserRole(userId: $userId, role: $role) { id role status }
  }
`);

export const DisableUserDocument = graphql(`
  mutation DisableUser($userId: ID!) { disableUser(userId: $userId) { id status } }
`);

export const ResetMfaDocument = graphql(`
  mutation ResetMfa($userId: ID!) { resetMfa(userId: $userId) { id mfaEnabled } }
`);

export const BookedOnDayDocument = graphql(`
  query BookedOnDay($doctorId: ID!, $from: DateTime!, $to: DateTime!) {
    doctor(id: $doctorId) {
      id
      appointments(from: $from, to: $to, first: 100) {
        nodes { id startsAt endsAt status patient { id givenName familyName } }
      }
    }
  }
`);
