import { useEffect, useState } from "react";
import type { AppConfig } from "./config";
import { getSession, onSession, type Session } from "./session";
import { SignIn } from "./SignIn";
import { useSessionKeeper } from "./keeper";
import { PatientHome } from "./PatientHome";
import { PatientPage } from "./PatientPage";
import { DoctorToday } from "./DoctorToday";
import { Link, navigate } from "./Link";
import { DoctorChart } from "./doctor/DoctorChart";
import { MyPatients } from "./doctor/MyPatients";
import { DoctorNav } from "./doctor/DoctorNav";
import { PatientNav, patientScreen } from "./patient/routes";
import { PayPalReturn } from "./money/PayPalReturn";
import { RETURN_PREFIX } from "./money/paypal";
import { AccountSecurity } from "./account/AccountSecurity";
import { OidcReturn } from "./account/OidcReturn";
import { OIDC_RETURN_PATH } from "./account/oidc";
import { deskScreen } from "./staff/routes";

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
        {path === OIDC_RETURN_PATH ? (
          <OidcReturn onSignedIn={() => { setNotice(null); navigate("/app/"); }} />
        ) : (
          <SignIn onSignedIn={() => setNotice(null)} />
        )}
      </main>
    );
  }
  const patientMatch = /^\/app\/patients\/([^/]+)\/?$/.exec(path);
  const desk = deskScreen(path, session.role);
  let screen;
  const doctor = session.role === "DOCTOR";
  if (path === "/app/account" || path === "/app/account/") screen = <AccountSecurity />;
  else if (patientMatch && doctor) screen = <DoctorChart id={decodeURIComponent(patientMatch[1])} />;
  else if (patientMatch) screen = <PatientPage id={decodeURIComponent(patientMatch[1])} />;
  else if (desk) screen = desk;
  else if (doctor && /^\/app\/patients\/?$/.test(path)) screen = <MyPatients />;
  else if (session.role === "PATIENT") screen = patientScreen(path, config) ?? <PatientHome config={config} />;
  else if (session.role === "DOCTOR") screen = <DoctorToday />;
  else screen = <p>This account's role ({session.role.toLowerCase()}) has no screens in this app.</p>;
  return (
    <>
      <header className="bar">
        <Link to="/app/" className="brand">healthgraph</Link>
        {doctor && <DoctorNav />}
        {session.role === "PATIENT" && <PatientNav />}
        <span data-testid="who">
          {session.displayName} ({session.role.toLowerCase()})
        </span>
        <Link to="/app/account">Account</Link>
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <main className="page">{screen}</main>
    </>
  );
}
