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
    "\n  query MyInvoices {\n    invoices(first: 50) {\n      id number status total { amount currency } amountDue { amount currency } issuedAt dueAt\n    }\n  }\n": typeof types.MyInvoicesDocument,
    "\n  query InvoiceDetail($id: ID!) {\n    invoice(id: $id) {\n      id number status issuedAt dueAt paidAt\n      total { amount currency } amountPaid { amount currency } amountDue { amount currency }\n      lines { id position description quantity total { amount currency } }\n    }\n    payments(invoiceId: $id) {\n      id provider status amount { amount currency } failureMessage createdAt\n    }\n  }\n": typeof types.InvoiceDetailDocument,
    "\n  mutation StartPayPalPayment($invoiceId: ID!) {\n    payInvoiceWithPayPal(invoiceId: $invoiceId) {\n      approvalUrl\n      payment { id status providerReference }\n    }\n  }\n": typeof types.StartPayPalPaymentDocument,
    "\n  mutation CapturePayPalPayment($paymentId: ID!) {\n    capturePayPalPayment(paymentId: $paymentId) { id status }\n  }\n": typeof types.CapturePayPalPaymentDocument,
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
    "\n  query MyContactDetails {\n    me {\n      id\n      patient {\n        id givenName familyName email phone version\n        address { line1 line2 city region postalCode country }\n      }\n    }\n  }\n": typeof types.MyContactDetailsDocument,
    "\n  mutation UpdateMyContactDetails($input: ContactDetailsInput!, $expectedVersion: Int) {\n    updateMyContactDetails(input: $input, expectedVersion: $expectedVersion) {\n      id email phone version\n      address { line1 line2 city region postalCode country }\n    }\n  }\n": typeof types.UpdateMyContactDetailsDocument,
    "\n  query MyAccessLog($patientId: ID!, $after: String) {\n    accessLog(patientId: $patientId, first: 20, after: $after) {\n      nodes {\n        sequence at actorUserId actorName actorRole action allowed reason denialMessage\n        breakGlass purpose basis parts { type } # no id: parts of one patient share it (cache)\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.MyAccessLogDocument,
    "\n  query MyPatientId {\n    me { id patient { id } }\n  }\n": typeof types.MyPatientIdDocument,
};
const documents: Documents = {
    "\n  query MyInvoices {\n    invoices(first: 50) {\n      id number status total { amount currency } amountDue { amount currency } issuedAt dueAt\n    }\n  }\n": types.MyInvoicesDocument,
    "\n  query InvoiceDetail($id: ID!) {\n    invoice(id: $id) {\n      id number status issuedAt dueAt paidAt\n      total { amount currency } amountPaid { amount currency } amountDue { amount currency }\n      lines { id position description quantity total { amount currency } }\n    }\n    payments(invoiceId: $id) {\n      id provider status amount { amount currency } failureMessage createdAt\n    }\n  }\n": types.InvoiceDetailDocument,
    "\n  mutation StartPayPalPayment($invoiceId: ID!) {\n    payInvoiceWithPayPal(invoiceId: $invoiceId) {\n      approvalUrl\n      payment { id status providerReference }\n    }\n  }\n": types.StartPayPalPaymentDocument,
    "\n  mutation CapturePayPalPayment($paymentId: ID!) {\n    capturePayPalPayment(paymentId: $paymentId) { id status }\n  }\n": types.CapturePayPalPaymentDocument,
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
    "\n  query MyContactDetails {\n    me {\n      id\n      patient {\n        id givenName familyName email phone version\n        address { line1 line2 city region postalCode country }\n      }\n    }\n  }\n": types.MyContactDetailsDocument,
    "\n  mutation UpdateMyContactDetails($input: ContactDetailsInput!, $expectedVersion: Int) {\n    updateMyContactDetails(input: $input, expectedVersion: $expectedVersion) {\n      id email phone version\n      address { line1 line2 city region postalCode country }\n    }\n  }\n": types.UpdateMyContactDetailsDocument,
    "\n  query MyAccessLog($patientId: ID!, $after: String) {\n    accessLog(patientId: $patientId, first: 20, after: $after) {\n      nodes {\n        sequence at actorUserId actorName actorRole action allowed reason denialMessage\n        breakGlass purpose basis parts { type } # no id: parts of one patient share it (cache)\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.MyAccessLogDocument,
    "\n  query MyPatientId {\n    me { id patient { id } }\n  }\n": types.MyPatientIdDocument,
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
export function graphql(source: "\n  query MyInvoices {\n    invoices(first: 50) {\n      id number status total { amount currency } amountDue { amount currency } issuedAt dueAt\n    }\n  }\n"): (typeof documents)["\n  query MyInvoices {\n    invoices(first: 50) {\n      id number status total { amount currency } amountDue { amount currency } issuedAt dueAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InvoiceDetail($id: ID!) {\n    invoice(id: $id) {\n      id number status issuedAt dueAt paidAt\n      total { amount currency } amountPaid { amount currency } amountDue { amount currency }\n      lines { id position description quantity total { amount currency } }\n    }\n    payments(invoiceId: $id) {\n      id provider status amount { amount currency } failureMessage createdAt\n    }\n  }\n"): (typeof documents)["\n  query InvoiceDetail($id: ID!) {\n    invoice(id: $id) {\n      id number status issuedAt dueAt paidAt\n      total { amount currency } amountPaid { amount currency } amountDue { amount currency }\n      lines { id position description quantity total { amount currency } }\n    }\n    payments(invoiceId: $id) {\n      id provider status amount { amount currency } failureMessage createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartPayPalPayment($invoiceId: ID!) {\n    payInvoiceWithPayPal(invoiceId: $invoiceId) {\n      approvalUrl\n      payment { id status providerReference }\n    }\n  }\n"): (typeof documents)["\n  mutation StartPayPalPayment($invoiceId: ID!) {\n    payInvoiceWithPayPal(invoiceId: $invoiceId) {\n      approvalUrl\n      payment { id status providerReference }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CapturePayPalPayment($paymentId: ID!) {\n    capturePayPalPayment(paymentId: $paymentId) { id status }\n  }\n"): (typeof documents)["\n  mutation CapturePayPalPayment($paymentId: ID!) {\n    capturePayPalPayment(paymentId: $paymentId) { id status }\n  }\n"];
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
export function graphql(source: "\n  query MyContactDetails {\n    me {\n      id\n      patient {\n        id givenName familyName email phone version\n        address { line1 line2 city region postalCode country }\n      }\n    }\n  }\n"): (typeof documents)["\n  query MyContactDetails {\n    me {\n      id\n      patient {\n        id givenName familyName email phone version\n        address { line1 line2 city region postalCode country }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateMyContactDetails($input: ContactDetailsInput!, $expectedVersion: Int) {\n    updateMyContactDetails(input: $input, expectedVersion: $expectedVersion) {\n      id email phone version\n      address { line1 line2 city region postalCode country }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateMyContactDetails($input: ContactDetailsInput!, $expectedVersion: Int) {\n    updateMyContactDetails(input: $input, expectedVersion: $expectedVersion) {\n      id email phone version\n      address { line1 line2 city region postalCode country }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyAccessLog($patientId: ID!, $after: String) {\n    accessLog(patientId: $patientId, first: 20, after: $after) {\n      nodes {\n        sequence at actorUserId actorName actorRole action allowed reason denialMessage\n        breakGlass purpose basis parts { type } # no id: parts of one patient share it (cache)\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query MyAccessLog($patientId: ID!, $after: String) {\n    accessLog(patientId: $patientId, first: 20, after: $after) {\n      nodes {\n        sequence at actorUserId actorName actorRole action allowed reason denialMessage\n        breakGlass purpose basis parts { type } # no id: parts of one patient share it (cache)\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyPatientId {\n    me { id patient { id } }\n  }\n"): (typeof documents)["\n  query MyPatientId {\n    me { id patient { id } }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;