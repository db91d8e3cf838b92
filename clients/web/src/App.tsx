import { useEffect, useState } from "react";
import type { AppConfig } from "./config";
import { getSession, onSession, type Session } from "./session";
import { SignIn } from "./SignIn";
import { useSessionKeeper } from "./keeper";
import { PatientHome } from "./PatientHome";
import { PatientPage } from "./PatientPage";
import { DoctorToday } from "./DoctorToday";
import { Link } from "./Link";
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
  const desk = deskScreen(path, session.role);
  let screen;
  if (patientMatch) screen = <PatientPage id={decodeURIComponent(patientMatch[1])} />;
  else if (desk) screen = desk;
  else if (session.role === "PATIENT") screen = <PatientHome config={config} />;
  else if (session.role === "DOCTOR") screen = <DoctorToday />;
  else screen = <p>Signed in as {session.role}. More screens for this role are coming.</p>;
  return (
    <>
      <header className="bar">
        <Link to="/app/" className="brand">healthgraph</Link>
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
