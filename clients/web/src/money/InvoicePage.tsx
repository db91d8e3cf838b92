import { useEffect, useRef, useState, type FormEvent } from "react";
import { useMutation, useQuery } from "@apollo/client/react";
import type { AppConfig } from "../config";
import {
  CapturePayPalPaymentDocument,
  InvoiceDetailDocument,
  StartPayPalPaymentDocument,
} from "./operations";
import { PayByCardDocument } from "../operations";
import { confirmCard } from "./card";
import { listenForPayPal, openApprovalWindow, type PayPalOutcome } from "./paypal";
import { paymentInWords, statusInWords } from "./status";
import { Link } from "../Link";
import { Problem } from "../Problem";
import { money, when } from "../format";

const WAIT_MS = 60_000; // how long to keep asking whether the provider's webhook has landed

type Waiting = { paymentId: string; token: string; popup: Window };

// One invoice: its lines and payments, paid by card (Stripe) or PayPal through the providers.
export function InvoicePage({ id, config }: { id: string; config: AppConfig }) {
  const { data, error, loading, refetch, startPolling, stopPolling } = useQuery(InvoiceDetailDocument, {
    variables: { id },
    fetchPolicy: "cache-and-network",
  });
  const [startCard] = useMutation(PayByCardDocument);
  const [startPayPal] = useMutation(StartPayPalPaymentDocument);
  const [capture] = useMutation(CapturePayPalPaymentDocument);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const [declined, setDeclined] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [card, setCard] = useState("");
  const waiting = useRef<Waiting | null>(null);
  const pollTimer = useRef<number | undefined>(undefined);
  const invoice = data?.invoice;
  const paid = invoice?.status === "PAID";

  const reset = () => {
    setProblem(null);
    setDeclined(null);
    setNote(null);
  };

  const waitForProvider = (message: string) => {
    setNote(message);
    startPolling(1000);
    window.clearTimeout(pollTimer.current);
    pollTimer.current = window.setTimeout(() => stopPolling(), WAIT_MS);
  };

  useEffect(() => {
    if (paid) {
      stopPolling();
      setNote(null);
    }
  }, [paid, stopPolling]);
  useEffect(() => () => window.clearTimeout(pollTimer.current), []);

  // The PayPal window reports back here; the latest render's handler answers.
  const onPayPal = useRef<(outcome: PayPalOutcome) => void>(() => {});
  onPayPal.current = (outcome) => {
    const pending = waiting.current;
    if (!pending || pending.token !== outcome.token) return;
    waiting.current = null;
    if (!pending.popup.closed) pending.popup.close(); // it closes itself too; this window may
    if (outcome.outcome === "cancelled") {
      setNote("You cancelled the payment at PayPal. Nothing was paid and the invoice is still open.");
      return;
    }
    setBusy(true);
    setNote("PayPal approved the payment. Taking it now…");
    capture({ variables: { paymentId: pending.paymentId } })
      .then(() => waitForProvider("PayPal has taken the payment. Waiting for PayPal to confirm it…"))
      .catch((caught: unknown) => {
        setNote(null);
        setProblem(caught);
      })
      .finally(() => setBusy(false));
  };
  useEffect(() => listenForPayPal((outcome) => onPayPal.current(outcome)), []);

  // A PayPal window closed without a decision: say so (after a grace for a late message).
  useEffect(() => {
    const timer = window.setInterval(() => {
      const pending = waiting.current;
      if (!pending?.popup.closed) return;
      window.setTimeout(() => {
        if (waiting.current !== pending) return;
        waiting.current = null;
        setNote("The PayPal window was closed before the payment was approved. Nothing was paid.");
      }, 1500);
    }, 500);
    return () => window.clearInterval(timer);
  }, []);

  if (loading && !data) return <p role="status">Loading the invoice…</p>;
  if (error && !data) return <Problem error={error} />;
  if (!invoice) return <p role="alert">We could not find this invoice.</p>;

  const payable = invoice.status === "ISSUED" || invoice.status === "PARTIALLY_PAID";

  const payByCard = async (event: FormEvent) => {
    event.preventDefault();
    reset();
    if (!config.stripeApiBase) {
      setNote("Card payments are not available here.");
      return;
    }
    setBusy(true);
    try {
      const { data: started } = await startCard({ variables: { invoiceId: invoice.id } });
      const intent = started?.payInvoiceWithStripe;
      if (!intent?.payment.providerReference) throw new Error("no payment intent");
      const outcome = await confirmCard(config.stripeApiBase, intent.payment.providerReference, intent.clientSecret, card);
      if (outcome.ok) waitForProvider("Payment sent. Waiting for the card provider to confirm it…");
      else {
        setDeclined(outcome.reason);
        window.setTimeout(() => void refetch(), 1500); // the failed payment, once its webhook lands
      }
    } catch (caught) {
      setProblem(caught);
    } finally {
      setBusy(false);
    }
  };

  const payWithPayPal = async () => {
    reset();
    const popup = openApprovalWindow(); // opened now, while the click still counts
    if (!popup) {
      setNote("Your browser blocked the PayPal window. Please allow pop-ups for this site and try again.");
      return;
    }
    setBusy(true);
    try {
      const { data: started } = await startPayPal({ variables: { invoiceId: invoice.id } });
      const order = started?.payInvoiceWithPayPal;
      const token = order?.payment.providerReference;
      if (!order || !token || !/^https?:\/\//.test(order.approvalUrl)) throw new Error("no PayPal order");
      waiting.current = { paymentId: order.payment.id, token, popup };
      popup.location.href = order.approvalUrl;
      setNote("Approve the payment in the PayPal window.");
    } catch (caught) {
      popup.close();
      setProblem(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <p>
        <Link to="/app/invoices">← My invoices</Link>
      </p>
      <h1>Invoice {invoice.number ?? "(draft)"}</h1>
      <dl className="facts" data-invoice={invoice.id} data-status={invoice.status}>
        <dt>Status</dt>
        <dd data-testid="invoice-status">{statusInWords(invoice.status)}</dd>
        <dt>Total</dt>
        <dd>{money(invoice.total)}</dd>
        <dt>Paid so far</dt>
        <dd>{money(invoice.amountPaid)}</dd>
        <dt>Left to pay</dt>
        <dd>{money(invoice.amountDue)}</dd>
        {invoice.dueAt && (
          <>
            <dt>Due</dt>
            <dd>{when(invoice.dueAt)}</dd>
          </>
        )}
        {invoice.paidAt && (
          <>
            <dt>Paid on</dt>
            <dd>{when(invoice.paidAt)}</dd>
          </>
        )}
      </dl>
      <section aria-labelledby="lines-title">
        <h2 id="lines-title">What it is for</h2>
        <ul className="list" aria-label="Invoice lines">
          {invoice.lines.map((line) => (
            <li key={line.id}>
              {line.quantity} × {line.description} <span>{money(line.total)}</span>
            </li>
          ))}
        </ul>
      </section>

      <Problem error={problem} />
      {declined && (
        <p className="error" role="alert" data-testid="declined">
          {declined}
        </p>
      )}
      {note && (
        <p className="notice" role="status" data-testid="payment-note">
          {note}
        </p>
      )}
      {paid && (
        <p className="paid" role="status" data-testid="paid">
          This invoice is paid. Thank you.
        </p>
      )}

      {payable && (
        <section aria-labelledby="pay-title">
          <h2 id="pay-title">Pay {money(invoice.amountDue)}</h2>
          <form className="card" onSubmit={(event) => void payByCard(event)} aria-labelledby="card-title">
            <h3 id="card-title">By card</h3>
            <label htmlFor="card-number">Card number</label>
            <input id="card-number" name="card-number" inputMode="numeric" autoComplete="cc-number"
              aria-describedby="card-hint" value={card} onChange={(e) => setCard(e.target.value)} required />
            <p id="card-hint" className="hint">
              Test mode: 4242 4242 4242 4242 pays; 4000 0000 0000 0002 is declined.
            </p>
            <button type="submit" disabled={busy}>Pay by card</button>
          </form>
          <div className="card">
            <h3>With PayPal</h3>
            <p className="hint">PayPal opens in a new window; come back here when you have approved.</p>
            <button type="button" disabled={busy} onClick={() => void payWithPayPal()} data-testid="pay-paypal">
              Pay with PayPal
            </button>
          </div>
        </section>
      )}

      <section aria-labelledby="payments-title">
        <h2 id="payments-title">Payments</h2>
        {data.payments.length === 0 ? (
          <p>No payments yet.</p>
        ) : (
          <ul className="list" aria-label="Payments">
            {data.payments.map((payment) => (
              <li key={payment.id} data-payment={payment.id} data-payment-status={payment.status}>
                {payment.provider === "PAYPAL" ? "PayPal" : "Card"} · {money(payment.amount)} ·{" "}
                {paymentInWords(payment.status)} · {when(payment.createdAt)}
                {payment.failureMessage && <span> ({payment.failureMessage})</span>}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
