import type { ReactNode } from "react";
import { Link } from "../Link";
import { RegisterPatient } from "./RegisterPatient";
import { Availability } from "./Availability";
import { Reports } from "./Reports";
import { Users } from "./Users";
import "./staff.css";

// The desk's screens (STAFF and ADMIN): a home with navigation, and one screen per task.
type Screen = { path: string; title: string; blurb: string; adminOnly?: boolean; render: () => ReactNode };

const SCREENS: Screen[] = [
  { path: "/app/staff/register", title: "Register a patient", blurb: "Add a new patient and open their page.", render: () => <RegisterPatient /> },
  { path: "/app/staff/availability", title: "Doctors' availability", blurb: "Weekly hours, days off and extra hours; free slots.", render: () => <Availability /> },
  { path: "/app/staff/reports", title: "Billing reports", blurb: "Revenue, receivables ageing and claims, with CSV downloads.", render: () => <Reports /> },
  { path: "/app/admin/users", title: "Users and roles", blurb: "Create accounts, change roles, disable, reset MFA.", adminOnly: true, render: () => <Users /> },
];

const isDesk = (role: string) => role === "STAFF" || role === "ADMIN";

function DeskNav({ role, path }: { role: string; path: string }) {
  return (
    <nav className="desk-nav" aria-label="Desk">
      <ul>
        <li><Link to="/app/">Desk home</Link></li>
        {SCREENS.filter((s) => !s.adminOnly || role === "ADMIN").map((s) => (
          <li key={s.path}>
            {s.path === path ? <a href={s.path} aria-current="page">{s.title}</a> : <Link to={s.path}>{s.title}</Link>}
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Refusal({ title, why }: { title: string; why: string }) {
  return (
    <>
      <h1>{title}</h1>
      <p className="error" role="alert" data-testid="refusal">{why}</p>
      <Link to="/app/">Back to the start</Link>
    </>
  );
}

function DeskHome({ role }: { role: string }) {
  return (
    <>
      <h1>{role === "ADMIN" ? "Administration" : "Front desk"}</h1>
      <ul className="tiles" data-testid="desk-home">
        {SCREENS.filter((s) => !s.adminOnly || role === "ADMIN").map((s) => (
          <li key={s.path}>
            <Link to={s.path}>{s.title}</Link>
            <p className="muted">{s.blurb}</p>
          </li>
        ))}
      </ul>
    </>
  );
}

// The screen for `path`, or null when the path is not the desk's (the app routes it elsewhere).
export function deskScreen(path: string, role: string): ReactNode | null {
  const clean = path.replace(/\/+$/, "");
  const screen = SCREENS.find((s) => s.path === clean);
  if (screen) {
    if (screen.adminOnly && role !== "ADMIN") {
      return <Refusal title={screen.title} why="Only an administrator can manage users and roles. Your account cannot open this page." />;
    }
    if (!isDesk(role)) {
      return <Refusal title={screen.title} why="This page is for the clinic's front desk and administrators. Your account cannot open it." />;
    }
    return (
      <>
        <DeskNav role={role} path={clean} />
        {screen.render()}
      </>
    );
  }
  // the desk's start page, also for any other address the desk has no screen for
  if (isDesk(role)) return <DeskHome role={role} />;
  return null;
}
