import { useMemo } from "react";
import { useQuery, useSubscription } from "@apollo/client/react";
import { AppointmentChangedDocument, MyScheduleDocument } from "./operations";
import { AppointmentList } from "./Appointments";
import { Problem } from "./Problem";

function today(): { from: string; to: string } {
  const start = new Date();
  start.setHours(0, 0, 0, 0);
  const end = new Date(start);
  end.setDate(end.getDate() + 1);
  return { from: start.toISOString(), to: end.toISOString() };
}

// The doctor's schedule for today, refreshed whenever one of their appointments changes.
export function DoctorToday() {
  const range = useMemo(today, []);
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
  if (loading && !data) return <p role="status">Loading today's schedule…</p>;
  if (error && !data) return <Problem error={error} />;
  if (!doctor) return <p>There is no doctor profile linked to this account.</p>;
  const rows = [...(doctor.appointments?.nodes ?? [])].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  return (
    <>
      <h1>Today's schedule</h1>
      <p>
        Dr {doctor.givenName} {doctor.familyName}
      </p>
      <p className="live" data-testid="live">
        {live.error ? "Live updates are paused." : "Live updates are on."}
      </p>
      <AppointmentList rows={rows} empty="No appointments today." label="Today's appointments" />
    </>
  );
}
