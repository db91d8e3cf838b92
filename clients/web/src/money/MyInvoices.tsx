import { useQuery } from "@apollo/client/react";
import { MyInvoicesDocument } from "./operations";
import { Link } from "../Link";
import { Problem } from "../Problem";
import { money, when } from "../format";
import { statusInWords } from "./status";

export function MyInvoices() {
  const { data, error, loading } = useQuery(MyInvoicesDocument, { fetchPolicy: "cache-and-network" });
  if (loading && !data) return <p role="status">Loading your invoices…</p>;
  if (error && !data) return <Problem error={error} />;
  const invoices = data?.invoices ?? [];
  return (
    <>
      <h1>My invoices</h1>
      {invoices.length === 0 ? (
        <p>You have no invoices.</p>
      ) : (
        <ul className="list" aria-label="My invoices">
          {invoices.map((invoice) => (
            <li key={invoice.id} data-invoice={invoice.id} data-status={invoice.status}>
              <Link to={`/app/invoices/${encodeURIComponent(invoice.id)}`}>
                {invoice.number ?? "Draft invoice"}
              </Link>
              <span>{money(invoice.total)}</span>
              <span className="status">{statusInWords(invoice.status)}</span>
              {invoice.dueAt && invoice.status !== "PAID" && <span>due {when(invoice.dueAt)}</span>}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
