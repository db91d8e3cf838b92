import { useEffect, useState } from "react";
import type { AppConfig } from "./config";
import { getSession, onSession, type Session } from "./session";
import { SignIn } from "./SignIn";
import { useSessionKeeper } from "./keeper";
import { PatientHome } from "./PatientHome";
import { PatientPage } from "./PatientPage";
import { DoctorToday } from "./DoctorToday";
import { Link } from "./Link";
import { MyInvoices } from "./money/MyInvoices";
import { InvoicePage } from "./money/InvoicePage";
import { PayPalReturn } from "./money/PayPalReturn";
import { RETURN_PREFIX } from "./money/paypal";
import { MyDetails } from "./patient-self/MyDetails";
import { AccessLog } from "./patient-self/AccessLog";

function usePath(): string {
  const [path, setPath] = useState(window.location.pathname);
  useEffect(() => {
    const update = () => setPath(window.location.pathname);
    window.addEventListener("popstate", update);
    return () => window.removeEventListener("popstate", update);
  }, []);
  return path;
}

export function App({ config }: { config: AppConfig }) {
  const [session, setSession] = useState<Session | null>(getSession());
  const [notice, setNotice] = useState<string | null>(null);
  const path = usePath();
  useEffect(
    () =>
      onSession((next, reason) => {
        setSession(next);
        if (reason) setNotice(reason);
      }),
    [],
  );
  const signOut = useSessionKeeper(session, config.idleMinutes);

  // PayPal sends its window back here: no session in that window, nothing else to show.
  if (path.startsWith(RETURN_PREFIX)) return <PayPalReturn />;
  if (!session) {
    return (
      <main className="page">
        <h1>healthgraph</h1>
        {notice && (
          <p className="notice" role="status" data-testid="notice">
            {notice}
          </p>
        )}
        <SignIn onSignedIn={() => setNotice(null)} />
      </main>
    );
  }
  const patientMatch = /^\/app\/patients\/([^/]+)\/?$/.exec(path);
  let screen;
  const invoiceMatch = /^\/app\/invoices\/([^/]+)\/?$/.exec(path);
  if (patientMatch) screen = <PatientPage id={decodeURIComponent(patientMatch[1])} />;
  else if (invoiceMatch) screen = <InvoicePage id={decodeURIComponent(invoiceMatch[1])} config={config} />;
  else if (/^\/app\/invoices\/?$/.test(path)) screen = <MyInvoices />;
  else if (/^\/app\/me\/details\/?$/.test(path)) screen = <MyDetails />;
  else if (/^\/app\/me\/access\/?$/.test(path)) screen = <AccessLog />;
  else if (session.role === "PATIENT") screen = <PatientHome config={config} />;
  else if (session.role === "DOCTOR") screen = <DoctorToday />;
  else screen = <p>Signed in as {session.role}. More screens for this role are coming.</p>;
  return (
    <>
      <header className="bar">
        <Link to="/app/" className="brand">healthgraph</Link>
        {session.role === "PATIENT" && (
          <nav aria-label="My account" className="nav">
            <Link to="/app/invoices">Invoices</Link>
            <Link to="/app/me/details">My details</Link>
            <Link to="/app/me/access">Who accessed my record</Link>
          </nav>
        )}
        <span data-testid="who">
          {session.displayName} ({session.role.toLowerCase()})
        </span>
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <main className="page">{screen}</main>
    </>
  );
}
