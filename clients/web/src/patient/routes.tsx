import type { ReactNode } from "react";
import type { AppConfig } from "../config";
import { Link } from "../Link";
import { InvoicePage } from "../money/InvoicePage";
import { MyInvoices } from "../money/MyInvoices";
import { AccessLog } from "../patient-self/AccessLog";
import { MyDetails } from "../patient-self/MyDetails";
import { BookAppointment } from "./BookAppointment";
import { MyRecords } from "./MyRecords";

// The patient's screens beyond the start page, by path (null: not one of them).
export function patientScreen(path: string, config: AppConfig): ReactNode | null {
  const page = path.replace(/\/+$/, "");
  if (page === "/app/book") return <BookAppointment />;
  if (page === "/app/records") return <MyRecords />;
  if (page === "/app/invoices") return <MyInvoices />;
  if (page === "/app/me/details") return <MyDetails />;
  if (page === "/app/me/access") return <AccessLog />;
  const invoice = /^\/app\/invoices\/([^/]+)$/.exec(page);
  if (invoice) return <InvoicePage id={decodeURIComponent(invoice[1])} config={config} />;
  return null;
}

export function PatientNav() {
  return (
    <nav aria-label="My pages" className="nav">
      <Link to="/app/">Appointments</Link>
      <Link to="/app/book">Book</Link>
      <Link to="/app/records">Records</Link>
      <Link to="/app/invoices">Invoices</Link>
      <Link to="/app/me/details">My details</Link>
      <Link to="/app/me/access">Who accessed my record</Link>
    </nav>
  );
}
