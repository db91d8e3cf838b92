import { when } from "./format";
import { Link } from "./Link";

type Row = {
  id: string;
  startsAt: string;
  status: string;
  reason?: string | null;
  doctor?: { givenName: string; familyName: string; specialty: string } | null;
  patient?: { id: string; givenName: string; familyName: string } | null;
};

// `linkPatients`: each patient's name opens their chart (a doctor's schedule).
export function AppointmentList({ rows, empty, label, linkPatients }: { rows: Row[]; empty: string; label: string; linkPatients?: boolean }) {
  if (rows.length === 0) return <p>{empty}</p>;
  return (
    <ul className="list" aria-label={label}>
      {rows.map((row) => (
        <li key={row.id} data-appointment={row.id}>
          <strong>{when(row.startsAt)}</strong>{" "}
          {row.doctor && <span>Dr {row.doctor.givenName} {row.doctor.familyName} ({row.doctor.specialty})</span>}
          {row.patient && !linkPatients && <span>{row.patient.givenName} {row.patient.familyName}</span>}
          {row.patient && linkPatients && <Link to={`/app/patients/${encodeURIComponent(row.patient.id)}`}>{row.patient.givenName} {row.patient.familyName}</Link>}
          {row.reason && <span> · {row.reason}</span>}
          <span className={`status status-${row.status.toLowerCase()}`}> {row.status.toLowerCase().replace(/_/g, " ")}</span>
        </li>
      ))}
    </ul>
  );
}

export function splitByTime<T extends { startsAt: string }>(rows: T[]): { upcoming: T[]; past: T[] } {
  const now = Date.now();
  const upcoming = rows.filter((r) => Date.parse(r.startsAt) >= now).sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const past = rows.filter((r) => Date.parse(r.startsAt) < now).sort((a, b) => b.startsAt.localeCompare(a.startsAt));
  return { upcoming, past };
}

// A person's appointments in two titled sections, upcoming then past (`idPrefix` keeps the
// headings' ids unique on the page).
export function AppointmentSections({ rows, idPrefix }: { rows: Row[]; idPrefix: string }) {
  const { upcoming, past } = splitByTime(rows);
  return (
    <>
      <section aria-labelledby={`${idPrefix}-upcoming-title`}>
        <h2 id={`${idPrefix}-upcoming-title`}>Upcoming appointments</h2>
        <AppointmentList rows={upcoming} empty="No upcoming appointments." label="Upcoming appointments" />
      </section>
      <section aria-labelledby={`${idPrefix}-past-title`}>
        <h2 id={`${idPrefix}-past-title`}>Past appointments</h2>
        <AppointmentList rows={past} empty="No past appointments." label="Past appointments" />
      </section>
    </>
  );
}
