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
    "\n  query MyPatients($search: String) {\n    patients(first: 100, search: $search) {\n      nodes { id mrn givenName familyName dateOfBirth sex }\n    }\n  }\n": typeof types.MyPatientsDocument,
    "\n  fragment RecordFields on MedicalRecord {\n    id patientId appointmentId encounterAt status version updatedAt\n    notes\n    vitals { temperatureC heartRateBpm respiratoryRate systolicMmhg diastolicMmhg oxygenSaturation weightKg heightCm measuredAt }\n    diagnoses { code text primary }\n    allergies { substance reaction severity }\n    medications { name dose frequency route }\n  }\n": typeof types.RecordFieldsFragmentDoc,
    "\n  fragment PrescriptionFields on Prescription {\n    id patientId doctorId medication dose route frequency quantity refills instructions\n    issuedAt status jws keyId revokedAt revocationReason\n  }\n": typeof types.PrescriptionFieldsFragmentDoc,
    "\n  query Chart($id: ID!) {\n    me { id doctor { id } }\n    patient(id: $id) {\n      id mrn givenName familyName dateOfBirth sex email phone\n      address { line1 line2 city region postalCode country }\n      emergencyContact { name relationship phone }\n      insurance { payer memberId }\n      appointments(first: 100) {\n        nodes { id startsAt endsAt status reason doctor { id givenName familyName specialty } }\n      }\n      medicalRecords(first: 50) { nodes { ...RecordFields } }\n      prescriptions(first: 50) { nodes { ...PrescriptionFields } }\n    }\n    careTeam(patientId: $id) { source doctor { id givenName familyName specialty } }\n  }\n": typeof types.ChartDocument,
    "\n  mutation CreateRecord($input: CreateMedicalRecordInput!) {\n    createMedicalRecord(input: $input) { ...RecordFields }\n  }\n": typeof types.CreateRecordDocument,
    "\n  mutation UpdateRecord($input: UpdateMedicalRecordInput!) {\n    updateMedicalRecord(input: $input) { ...RecordFields }\n  }\n": typeof types.UpdateRecordDocument,
    "\n  subscription RecordChanged($patientId: ID!) {\n    medicalRecordChanged(patientId: $patientId) { position change recordId version }\n  }\n": typeof types.RecordChangedDocument,
    "\n  mutation IssuePrescription($input: IssuePrescriptionInput!) {\n    issuePrescription(input: $input) { ...PrescriptionFields }\n  }\n": typeof types.IssuePrescriptionDocument,
    "\n  mutation RevokePrescription($id: ID!, $reason: String!) {\n    revokePrescription(id: $id, reason: $reason) { ...PrescriptionFields }\n  }\n": typeof types.RevokePrescriptionDocument,
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
    "\n  query BookingDoctors($search: String) {\n    doctors(first: 100, search: $search) { nodes { id givenName familyName specialty } }\n  }\n": typeof types.BookingDoctorsDocument,
    "\n  query FreeSlots($doctorId: ID!, $from: DateTime!, $to: DateTime!) {\n    availableSlots(doctorId: $doctorId, from: $from, to: $to) { startsAt endsAt }\n  }\n": typeof types.FreeSlotsDocument,
    "\n  query MyUpcoming($from: DateTime!) {\n    me {\n      id\n      patient {\n        id\n        appointments(first: 100, from: $from, status: [BOOKED, CHECKED_IN]) {\n          nodes { id startsAt endsAt status reason doctor { id givenName familyName specialty } }\n        }\n      }\n    }\n  }\n": typeof types.MyUpcomingDocument,
    "\n  mutation BookSlot($input: BookAppointmentInput!) {\n    bookAppointment(input: $input) {\n      id startsAt endsAt status reason doctor { id givenName familyName specialty }\n    }\n  }\n": typeof types.BookSlotDocument,
    "\n  mutation CancelMine($id: ID!, $reason: String!) {\n    cancelAppointment(id: $id, reason: $reason) { id status cancellationReason }\n  }\n": typeof types.CancelMineDocument,
    "\n  query MyRecords {\n    me {\n      id\n      patient {\n        id\n        medicalRecords(first: 50) {\n          nodes {\n            id encounterAt status version notes\n            vitals { temperatureC heartRateBpm respiratoryRate systolicMmhg diastolicMmhg oxygenSaturation weightKg heightCm }\n            diagnoses { code text primary }\n            allergies { substance reaction severity }\n            medications { name dose frequency route }\n          }\n        }\n        prescriptions(first: 50) {\n          nodes {\n            id medication dose route frequency quantity refills instructions issuedAt status\n            keyId jws revokedAt\n          }\n        }\n      }\n    }\n  }\n": typeof types.MyRecordsDocument,
    "\n  query RecordHistory($recordId: ID!) {\n    medicalRecordHistory(recordId: $recordId) {\n      recordId version status changedAt changedByRole changedFields reason notes\n      diagnoses { code text primary }\n    }\n  }\n": typeof types.RecordHistoryDocument,
    "\n  query PrescriptionPdf($id: ID!) {\n    prescriptionDocument(id: $id) { prescriptionId filename contentType contentBase64 }\n  }\n": typeof types.PrescriptionPdfDocument,
    "\n  query VerifyPrescription($jws: String!) {\n    verifyPrescription(jws: $jws) {\n      status reason prescriptionId keyId issuedAt revokedAt signer { doctorId name licence }\n    }\n  }\n": typeof types.VerifyPrescriptionDocument,
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
    "\n  query MySecurity {\n    me { id email mfaEnabled }\n  }\n": types.MySecurityDocument,
    "\n  mutation EnrollTotp($mfaToken: String) {\n    enrollTotp(mfaToken: $mfaToken) { secret qrCodeSize qrCodeSvgPath }\n  }\n": types.EnrollTotpDocument,
    "\n  mutation ConfirmTotp($code: String!, $mfaToken: String) {\n    confirmTotp(code: $code, mfaToken: $mfaToken) { ...SignedIn recoveryCodes }\n  }\n": types.ConfirmTotpDocument,
    "\n  mutation RegenerateRecoveryCodes {\n    regenerateRecoveryCodes\n  }\n": types.RegenerateRecoveryCodesDocument,
    "\n  query SignInProviders {\n    signInProviders { name label startUrl }\n  }\n": types.SignInProvidersDocument,
    "\n  mutation CompleteOAuthSignIn($code: String!) {\n    completeOAuthSignIn(code: $code) { ...SignedIn }\n  }\n": types.CompleteOAuthSignInDocument,
    "\n  query MyPatients($search: String) {\n    patients(first: 100, search: $search) {\n      nodes { id mrn givenName familyName dateOfBirth sex }\n    }\n  }\n": types.MyPatientsDocument,
    "\n  fragment RecordFields on MedicalRecord {\n    id patientId appointmentId encounterAt status version updatedAt\n    notes\n    vitals { temperatureC heartRateBpm respiratoryRate systolicMmhg diastolicMmhg oxygenSaturation weightKg heightCm measuredAt }\n    diagnoses { code text primary }\n    allergies { substance reaction severity }\n    medications { name dose frequency route }\n  }\n": types.RecordFieldsFragmentDoc,
    "\n  fragment PrescriptionFields on Prescription {\n    id patientId doctorId medication dose route frequency quantity refills instructions\n    issuedAt status jws keyId revokedAt revocationReason\n  }\n": types.PrescriptionFieldsFragmentDoc,
    "\n  query Chart($id: ID!) {\n    me { id doctor { id } }\n    patient(id: $id) {\n      id mrn givenName familyName dateOfBirth sex email phone\n      address { line1 line2 city region postalCode country }\n      emergencyContact { name relationship phone }\n      insurance { payer memberId }\n      appointments(first: 100) {\n        nodes { id startsAt endsAt status reason doctor { id givenName familyName specialty } }\n      }\n      medicalRecords(first: 50) { nodes { ...RecordFields } }\n      prescriptions(first: 50) { nodes { ...PrescriptionFields } }\n    }\n    careTeam(patientId: $id) { source doctor { id givenName familyName specialty } }\n  }\n": types.ChartDocument,
    "\n  mutation CreateRecord($input: CreateMedicalRecordInput!) {\n    createMedicalRecord(input: $input) { ...RecordFields }\n  }\n": types.CreateRecordDocument,
    "\n  mutation UpdateRecord($input: UpdateMedicalRecordInput!) {\n    updateMedicalRecord(input: $input) { ...RecordFields }\n  }\n": types.UpdateRecordDocument,
    "\n  subscription RecordChanged($patientId: ID!) {\n    medicalRecordChanged(patientId: $patientId) { position change recordId version }\n  }\n": types.RecordChangedDocument,
    "\n  mutation IssuePrescription($input: IssuePrescriptionInput!) {\n    issuePrescription(input: $input) { ...PrescriptionFields }\n  }\n": types.IssuePrescriptionDocument,
    "\n  mutation RevokePrescription($id: ID!, $reason: String!) {\n    revokePrescription(id: $id, reason: $reason) { ...PrescriptionFields }\n  }\n": types.RevokePrescriptionDocument,
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
    "\n  query BookingDoctors($search: String) {\n    doctors(first: 100, search: $search) { nodes { id givenName familyName specialty } }\n  }\n": types.BookingDoctorsDocument,
    "\n  query FreeSlots($doctorId: ID!, $from: DateTime!, $to: DateTime!) {\n    availableSlots(doctorId: $doctorId, from: $from, to: $to) { startsAt endsAt }\n  }\n": types.FreeSlotsDocument,
    "\n  query MyUpcoming($from: DateTime!) {\n    me {\n      id\n      patient {\n        id\n        appointments(first: 100, from: $from, status: [BOOKED, CHECKED_IN]) {\n          nodes { id startsAt endsAt status reason doctor { id givenName familyName specialty } }\n        }\n      }\n    }\n  }\n": types.MyUpcomingDocument,
    "\n  mutation BookSlot($input: BookAppointmentInput!) {\n    bookAppointment(input: $input) {\n      id startsAt endsAt status reason doctor { id givenName familyName specialty }\n    }\n  }\n": types.BookSlotDocument,
    "\n  mutation CancelMine($id: ID!, $reason: String!) {\n    cancelAppointment(id: $id, reason: $reason) { id status cancellationReason }\n  }\n": types.CancelMineDocument,
    "\n  query MyRecords {\n    me {\n      id\n      patient {\n        id\n        medicalRecords(first: 50) {\n          nodes {\n            id encounterAt status version notes\n            vitals { temperatureC heartRateBpm respiratoryRate systolicMmhg diastolicMmhg oxygenSaturation weightKg heightCm }\n            diagnoses { code text primary }\n            allergies { substance reaction severity }\n            medications { name dose frequency route }\n          }\n        }\n        prescriptions(first: 50) {\n          nodes {\n            id medication dose route frequency quantity refills instructions issuedAt status\n            keyId jws revokedAt\n          }\n        }\n      }\n    }\n  }\n": types.MyRecordsDocument,
    "\n  query RecordHistory($recordId: ID!) {\n    medicalRecordHistory(recordId: $recordId) {\n      recordId version status changedAt changedByRole changedFields reason notes\n      diagnoses { code text primary }\n    }\n  }\n": types.RecordHistoryDocument,
    "\n  query PrescriptionPdf($id: ID!) {\n    prescriptionDocument(id: $id) { prescriptionId filename contentType contentBase64 }\n  }\n": types.PrescriptionPdfDocument,
    "\n  query VerifyPrescription($jws: String!) {\n    verifyPrescription(jws: $jws) {\n      status reason prescriptionId keyId issuedAt revokedAt signer { doctorId name licence }\n    }\n  }\n": types.VerifyPrescriptionDocument,
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
export function graphql(source: "\n  query MyPatients($search: String) {\n    patients(first: 100, search: $search) {\n      nodes { id mrn givenName familyName dateOfBirth sex }\n    }\n  }\n"): (typeof documents)["\n  query MyPatients($search: String) {\n    patients(first: 100, search: $search) {\n      nodes { id mrn givenName familyName dateOfBirth sex }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RecordFields on MedicalRecord {\n    id patientId appointmentId encounterAt status version updatedAt\n    notes\n    vitals { temperatureC heartRateBpm respiratoryRate systolicMmhg diastolicMmhg oxygenSaturation weightKg heightCm measuredAt }\n    diagnoses { code text primary }\n    allergies { substance reaction severity }\n    medications { name dose frequency route }\n  }\n"): (typeof documents)["\n  fragment RecordFields on MedicalRecord {\n    id patientId appointmentId encounterAt status version updatedAt\n    notes\n    vitals { temperatureC heartRateBpm respiratoryRate systolicMmhg diastolicMmhg oxygenSaturation weightKg heightCm measuredAt }\n    diagnoses { code text primary }\n    allergies { substance reaction severity }\n    medications { name dose frequency route }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PrescriptionFields on Prescription {\n    id patientId doctorId medication dose route frequency quantity refills instructions\n    issuedAt status jws keyId revokedAt revocationReason\n  }\n"): (typeof documents)["\n  fragment PrescriptionFields on Prescription {\n    id patientId doctorId medication dose route frequency quantity refills instructions\n    issuedAt status jws keyId revokedAt revocationReason\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Chart($id: ID!) {\n    me { id doctor { id } }\n    patient(id: $id) {\n      id mrn givenName familyName dateOfBirth sex email phone\n      address { line1 line2 city region postalCode country }\n      emergencyContact { name relationship phone }\n      insurance { payer memberId }\n      appointments(first: 100) {\n        nodes { id startsAt endsAt status reason doctor { id givenName familyName specialty } }\n      }\n      medicalRecords(first: 50) { nodes { ...RecordFields } }\n      prescriptions(first: 50) { nodes { ...PrescriptionFields } }\n    }\n    careTeam(patientId: $id) { source doctor { id givenName familyName specialty } }\n  }\n"): (typeof documents)["\n  query Chart($id: ID!) {\n    me { id doctor { id } }\n    patient(id: $id) {\n      id mrn givenName familyName dateOfBirth sex email phone\n      address { line1 line2 city region postalCode country }\n      emergencyContact { name relationship phone }\n      insurance { payer memberId }\n      appointments(first: 100) {\n        nodes { id startsAt endsAt status reason doctor { id givenName familyName specialty } }\n      }\n      medicalRecords(first: 50) { nodes { ...RecordFields } }\n      prescriptions(first: 50) { nodes { ...PrescriptionFields } }\n    }\n    careTeam(patientId: $id) { source doctor { id givenName familyName specialty } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateRecord($input: CreateMedicalRecordInput!) {\n    createMedicalRecord(input: $input) { ...RecordFields }\n  }\n"): (typeof documents)["\n  mutation CreateRecord($input: CreateMedicalRecordInput!) {\n    createMedicalRecord(input: $input) { ...RecordFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateRecord($input: UpdateMedicalRecordInput!) {\n    updateMedicalRecord(input: $input) { ...RecordFields }\n  }\n"): (typeof documents)["\n  mutation UpdateRecord($input: UpdateMedicalRecordInput!) {\n    updateMedicalRecord(input: $input) { ...RecordFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription RecordChanged($patientId: ID!) {\n    medicalRecordChanged(patientId: $patientId) { position change recordId version }\n  }\n"): (typeof documents)["\n  subscription RecordChanged($patientId: ID!) {\n    medicalRecordChanged(patientId: $patientId) { position change recordId version }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation IssuePrescription($input: IssuePrescriptionInput!) {\n    issuePrescription(input: $input) { ...PrescriptionFields }\n  }\n"): (typeof documents)["\n  mutation IssuePrescription($input: IssuePrescriptionInput!) {\n    issuePrescription(input: $input) { ...PrescriptionFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokePrescription($id: ID!, $reason: String!) {\n    revokePrescription(id: $id, reason: $reason) { ...PrescriptionFields }\n  }\n"): (typeof documents)["\n  mutation RevokePrescription($id: ID!, $reason: String!) {\n    revokePrescription(id: $id, reason: $reason) { ...PrescriptionFields }\n  }\n"];
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
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BookingDoctors($search: String) {\n    doctors(first: 100, search: $search) { nodes { id givenName familyName specialty } }\n  }\n"): (typeof documents)["\n  query BookingDoctors($search: String) {\n    doctors(first: 100, search: $search) { nodes { id givenName familyName specialty } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FreeSlots($doctorId: ID!, $from: DateTime!, $to: DateTime!) {\n    availableSlots(doctorId: $doctorId, from: $from, to: $to) { startsAt endsAt }\n  }\n"): (typeof documents)["\n  query FreeSlots($doctorId: ID!, $from: DateTime!, $to: DateTime!) {\n    availableSlots(doctorId: $doctorId, from: $from, to: $to) { startsAt endsAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyUpcoming($from: DateTime!) {\n    me {\n      id\n      patient {\n        id\n        appointments(first: 100, from: $from, status: [BOOKED, CHECKED_IN]) {\n          nodes { id startsAt endsAt status reason doctor { id givenName familyName specialty } }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query MyUpcoming($from: DateTime!) {\n    me {\n      id\n      patient {\n        id\n        appointments(first: 100, from: $from, status: [BOOKED, CHECKED_IN]) {\n          nodes { id startsAt endsAt status reason doctor { id givenName familyName specialty } }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BookSlot($input: BookAppointmentInput!) {\n    bookAppointment(input: $input) {\n      id startsAt endsAt status reason doctor { id givenName familyName specialty }\n    }\n  }\n"): (typeof documents)["\n  mutation BookSlot($input: BookAppointmentInput!) {\n    bookAppointment(input: $input) {\n      id startsAt endsAt status reason doctor { id givenName familyName specialty }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelMine($id: ID!, $reason: String!) {\n    cancelAppointment(id: $id, reason: $reason) { id status cancellationReason }\n  }\n"): (typeof documents)["\n  mutation CancelMine($id: ID!, $reason: String!) {\n    cancelAppointment(id: $id, reason: $reason) { id status cancellationReason }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyRecords {\n    me {\n      id\n      patient {\n        id\n        medicalRecords(first: 50) {\n          nodes {\n            id encounterAt status version notes\n            vitals { temperatureC heartRateBpm respiratoryRate systolicMmhg diastolicMmhg oxygenSaturation weightKg heightCm }\n            diagnoses { code text primary }\n            allergies { substance reaction severity }\n            medications { name dose frequency route }\n          }\n        }\n        prescriptions(first: 50) {\n          nodes {\n            id medication dose route frequency quantity refills instructions issuedAt status\n            keyId jws revokedAt\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query MyRecords {\n    me {\n      id\n      patient {\n        id\n        medicalRecords(first: 50) {\n          nodes {\n            id encounterAt status version notes\n            vitals { temperatureC heartRateBpm respiratoryRate systolicMmhg diastolicMmhg oxygenSaturation weightKg heightCm }\n            diagnoses { code text primary }\n            allergies { substance reaction severity }\n            medications { name dose frequency route }\n          }\n        }\n        prescriptions(first: 50) {\n          nodes {\n            id medication dose route frequency quantity refills instructions issuedAt status\n            keyId jws revokedAt\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecordHistory($recordId: ID!) {\n    medicalRecordHistory(recordId: $recordId) {\n      recordId version status changedAt changedByRole changedFields reason notes\n      diagnoses { code text primary }\n    }\n  }\n"): (typeof documents)["\n  query RecordHistory($recordId: ID!) {\n    medicalRecordHistory(recordId: $recordId) {\n      recordId version status changedAt changedByRole changedFields reason notes\n      diagnoses { code text primary }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PrescriptionPdf($id: ID!) {\n    prescriptionDocument(id: $id) { prescriptionId filename contentType contentBase64 }\n  }\n"): (typeof documents)["\n  query PrescriptionPdf($id: ID!) {\n    prescriptionDocument(id: $id) { prescriptionId filename contentType contentBase64 }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VerifyPrescription($jws: String!) {\n    verifyPrescription(jws: $jws) {\n      status reason prescriptionId keyId issuedAt revokedAt signer { doctorId name licence }\n    }\n  }\n"): (typeof documents)["\n  query VerifyPrescription($jws: String!) {\n    verifyPrescription(jws: $jws) {\n      status reason prescriptionId keyId issuedAt revokedAt signer { doctorId name licence }\n    }\n  }\n"];
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