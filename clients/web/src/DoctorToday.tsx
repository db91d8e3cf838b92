import { useMemo, useState } from "react";
import { useQuery, useSubscription } from "@apollo/client/react";
import { AppointmentChangedDocument, MyScheduleDocument } from "./operations";
import { AppointmentList } from "./Appointments";
import { Problem } from "./Problem";

// The day shown: today, or `?day=YYYY-MM-DD` (a link to another day keeps working).
function initialDay(): Date {
  const asked = new URLSearchParams(window.location.search).get("day");
  const match = asked ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(asked) : null;
  const day = match ? new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : new Date();
  day.setHours(0, 0, 0, 0);
  return day;
}

function iso(day: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

// A doctor's schedule for a day (today by default), refreshed whenever one of their appointments
// changes (the appointmentChanged subscription through the router).
export function DoctorToday() {
  const [day, setDay] = useState(initialDay);
  const range = useMemo(() => {
    const end = new Date(day);
    end.setDate(end.getDate() + 1);
    return { from: day.toISOString(), to: end.toISOString() };
  }, [day]);
  const { data, error, loading, refetch } = useQuery(MyScheduleDocument, {
    variables: range,
    fetchPolicy: "cache-and-network",
  });
  const doctor = data?.me.doctor;
  const live = useSubscription(AppointmentChangedDocument, {
    variables: { doctorId: doctor?.id ?? null },
    skip: !doctor,
    onData: () => void refetch(),
  });
  const move = (days: number) => {
    const next = new Date(day);
    next.setDate(next.getDate() + days);
    window.history.replaceState(null, "", `/app/?day=${iso(next)}`);
    setDay(next);
  };
  if (loading && !data) return <p role="status">Loading the schedule…</p>;
  if (error && !data) return <Problem error={error} />;
  if (!doctor) return <p>There is no doctor profile linked to this account.</p>;
  const rows = [...(doctor.appointments?.nodes ?? [])].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const isToday = iso(day) === iso(new Date());
  return (
    <>
      <h1>{isToday ? "Today's schedule" : `Schedule for ${day.toLocaleDateString(undefined, { dateStyle: "full" })}`}</h1>
      <p>
        Dr {doctor.givenName} {doctor.familyName}
      </p>
      <nav aria-label="Day" className="days">
        <button type="button" onClick={() => move(-1)}>Previous day</button>
        <button type="button" onClick={() => move(1)}>Next day</button>
      </nav>
      <p className="live" data-testid="live">
        {live.error ? "Live updates are paused." : "Live updates are on."}
      </p>
      <AppointmentList rows={rows} empty="No appointments on this day." label="Appointments" linkPatients />
    </>
  );
}
