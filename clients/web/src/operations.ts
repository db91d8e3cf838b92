import { graphql } from "./gql";


export const SignedInFragment = graphql(`
  fragment SignedIn on AuthPayload {
    accessToken refreshToken expiresIn mfaRequired mfaEnrollmentRequired mfaToken
    user { id role displayName }
  }
`);

export const LoginDocument = graphql(`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) { ...SignedIn }
  }
`);

export const VerifyMfaDocument = graphql(`
  mutation VerifyMfa($mfaToken: String!, $code: String!) {
    verifyMfa(mfaToken: $mfaToken, code: $code) { ...SignedIn }
  }
`);

export const RefreshDocument = graphql(`
  mutation Refresh($refreshToken: String!) {
    refreshToken(refreshToken: $refreshToken) { accessToken refreshToken expiresIn }
  }
`);

export const LogoutDocument = graphql(`
  mutation Logout($refreshToken: String!) { logout(refreshToken: $refreshToken) }
`);

export const MyPatientDocument = graphql(`
  query MyPatient {
    me {
      id
      patient {
        id givenName familyName
        appointments(first: 100) {
          nodes { id startsAt endsAt status reason doctor { id givenName familyName specialty } }
        }
      }
    }
    invoices(first: 20) {
      id number status total { amount currency } amountDue { amount currency } dueAt
    }
  }
`);

export const PatientPageDocument = graphql(`
  query PatientPage($id: ID!) {
    patient(id: $id) {
      id givenName familyName
      appointments(first: 100) {
        nodes { id startsAt endsAt status reason doctor { id givenName familyName specialty } }
      }
    }
  }
`);

export const MyScheduleDocument = graphql(`
  query MySchedule($from: DateTime!, $to: DateTime!) {
    me {
      id
      doctor {
        id givenName familyName
        appointments(from: $from, to: $to, first: 100) {
          nodes { id startsAt endsAt status reason patient { id givenName familyName } }
        }
      }
    }
  }
`);

export const AppointmentChangedDocument = graphql(`
  subscription AppointmentChanged($doctorId: ID, $patientId: ID) {
    appointmentChanged(doctorId: $doctorId, patientId: $patientId) {
      position type appointmentId status startsAt
    }
  }
`);

export const PayByCardDocument = graphql(`
  mutation PayByCard($invoiceId: ID!) {
    payInvoiceWithStripe(invoiceId: $invoiceId) {
      clientSecret
      payment { id status providerReference }
    }
  }
`);
