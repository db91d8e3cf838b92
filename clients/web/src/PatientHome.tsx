import { useState } from "react";
import { useMutation, useQuery, useSubscription } from "@apollo/client/react";
import type { AppConfig } from "./config";
import { AppointmentChangedDocument, MyPatientDocument, PayByCardDocument } from "./operations";
import { AppointmentList, splitByTime } from "./Appointments";
import { Problem } from "./Problem";
import { money } from "./format";
import { confirmCard, TEST_CARD } from "./money/card";
import { Link } from "./Link";

export function PatientHome({ config }: { config: AppConfig }) {
  const { data, error, loading, refetch, startPolling, stopPolling } = useQuery(MyPatientDocument, {
    fetchPolicy: "cache-and-network",
  });
  const patient = data?.me.patient;
  const live = useSubscription(AppointmentChangedDocument, {
    variables: { patientId: patient?.id ?? null },
    skip: !patient,
    onData: () => void refetch(),
  });
  const [pay] = useMutation(PayByCardDocument);
  const [paying, setPaying] = useState<string | null>(null);
  const [payProblem, setPayProblem] = useState<unknown>(null);
  const [payNote, setPayNote] = useState<string | null>(null);

  if (loading && !data) return <p role="status">Loading your appointments…</p>;
  if (error && !data) return <Problem error={error} />;
  if (!patient) return <p>There is no patient record linked to this account.</p>;

  const { upcoming, past } = splitByTime(patient.appointments?.nodes ?? []);
  const invoices = data?.invoices ?? [];

  const payByCard = async (invoiceId: string) => {
    setPayProblem(null);
    setPayNote(null);
    if (!config.stripeApiBase) {
      setPayNote("Card payments are not available here.");
      return;
    }
    setPaying(invoiceId);
    try {
      const { data: paid } = await pay({ variables: { invoiceId } });
      const started = paid?.payInvoiceWithStripe;
      if (!started?.payment.providerReference) throw new Error("no payment intent");
      const outcome = await confirmCard(
        config.stripeApiBase, started.payment.providerReference, started.clientSecret, TEST_CARD);
      if (!outcome.ok) {
        setPayNote(outcome.reason);
        return;
      }
      setPayNote("Payment sent. Waiting for the card provider to confirm it…");
      startPolling(1000);
      window.setTimeout(() => stopPolling(), 60_000);
    } catch (caught) {
      setPayProblem(caught);
    } finally {
      setPaying(null);
    }
  };

  return (
    <>
      <h1>
        Hello, {patient.givenName} {patient.familyName}
      </h1>
      <p className="live" data-testid="live">
        {live.error ? "Live updates are paused." : "Live updates are on."}
      </p>
      <section aria-labelledby="upcoming-title">
        <h2 id="upcoming-title">Upcoming appointments</h2>
        <AppointmentList rows={upcoming} empty="No upcoming appointments." label="Upcoming appointments" />
      </section>
      <section aria-labelledby="past-title">
        <h2 id="past-title">Past appointments</h2>
        <AppointmentList rows={past} empty="No past appointments." label="Past appointments" />
      </section>
      <section aria-labelledby="invoices-title">
        <h2 id="invoices-title">My invoices</h2>
        <Problem error={payProblem} />
        {payNote && <p role="status">{payNote}</p>}
        {invoices.length === 0 ? (
          <p>No invoices.</p>
        ) : (
          <ul className="list" aria-label="My invoices">
            {invoices.map((invoice) => (
              <li key={invoice.id} data-invoice={invoice.id} data-status={invoice.status}>
                <Link to={`/app/invoices/${encodeURIComponent(invoice.id)}`}>
                  <strong>{invoice.number ?? "Draft"}</strong>
                </Link>{" "}
                {money(invoice.total)} ·{" "}
                <span className="status">{invoice.status.toLowerCase().replace(/_/g, " ")}</span>
                {(invoice.status === "ISSUED" || invoice.status === "PARTIALLY_PAID") && (
                  <button type="button" disabled={paying !== null} onClick={() => void payByCard(invoice.id)}>
                    Pay {money(invoice.amountDue)} by card
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
