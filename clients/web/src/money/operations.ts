import { graphql } from "../gql";

export const MyInvoicesDocument = graphql(`
  query MyInvoices {
    invoices(first: 50) {
      id number status total { amount currency } amountDue { amount currency } issuedAt dueAt
    }
  }
`);

export const InvoiceDetailDocument = graphql(`
  query InvoiceDetail($id: ID!) {
    invoice(id: $id) {
      id number status issuedAt dueAt paidAt
      total { amount currency } amountPaid { amount currency } amountDue { amount currency }
      lines { id position description quantity total { amount currency } }
    }
    payments(invoiceId: $id) {
      id provider status amount { amount currency } failureMessage createdAt
    }
  }
`);

export const StartPayPalPaymentDocument = graphql(`
  mutation StartPayPalPayment($invoiceId: ID!) {
    payInvoiceWithPayPal(invoiceId: $invoiceId) {
      approvalUrl
      payment { id status providerReference }
    }
  }
`);

export const CapturePayPalPaymentDocument = graphql(`
  mutation CapturePayPalPayment($paymentId: ID!) {
    capturePayPalPayment(paymentId: $paymentId) { id status }
  }
`);
