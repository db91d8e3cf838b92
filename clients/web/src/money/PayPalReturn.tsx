import { useEffect } from "react";
import { outcomeOf, reportOutcome } from "./paypal";

// The page PayPal sends the buyer's window back to: it passes the outcome to the app's window
// (which captures the payment) and closes itself.
export function PayPalReturn() {
  const outcome = outcomeOf(window.location);
  useEffect(() => {
    if (!outcome) return;
    reportOutcome(outcome);
    const timer = window.setTimeout(() => window.close(), 300);
    return () => window.clearTimeout(timer);
  }, [outcome?.outcome, outcome?.token]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <main className="page">
      <h1>PayPal</h1>
      <p role="status" data-testid="paypal-return">
        {outcome === null
          ? "This page only makes sense coming back from PayPal."
          : outcome.outcome === "approved"
            ? "Thank you. Your approval was passed on: you can close this window and go back to your invoice."
            : "You cancelled at PayPal. Nothing was paid: you can close this window and go back to your invoice."}
      </p>
    </main>
  );
}
