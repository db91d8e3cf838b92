const INVOICE: Record<string, string> = {
  DRAFT: "draft",
  ISSUED: "unpaid",
  PARTIALLY_PAID: "partly paid",
  PAID: "paid",
  VOID: "cancelled",
};

export function statusInWords(status: string): string {
  return INVOICE[status] ?? status.toLowerCase().replace(/_/g, " ");
}

const PAYMENT: Record<string, string> = {
  PENDING: "waiting",
  SUCCEEDED: "paid",
  FAILED: "failed",
  REFUNDED: "refunded",
  REJECTED: "held for the billing desk",
};

export function paymentInWords(status: string): string {
  return PAYMENT[status] ?? status.toLowerCase();
}
