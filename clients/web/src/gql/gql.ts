/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment SignedIn on AuthPayload {\n    accessToken refreshToken expiresIn mfaRequired mfaEnrollmentRequired mfaToken\n    user { id role displayName }\n  }\n": typeof types.SignedInFragmentDoc,
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) { ...SignedIn }\n  }\n": typeof types.LoginDocument,
    "\n  mutation VerifyMfa($mfaToken: String!, $code: String!) {\n    verifyMfa(mfaToken: $mfaToken, code: $code) { ...SignedIn }\n  }\n": typeof types.VerifyMfaDocument,
    "\n  mutation Refresh($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) { accessToken refreshToken expiresIn }\n  }\n": typeof types.RefreshDocument,
    "\n  mutation Logout($refreshToken: String!) { logout(refreshToken: $refreshToken) }\n": typeof types.LogoutDocument,
    "\n  query MyPatient {\n    me {\n      id\n      patient {\n        id givenName familyName\n        appointments(first: 100) {\n          nodes { id startsAt endsAt status reason doctor { id givenName familyName specialty } }\n        }\n      }\n    }\n    invoices(first: 20) {\n      id number status total { amount currency } amountDue { amount currency } dueAt\n    }\n  }\n": typeof types.MyPatientDocument,
    "\n  query PatientPage($id: ID!) {\n    patient(id: $id) {\n      id givenName familyName\n      appointments(first: 100) {\n        nodes { id startsAt endsAt status reason doctor { id givenName familyName specialty } }\n      }\n    }\n  }\n": typeof types.PatientPageDocument,
    "\n  query MySchedule($from: DateTime!, $to: DateTime!) {\n    me {\n      id\n      doctor {\n        id givenName familyName\n        appointments(from: $from, to: $to, first: 100) {\n          nodes { id startsAt endsAt status reason patient { id givenName familyName } }\n        }\n      }\n    }\n  }\n": typeof types.MyScheduleDocument,
    "\n  subscription AppointmentChanged($doctorId: ID, $patientId: ID) {\n    appointmentChanged(doctorId: $doctorId, patientId: $patientId) {\n      position type appointmentId status startsAt\n    }\n  }\n": typeof types.AppointmentChangedDocument,
    "\n  mutation PayByCard($invoiceId: ID!) {\n    payInvoiceWithStripe(invoiceId: $invoiceId) {\n      clientSecret\n      payment { id status providerReference }\n    }\n  }\n": typeof types.PayByCardDocument,
    "\n  mutation RegisterPatient($input: PatientInput!) {\n    createPatient(input: $input) { id mrn givenName familyName dateOfBirth }\n  }\n": typeof types.RegisterPatientDocument,
    "\n  query SamePatients($search: String!) {\n    patients(search: $search, first: 20, reason: \"Checking for a duplicate before registering\") {\n      nodes { id mrn givenName familyName dateOfBirth }\n    }\n  }\n": typeof types.SamePatientsDocument,
    "\n  query DoctorList {\n    doctors(first: 100) { nodes { id givenName familyName specialty } }\n  }\n": typeof types.DoctorListDocument,
    "\n  fragment ScheduleFields on DoctorSchedule {\n    doctorId timeZone appointmentMinutes version updatedAt\n    weeklyHours { weekday startsAt endsAt }\n    exceptions { id date kind startsAt endsAt reason }\n  }\n": typeof types.ScheduleFieldsFragmentDoc,
    "\n  query DoctorSchedule($doctorId: ID!, $from: DateTime!, $to: DateTime!) {\n    doctorSchedule(doctorId: $doctorId) { ...ScheduleFields }\n    availableSlots(doctorId: $doctorId, from: $from, to: $to) { startsAt endsAt }\n  }\n": typeof types.DoctorScheduleDocument,
    "\n  mutation SetDoctorSchedule($doctorId: ID!, $input: DoctorScheduleInput!) {\n    setDoctorSchedule(doctorId: $doctorId, input: $input) { ...ScheduleFields }\n  }\n": typeof types.SetDoctorScheduleDocument,
    "\n  mutation AddScheduleException($doctorId: ID!, $input: ScheduleExceptionInput!) {\n    addScheduleException(doctorId: $doctorId, input: $input) { id }\n  }\n": typeof types.AddScheduleExceptionDocument,
    "\n  mutation RemoveScheduleException($id: ID!) { removeScheduleException(id: $id) }\n": typeof types.RemoveScheduleExceptionDocument,
    "\n  query BillingReports($from: Date!, $to: Date!, $granularity: ReportGranularity!) {\n    revenueByPeriod(from: $from, to: $to, granularity: $granularity) {\n      key currency documents billed { amount } collected { amount }\n    }\n    revenueByDoctor(from: $from, to: $to) {\n      key currency documents billed { amount } collected { amount }\n    }\n    revenueByPayer(from: $from, to: $to) {\n      key currency documents billed { amount } collected { amount }\n    }\n    receivablesAgeing(asOf: $to) { bucket currency invoices outstanding { amount } }\n    claimsByStatus(from: $from, to: $to) { status currency claims amount { amount } }\n    doctors(first: 100) { nodes { id givenName familyName } }\n  }\n": typeof types.BillingReportsDocument,
    "\n  query ReportCsv($report: ReportName!, $from: Date!, $to: Date!, $granularity: ReportGranularity!) {\n    reportCsv(report: $report, from: $from, to: $to, granularity: $granularity, asOf: $to) {\n      filename contentType text\n    }\n  }\n": typeof types.ReportCsvDocument,
    "\n  query UserList($search: String) {\n    me { id }\n    users(first: 100, search: $search) {\n      totalCount\n      nodes { id email displayName role status mfaEnabled }\n    }\n  }\n": typeof types.UserListDocument,
    "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) { id email displayName role status mfaEnabled }\n  }\n": typeof types.CreateUserDocument,
    "\n  mutation UpdateUserRole($userId: ID!, $role: Role!) {\n    updateUserRole(userId: $userId, role: $role) { id role status }\n  }\n": typeof types.UpdateUserRoleDocument,
    "\n  mutation DisableUser($userId: ID!) { disableUser(userId: $userId) { id status } }\n": typeof types.DisableUserDocument,
    "\n  mutation ResetMfa($userId: ID!) { resetMfa(userId: $userId) { id mfaEnabled } }\n": typeof types.ResetMfaDocument,
    "\n  query BookedOnDay($doctorId: ID!, $from: DateTime!, $to: DateTime!) {\n    doctor(id: $doctorId) {\n      id\n      appointments(from: $from, to: $to, first: 100) {\n        nodes { id startsAt endsAt status patient { id givenName familyName } }\n      }\n    }\n  }\n": typeof types.BookedOnDayDocument,
};
const documents: Documents = {
    "\n  fragment SignedIn on AuthPayload {\n    accessToken refreshToken expiresIn mfaRequired mfaEnrollmentRequired mfaToken\n    user { id role displayName }\n  }\n": types.SignedInFragmentDoc,
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) { ...SignedIn }\n  }\n": types.LoginDocument,
    "\n  mutation VerifyMfa($mfaToken: String!, $code: String!) {\n    verifyMfa(mfaToken: $mfaToken, code: $code) { ...SignedIn }\n  }\n": types.VerifyMfaDocument,
    "\n  mutation Refresh($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) { accessToken refreshToken expiresIn }\n  }\n": types.RefreshDocument,
    "\n  mutation Logout($refreshToken: String!) { logout(refreshToken: $refreshToken) }\n": types.LogoutDocument,
    "\n  query MyPatient {\n    me {\n      id\n      patient {\n        id givenName familyName\n        appointments(first: 100) {\n          nodes { id startsAt endsAt status reason doctor { id givenName familyName specialty } }\n        }\n      }\n    }\n    invoices(first: 20) {\n      id number status total { amount currency } amountDue { amount currency } dueAt\n    }\n  }\n": types.MyPatientDocument,
    "\n  query PatientPage($id: ID!) {\n    patient(id: $id) {\n      id givenName familyName\n      appointments(first: 100) {\n        nodes { id startsAt endsAt status reason doctor { id givenName familyName specialty } }\n      }\n    }\n  }\n": types.PatientPageDocument,
    "\n  query MySchedule($from: DateTime!, $to: DateTime!) {\n    me {\n      id\n      doctor {\n        id givenName familyName\n        appointments(from: $from, to: $to, first: 100) {\n          nodes { id startsAt endsAt status reason patient { id givenName familyName } }\n        }\n      }\n    }\n  }\n": types.MyScheduleDocument,
    "\n  subscription AppointmentChanged($doctorId: ID, $patientId: ID) {\n    appointmentChanged(doctorId: $doctorId, patientId: $patientId) {\n      position type appointmentId status startsAt\n    }\n  }\n": types.AppointmentChangedDocument,
    "\n  mutation PayByCard($invoiceId: ID!) {\n    payInvoiceWithStripe(invoiceId: $invoiceId) {\n      clientSecret\n      payment { id status providerReference }\n    }\n  }\n": types.PayByCardDocument,
    "\n  mutation RegisterPatient($input: PatientInput!) {\n    createPatient(input: $input) { id mrn givenName familyName dateOfBirth }\n  }\n": types.RegisterPatientDocument,
    "\n  query SamePatients($search: String!) {\n    patients(search: $search, first: 20, reason: \"Checking for a duplicate before registering\") {\n      nodes { id mrn givenName familyName dateOfBirth }\n    }\n  }\n": types.SamePatientsDocument,
    "\n  query DoctorList {\n    doctors(first: 100) { nodes { id givenName familyName specialty } }\n  }\n": types.DoctorListDocument,
    "\n  fragment ScheduleFields on DoctorSchedule {\n    doctorId timeZone appointmentMinutes version updatedAt\n    weeklyHours { weekday startsAt endsAt }\n    exceptions { id date kind startsAt endsAt reason }\n  }\n": types.ScheduleFieldsFragmentDoc,
    "\n  query DoctorSchedule($doctorId: ID!, $from: DateTime!, $to: DateTime!) {\n    doctorSchedule(doctorId: $doctorId) { ...ScheduleFields }\n    availableSlots(doctorId: $doctorId, from: $from, to: $to) { startsAt endsAt }\n  }\n": types.DoctorScheduleDocument,
    "\n  mutation SetDoctorSchedule($doctorId: ID!, $input: DoctorScheduleInput!) {\n    setDoctorSchedule(doctorId: $doctorId, input: $input) { ...ScheduleFields }\n  }\n": types.SetDoctorScheduleDocument,
    "\n  mutation AddScheduleException($doctorId: ID!, $input: ScheduleExceptionInput!) {\n    addScheduleException(doctorId: $doctorId, input: $input) { id }\n  }\n": types.AddScheduleExceptionDocument,
    "\n  mutation RemoveScheduleException($id: ID!) { removeScheduleException(id: $id) }\n": types.RemoveScheduleExceptionDocument,
    "\n  query BillingReports($from: Date!, $to: Date!, $granularity: ReportGranularity!) {\n    revenueByPeriod(from: $from, to: $to, granularity: $granularity) {\n      key currency documents billed { amount } collected { amount }\n    }\n    revenueByDoctor(from: $from, to: $to) {\n      key currency documents billed { amount } collected { amount }\n    }\n    revenueByPayer(from: $from, to: $to) {\n      key currency documents billed { amount } collected { amount }\n    }\n    receivablesAgeing(asOf: $to) { bucket currency invoices outstanding { amount } }\n    claimsByStatus(from: $from, to: $to) { status currency claims amount { amount } }\n    doctors(first: 100) { nodes { id givenName familyName } }\n  }\n": types.BillingReportsDocument,
    "\n  query ReportCsv($report: ReportName!, $from: Date!, $to: Date!, $granularity: ReportGranularity!) {\n    reportCsv(report: $report, from: $from, to: $to, granularity: $granularity, asOf: $to) {\n      filename contentType text\n    }\n  }\n": types.ReportCsvDocument,
    "\n  query UserList($search: String) {\n    me { id }\n    users(first: 100, search: $search) {\n      totalCount\n      nodes { id email displayName role status mfaEnabled }\n    }\n  }\n": types.UserListDocument,
    "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) { id email displayName role status mfaEnabled }\n  }\n": types.CreateUserDocument,
    "\n  mutation UpdateUserRole($userId: ID!, $role: Role!) {\n    updateUserRole(userId: $userId, role: $role) { id role status }\n  }\n": types.UpdateUserRoleDocument,
    "\n  mutation DisableUser($userId: ID!) { disableUser(userId: $userId) { id status } }\n": types.DisableUserDocument,
    "\n  mutation ResetMfa($userId: ID!) { resetMfa(userId: $userId) { id mfaEnabled } }\n": types.ResetMfaDocument,
    "\n  query BookedOnDay($doctorId: ID!, $from: DateTime!, $to: DateTime!) {\n    doctor(id: $doctorId) {\n      id\n      appointments(from: $from, to: $to, first: 100) {\n        nodes { id startsAt endsAt status patient { id givenName familyName } }\n      }\n    }\n  }\n": types.BookedOnDayDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SignedIn on AuthPayload {\n    accessToken refreshToken expiresIn mfaRequired mfaEnrollmentRequired mfaToken\n    user { id role displayName }\n  }\n"): (typeof documents)["\n  fragment SignedIn on AuthPayload {\n    accessToken refreshToken expiresIn mfaRequired mfaEnrollmentRequired mfaToken\n    user { id role displayName }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) { ...SignedIn }\n  }\n"): (typeof documents)["\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) { ...SignedIn }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation VerifyMfa($mfaToken: String!, $code: String!) {\n    verifyMfa(mfaToken: $mfaToken, code: $code) { ...SignedIn }\n  }\n"): (typeof documents)["\n  mutation VerifyMfa($mfaToken: String!, $code: String!) {\n    verifyMfa(mfaToken: $mfaToken, code: $code) { ...SignedIn }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Refresh($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) { accessToken refreshToken expiresIn }\n  }\n"): (typeof documents)["\n  mutation Refresh($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) { accessToken refreshToken expiresIn }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout($refreshToken: String!) { logout(refreshToken: $refreshToken) }\n"): (typeof documents)["\n  mutation Logout($refreshToken: String!) { logout(refreshToken: $refreshToken) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyPatient {\n    me {\n      id\n      patient {\n        id givenName familyName\n        appointments(first: 100) {\n          nodes { id startsAt endsAt status reason doctor { id givenName familyName specialty } }\n        }\n      }\n    }\n    invoices(first: 20) {\n      id number status total { amount currency } amountDue { amount currency } dueAt\n    }\n  }\n"): (typeof documents)["\n  query MyPatient {\n    me {\n      id\n      patient {\n        id givenName familyName\n        appointments(first: 100) {\n          nodes { id startsAt endsAt status reason doctor { id givenName familyName specialty } }\n        }\n      }\n    }\n    invoices(first: 20) {\n      id number status total { amount currency } amountDue { amount currency } dueAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PatientPage($id: ID!) {\n    patient(id: $id) {\n      id givenName familyName\n      appointments(first: 100) {\n        nodes { id startsAt endsAt status reason doctor { id givenName familyName specialty } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query PatientPage($id: ID!) {\n    patient(id: $id) {\n      id givenName familyName\n      appointments(first: 100) {\n        nodes { id startsAt endsAt status reason doctor { id givenName familyName specialty } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MySchedule($from: DateTime!, $to: DateTime!) {\n    me {\n      id\n      doctor {\n        id givenName familyName\n        appointments(from: $from, to: $to, first: 100) {\n          nodes { id startsAt endsAt status reason patient { id givenName familyName } }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query MySchedule($from: DateTime!, $to: DateTime!) {\n    me {\n      id\n      doctor {\n        id givenName familyName\n        appointments(from: $from, to: $to, first: 100) {\n          nodes { id startsAt endsAt status reason patient { id givenName familyName } }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AppointmentChanged($doctorId: ID, $patientId: ID) {\n    appointmentChanged(doctorId: $doctorId, patientId: $patientId) {\n      position type appointmentId status startsAt\n    }\n  }\n"): (typeof documents)["\n  subscription AppointmentChanged($doctorId: ID, $patientId: ID) {\n    appointmentChanged(doctorId: $doctorId, patientId: $patientId) {\n      position type appointmentId status startsAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PayByCard($invoiceId: ID!) {\n    payInvoiceWithStripe(invoiceId: $invoiceId) {\n      clientSecret\n      payment { id status providerReference }\n    }\n  }\n"): (typeof documents)["\n  mutation PayByCard($invoiceId: ID!) {\n    payInvoiceWithStripe(invoiceId: $invoiceId) {\n      clientSecret\n      payment { id status providerReference }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RegisterPatient($input: PatientInput!) {\n    createPatient(input: $input) { id mrn givenName familyName dateOfBirth }\n  }\n"): (typeof documents)["\n  mutation RegisterPatient($input: PatientInput!) {\n    createPatient(input: $input) { id mrn givenName familyName dateOfBirth }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SamePatients($search: String!) {\n    patients(search: $search, first: 20, reason: \"Checking for a duplicate before registering\") {\n      nodes { id mrn givenName familyName dateOfBirth }\n    }\n  }\n"): (typeof documents)["\n  query SamePatients($search: String!) {\n    patients(search: $search, first: 20, reason: \"Checking for a duplicate before registering\") {\n      nodes { id mrn givenName familyName dateOfBirth }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DoctorList {\n    doctors(first: 100) { nodes { id givenName familyName specialty } }\n  }\n"): (typeof documents)["\n  query DoctorList {\n    doctors(first: 100) { nodes { id givenName familyName specialty } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ScheduleFields on DoctorSchedule {\n    doctorId timeZone appointmentMinutes version updatedAt\n    weeklyHours { weekday startsAt endsAt }\n    exceptions { id date kind startsAt endsAt reason }\n  }\n"): (typeof documents)["\n  fragment ScheduleFields on DoctorSchedule {\n    doctorId timeZone appointmentMinutes version updatedAt\n    weeklyHours { weekday startsAt endsAt }\n    exceptions { id date kind startsAt endsAt reason }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DoctorSchedule($doctorId: ID!, $from: DateTime!, $to: DateTime!) {\n    doctorSchedule(doctorId: $doctorId) { ...ScheduleFields }\n    availableSlots(doctorId: $doctorId, from: $from, to: $to) { startsAt endsAt }\n  }\n"): (typeof documents)["\n  query DoctorSchedule($doctorId: ID!, $from: DateTime!, $to: DateTime!) {\n    doctorSchedule(doctorId: $doctorId) { ...ScheduleFields }\n    availableSlots(doctorId: $doctorId, from: $from, to: $to) { startsAt endsAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetDoctorSchedule($doctorId: ID!, $input: DoctorScheduleInput!) {\n    setDoctorSchedule(doctorId: $doctorId, input: $input) { ...ScheduleFields }\n  }\n"): (typeof documents)["\n  mutation SetDoctorSchedule($doctorId: ID!, $input: DoctorScheduleInput!) {\n    setDoctorSchedule(doctorId: $doctorId, input: $input) { ...ScheduleFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddScheduleException($doctorId: ID!, $input: ScheduleExceptionInput!) {\n    addScheduleException(doctorId: $doctorId, input: $input) { id }\n  }\n"): (typeof documents)["\n  mutation AddScheduleException($doctorId: ID!, $input: ScheduleExceptionInput!) {\n    addScheduleException(doctorId: $doctorId, input: $input) { id }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveScheduleException($id: ID!) { removeScheduleException(id: $id) }\n"): (typeof documents)["\n  mutation RemoveScheduleException($id: ID!) { removeScheduleException(id: $id) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BillingReports($from: Date!, $to: Date!, $granularity: ReportGranularity!) {\n    revenueByPeriod(from: $from, to: $to, granularity: $granularity) {\n      key currency documents billed { amount } collected { amount }\n    }\n    revenueByDoctor(from: $from, to: $to) {\n      key currency documents billed { amount } collected { amount }\n    }\n    revenueByPayer(from: $from, to: $to) {\n      key currency documents billed { amount } collected { amount }\n    }\n    receivablesAgeing(asOf: $to) { bucket currency invoices outstanding { amount } }\n    claimsByStatus(from: $from, to: $to) { status currency claims amount { amount } }\n    doctors(first: 100) { nodes { id givenName familyName } }\n  }\n"): (typeof documents)["\n  query BillingReports($from: Date!, $to: Date!, $granularity: ReportGranularity!) {\n    revenueByPeriod(from: $from, to: $to, granularity: $granularity) {\n      key currency documents billed { amount } collected { amount }\n    }\n    revenueByDoctor(from: $from, to: $to) {\n      key currency documents billed { amount } collected { amount }\n    }\n    revenueByPayer(from: $from, to: $to) {\n      key currency documents billed { amount } collected { amount }\n    }\n    receivablesAgeing(asOf: $to) { bucket currency invoices outstanding { amount } }\n    claimsByStatus(from: $from, to: $to) { status currency claims amount { amount } }\n    doctors(first: 100) { nodes { id givenName familyName } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReportCsv($report: ReportName!, $from: Date!, $to: Date!, $granularity: ReportGranularity!) {\n    reportCsv(report: $report, from: $from, to: $to, granularity: $granularity, asOf: $to) {\n      filename contentType text\n    }\n  }\n"): (typeof documents)["\n  query ReportCsv($report: ReportName!, $from: Date!, $to: Date!, $granularity: ReportGranularity!) {\n    reportCsv(report: $report, from: $from, to: $to, granularity: $granularity, asOf: $to) {\n      filename contentType text\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UserList($search: String) {\n    me { id }\n    users(first: 100, search: $search) {\n      totalCount\n      nodes { id email displayName role status mfaEnabled }\n    }\n  }\n"): (typeof documents)["\n  query UserList($search: String) {\n    me { id }\n    users(first: 100, search: $search) {\n      totalCount\n      nodes { id email displayName role status mfaEnabled }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) { id email displayName role status mfaEnabled }\n  }\n"): (typeof documents)["\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) { id email displayName role status mfaEnabled }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateUserRole($userId: ID!, $role: Role!) {\n    updateUserRole(userId: $userId, role: $role) { id role status }\n  }\n"): (typeof documents)["\n  mutation UpdateUserRole($userId: ID!, $role: Role!) {\n    updateUserRole(userId: $userId, role: $role) { id role status }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisableUser($userId: ID!) { disableUser(userId: $userId) { id status } }\n"): (typeof documents)["\n  mutation DisableUser($userId: ID!) { disableUser(userId: $userId) { id status } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResetMfa($userId: ID!) { resetMfa(userId: $userId) { id mfaEnabled } }\n"): (typeof documents)["\n  mutation ResetMfa($userId: ID!) { resetMfa(userId: $userId) { id mfaEnabled } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BookedOnDay($doctorId: ID!, $from: DateTime!, $to: DateTime!) {\n    doctor(id: $doctorId) {\n      id\n      appointments(from: $from, to: $to, first: 100) {\n        nodes { id startsAt endsAt status patient { id givenName familyName } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query BookedOnDay($doctorId: ID!, $from: DateTime!, $to: DateTime!) {\n    doctor(id: $doctorId) {\n      id\n      appointments(from: $from, to: $to, first: 100) {\n        nodes { id startsAt endsAt status patient { id givenName familyName } }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;