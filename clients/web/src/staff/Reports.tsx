import { useState, type ReactNode } from "react";
import { useApolloClient, useQuery } from "@apollo/client/react";
import type { ReportGranularity, ReportName } from "../gql/graphql";
import { BillingReportsDocument, ReportCsvDocument } from "./operations";
import { DeskProblem } from "./Problem";
import { saveText } from "../shared/download";

const iso = (day: Date) => day.toISOString().slice(0, 10);

function thisYear(): { from: string; to: string } {
  const today = new Date();
  return { from: `${today.getUTCFullYear()}-01-01`, to: iso(today) };
}

type Column = { title: string; numeric?: boolean };

function Table({ caption, columns, rows, empty }: { caption: string; columns: Column[]; rows: ReactNode[][]; empty: string }) {
  if (rows.length === 0) return <p>{empty}</p>;
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>{columns.map((c) => <th key={c.title} scope="col" className={c.numeric ? "num" : undefined}>{c.title}</th>)}</tr>
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <tr key={r}>
              {row.map((cell, c) => (c === 0 ? <th key={c} scope="row">{cell}</th> : <td key={c} className={columns[c].numeric ? "num" : undefined}>{cell}</td>))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Download({ report, label, from, to, granularity }: { report: ReportName; label: string; from: string; to: string; granularity: ReportGranularity }) {
  const client = useApolloClient();
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setProblem(null);
    setBusy(true);
    try {
      const { data } = await client.query({ query: ReportCsvDocument, variables: { report, from, to, granularity }, fetchPolicy: "no-cache" });
      if (data) saveText(data.reportCsv.filename, data.reportCsv.contentType, data.reportCsv.text);
    } catch (caught) {
      setProblem(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className="secondary" onClick={() => void download()} disabled={busy} data-testid={`csv-${report}`}>
        Download {label} (CSV)
      </button>
      <DeskProblem error={problem} />
    </>
  );
}

const REVENUE: Column[] = [{ title: "" }, { title: "Currency" }, { title: "Documents", numeric: true }, { title: "Billed", numeric: true }, { title: "Collected", numeric: true }];

export function Reports() {
  const [period, setPeriod] = useState(thisYear);
  const [granularity, setGranularity] = useState<ReportGranularity>("MONTH");
  const [shown, setShown] = useState({ ...thisYear(), granularity: "MONTH" as ReportGranularity });
  const { data, error, loading } = useQuery(BillingReportsDocument, { variables: shown, fetchPolicy: "cache-and-network" });
  const doctorNames = new Map((data?.doctors?.nodes ?? []).map((d) => [d.id, `Dr ${d.givenName} ${d.familyName}`]));
  const revenueRows = (rows: NonNullable<typeof data>["revenueByPeriod"], name: (key: string) => string) =>
    rows.map((r) => [name(r.key), r.currency, r.documents, r.billed.amount, r.collected?.amount ?? "—"]);
  const common = { from: shown.from, to: shown.to, granularity: shown.granularity };

  return (
    <>
      <h1>Billing reports</h1>
      <form className="row" aria-label="Report period" onSubmit={(e) => { e.preventDefault(); setShown({ ...period, granularity }); }}>
        <div className="field">
          <label htmlFor="report-from">From</label>
          <input id="report-from" type="date" value={period.from} onChange={(e) => setPeriod((p) => ({ ...p, from: e.target.value }))} required />
        </div>
        <div className="field">
          <label htmlFor="report-to">To (included)</label>
          <input id="report-to" type="date" value={period.to} onChange={(e) => setPeriod((p) => ({ ...p, to: e.target.value }))} required />
        </div>
        <div className="field">
          <label htmlFor="report-granularity">Revenue per</label>
          <select id="report-granularity" value={granularity} onChange={(e) => setGranularity(e.target.value as ReportGranularity)}>
            <option value="DAY">Day</option>
            <option value="WEEK">Week</option>
            <option value="MONTH">Month</option>
          </select>
        </div>
        <button type="submit">Show</button>
      </form>
      {loading && !data && <p role="status">Loading the reports…</p>}
      <DeskProblem error={error} />
      {data && (
        <div data-testid="reports">
          <h2>Revenue by period</h2>
          <Table caption={`Revenue per ${shown.granularity.toLowerCase()}, ${shown.from} to ${shown.to}`} columns={[{ title: "Period starting" }, ...REVENUE.slice(1)]} rows={revenueRows(data.revenueByPeriod, (k) => k)} empty="No revenue in this period." />
          <Download report="REVENUE_BY_PERIOD" label="revenue by period" {...common} />
          <h2>Revenue by doctor</h2>
          <Table caption={`Revenue per doctor, ${shown.from} to ${shown.to}`} columns={[{ title: "Doctor" }, ...REVENUE.slice(1)]} rows={revenueRows(data.revenueByDoctor, (k) => doctorNames.get(k) ?? (k === "unattributed" ? "Not attributed to a doctor" : k))} empty="No revenue in this period." />
          <Download report="REVENUE_BY_DOCTOR" label="revenue by doctor" {...common} />
          <h2>Revenue by payer</h2>
          <Table caption={`Revenue per payer, ${shown.from} to ${shown.to}`} columns={[{ title: "Payer" }, ...REVENUE.slice(1)]} rows={revenueRows(data.revenueByPayer, (k) => k)} empty="No revenue in this period." />
          <Download report="REVENUE_BY_PAYER" label="revenue by payer" {...common} />
          <h2>Receivables ageing</h2>
          <Table caption={`What open invoices owe by days past due, as of ${shown.to}`} columns={[{ title: "Days past due" }, { title: "Currency" }, { title: "Invoices", numeric: true }, { title: "Outstanding", numeric: true }]} rows={data.receivablesAgeing.map((r) => [r.bucket, r.currency, r.invoices, r.outstanding.amount])} empty="Nothing is owed." />
          <Download report="RECEIVABLES_AGEING" label="receivables ageing" {...common} />
          <h2>Claims by status</h2>
          <Table caption={`Insurance claims submitted ${shown.from} to ${shown.to}`} columns={[{ title: "Status" }, { title: "Currency" }, { title: "Claims", numeric: true }, { title: "Amount", numeric: true }]} rows={data.claimsByStatus.map((r) => [r.status.charAt(0) + r.status.slice(1).toLowerCase(), r.currency, r.claims, r.amount.amount])} empty="No claims submitted in this period." />
          <Download report="CLAIMS_BY_STATUS" label="claims by status" {...common} />
        </div>
      )}
    </>
  );
}
