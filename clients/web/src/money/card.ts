// What Stripe.js's confirmCardPayment does in the payer's browser: POST the PaymentIntent's
// confirm URL with its client secret and the card (the provider allows the app's origin by CORS),
// then read the answer. A decline comes back as the intent's last_payment_error (or an error
// object); the invoice itself only changes when the provider's webhook reaches billing.

// Stripe's test Visa that always pays (the home page's one-click demo payment uses it).
export const TEST_CARD = "4242424242424242";

export type CardOutcome = { ok: true } | { ok: false; reason: string };

type StripeError = { code?: string; decline_code?: string; message?: string };

// Stripe's decline codes in plain words for the person paying.
const DECLINES: Record<string, string> = {
  generic_decline: "Your card was declined. Nothing was taken; try another card or ask your bank.",
  card_declined: "Your card was declined. Nothing was taken; try another card or ask your bank.",
  insufficient_funds: "Your card was declined because there is not enough money on it. Nothing was taken.",
  incorrect_number: "That card number is not right. Please check it and try again.",
  invalid_number: "That card number is not right. Please check it and try again.",
  expired_card: "Your card has expired. Please use another card.",
  incorrect_cvc: "The security code (CVC) is not right. Please check it.",
};

export function declineInWords(error: StripeError): string {
  const known = DECLINES[error.decline_code ?? ""] ?? DECLINES[error.code ?? ""];
  if (known) return known;
  return error.message ? `Your card was not accepted: ${error.message}` : DECLINES.card_declined;
}

export async function confirmCard(
  apiBase: string,
  intentId: string,
  clientSecret: string,
  cardNumber: string,
): Promise<CardOutcome> {
  const body = new URLSearchParams({
    client_secret: clientSecret,
    "payment_method_data[type]": "card",
    "payment_method_data[card][number]": cardNumber.replace(/[\s-]/g, ""),
  });
  let answer: { error?: StripeError; last_payment_error?: StripeError | null; status?: string };
  try {
    const response = await fetch(`${apiBase}/v1/payment_intents/${encodeURIComponent(intentId)}/confirm`, {
      method: "POST",
      body,
    });
    answer = (await response.json()) as typeof answer;
  } catch {
    return { ok: false, reason: "We cannot reach the card provider right now. Nothing was taken; please try again." };
  }
  if (answer.error) return { ok: false, reason: declineInWords(answer.error) };
  if (answer.last_payment_error) return { ok: false, reason: declineInWords(answer.last_payment_error) };
  if (answer.status === "succeeded" || answer.status === "processing") return { ok: true };
  return { ok: false, reason: "The card payment did not go through. Nothing was taken; please try again." };
}
