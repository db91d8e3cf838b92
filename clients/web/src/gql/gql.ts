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
    "\n  query MySecurity {\n    me { id email mfaEnabled }\n  }\n": typeof types.MySecurityDocument,
    "\n  mutation EnrollTotp($mfaToken: String) {\n    enrollTotp(mfaToken: $mfaToken) { secret qrCodeSize qrCodeSvgPath }\n  }\n": typeof types.EnrollTotpDocument,
    "\n  mutation ConfirmTotp($code: String!, $mfaToken: String) {\n    confirmTotp(code: $code, mfaToken: $mfaToken) { ...SignedIn recoveryCodes }\n  }\n": typeof types.ConfirmTotpDocument,
    "\n  mutation RegenerateRecoveryCodes {\n    regenerateRecoveryCodes\n  }\n": typeof types.RegenerateRecoveryCodesDocument,
    "\n  query SignInProviders {\n    signInProviders { name label startUrl }\n  }\n": typeof types.SignInProvidersDocument,
    "\n  mutation CompleteOAuthSignIn($code: String!) {\n    completeOAuthSignIn(code: $code) { ...SignedIn }\n  }\n": typeof types.CompleteOAuthSignInDocument,
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
};
const documents: Documents = {
    "\n  query MySecurity {\n    me { id email mfaEnabled }\n  }\n": types.MySecurityDocument,
    "\n  mutation EnrollTotp($mfaToken: String) {\n    enrollTotp(mfaToken: $mfaToken) { secret qrCodeSize qrCodeSvgPath }\n  }\n": types.EnrollTotpDocument,
    "\n  mutation ConfirmTotp($code: String!, $mfaToken: String) {\n    confirmTotp(code: $code, mfaToken: $mfaToken) { ...SignedIn recoveryCodes }\n  }\n": types.ConfirmTotpDocument,
    "\n  mutation RegenerateRecoveryCodes {\n    regenerateRecoveryCodes\n  }\n": types.RegenerateRecoveryCodesDocument,
    "\n  query SignInProviders {\n    signInProviders { name label startUrl }\n  }\n": types.SignInProvidersDocument,
    "\n  mutation CompleteOAuthSignIn($code: String!) {\n    completeOAuthSignIn(code: $code) { ...SignedIn }\n  }\n": types.CompleteOAuthSignInDocument,
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
export function graphql(source: "\n  query MySecurity {\n    me { id email mfaEnabled }\n  }\n"): (typeof documents)["\n  query MySecurity {\n    me { id email mfaEnabled }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EnrollTotp($mfaToken: String) {\n    enrollTotp(mfaToken: $mfaToken) { secret qrCodeSize qrCodeSvgPath }\n  }\n"): (typeof documents)["\n  mutation EnrollTotp($mfaToken: String) {\n    enrollTotp(mfaToken: $mfaToken) { secret qrCodeSize qrCodeSvgPath }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmTotp($code: String!, $mfaToken: String) {\n    confirmTotp(code: $code, mfaToken: $mfaToken) { ...SignedIn recoveryCodes }\n  }\n"): (typeof documents)["\n  mutation ConfirmTotp($code: String!, $mfaToken: String) {\n    confirmTotp(code: $code, mfaToken: $mfaToken) { ...SignedIn recoveryCodes }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RegenerateRecoveryCodes {\n    regenerateRecoveryCodes\n  }\n"): (typeof documents)["\n  mutation RegenerateRecoveryCodes {\n    regenerateRecoveryCodes\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SignInProviders {\n    signInProviders { name label startUrl }\n  }\n"): (typeof documents)["\n  query SignInProviders {\n    signInProviders { name label startUrl }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CompleteOAuthSignIn($code: String!) {\n    completeOAuthSignIn(code: $code) { ...SignedIn }\n  }\n"): (typeof documents)["\n  mutation CompleteOAuthSignIn($code: String!) {\n    completeOAuthSignIn(code: $code) { ...SignedIn }\n  }\n"];
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

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;