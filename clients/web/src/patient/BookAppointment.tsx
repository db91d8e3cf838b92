import { useEffect, useMemo, useState } from "react";
import { useMutation, useQuery, useSubscription } from "@apollo/client/react";
import { AppointmentChangedDocument } from "../operations";
import { Link } from "../Link";
import { Problem } from "../Problem";
import { when } from "../format";
import { plainError } from "../errors";
import { BookingDoctorsDocument, BookSlotDocument, CancelMineDocument, FreeSlotsDocument, MyUpcomingDocument } from "./operations";
import { bookingProblem, dayOf, dayWindow, timeOf } from "./words";

type Doctor = { id: string; givenName: string; familyName: string; specialty: string };
type Upcoming = { id: string; startsAt: string; reason?: string | null; doctor?: Doctor | null };

function doctorName(doctor: Doctor | null | undefined): string {
  return doctor ? `Dr ${doctor.givenName} ${doctor.familyName}` : "the doctor";
}

function newKey(): string | undefined {
  return typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : undefined;
}

// Book a free slot of a chosen doctor on a chosen day; cancel one of my upcoming appointments.
export function BookAppointment() {
  const tomorrow = useMemo(() => {
    const next = new Date();
    next.setDate(next.getDate() + 1);
    return dayOf(next);
  }, []);
  const [doctor, setDoctor] = useState<Doctor | null>(null);
  const doctorId = doctor?.id ?? "";
  const [day, setDay] = useState(tomorrow);
  const [chosen, setChosen] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [now] = useState(() => new Date().toISOString());

  const [search, setSearch] = useState("");
  const [searched, setSearched] = useState("");
  useEffect(() => {
    const timer = window.setTimeout(() => setSearched(search.trim()), 300);
    return () => window.clearTimeout(timer);
  }, [search]);
  const doctors = useQuery(BookingDoctorsDocument, { variables: { search: searched || null } });
  const window_ = dayWindow(day);
  const slots = useQuery(FreeSlotsDocument, {
    variables: { doctorId, from: window_?.from ?? now, to: window_?.to ?? now },
    skip: !doctorId || !window_,
    fetchPolicy: "network-only",
  });
  const mine = useQuery(MyUpcomingDocument, { variables: { from: now }, fetchPolicy: "cache-and-network" });
  const [book, booking] = useMutation(BookSlotDocument);
  const patientId = mine.data?.me.patient?.id;
  // live: a booking or cancellation made elsewhere (the front desk, another tab) shows here too
  useSubscription(AppointmentChangedDocument, {
    variables: { patientId: patientId ?? null },
    skip: !patientId,
    onData: () => void Promise.all([mine.refetch(), doctorId ? slots.refetch() : null]),
  });

  const found: Doctor[] = doctors.data?.doctors?.nodes ?? doctors.previousData?.doctors?.nodes ?? [];
  // the chosen doctor stays listed while another search runs
  const doctorList = doctor && !found.some((d) => d.id === doctor.id) ? [doctor, ...found] : found;
  const free = slots.data?.availableSlots ?? [];

  const reset = () => {
    setChosen(null);
    setProblem(null);
    setDone(null);
  };

  const confirm = async () => {
    if (!chosen || !patientId) return;
    setProblem(null);
    setDone(null);
    try {
      const { data } = await book({
        variables: {
          input: {
            patientId,
            doctorId,
            startsAt: chosen,
            reason: reason.trim() || null,
            idempotencyKey: newKey(),
          },
        },
      });
      const made = data?.bookAppointment;
      setDone(`Booked: ${when(made?.startsAt ?? chosen)} with ${doctorName(made?.doctor ?? doctor)}.`);
      setChosen(null);
      setReason("");
    } catch (caught) {
      setProblem(bookingProblem(caught));
      setChosen(null);
    }
    await Promise.all([slots.refetch(), mine.refetch()]);
  };

  return (
    <>
      <h1>Book an appointment</h1>
      <p>
        <Link to="/app/">Back to my appointments</Link>
      </p>
      <section aria-labelledby="choose-title">
        <h2 id="choose-title">Choose a doctor and a day</h2>
        <Problem error={doctors.error} />
        <div className="card">
          <label htmlFor="find-doctor">Find a doctor by name (optional)</label>
          <input id="find-doctor" type="search" value={search} maxLength={100} onChange={(event) => setSearch(event.target.value)} />
          <label htmlFor="doctor">Doctor</label>
          <select
            id="doctor"
            value={doctorId}
            onChange={(event) => {
              setDoctor(doctorList.find((d) => d.id === event.target.value) ?? null);
              reset();
            }}
          >
            <option value="">Choose a doctor…</option>
            {doctorList.map((d) => (
              <option key={d.id} value={d.id}>
                Dr {d.givenName} {d.familyName} ({d.specialty})
              </option>
            ))}
          </select>
          <label htmlFor="day">Day</label>
          <input
            id="day"
            type="date"
            min={dayOf(new Date())}
            value={day}
            onChange={(event) => {
              setDay(event.target.value);
              reset();
            }}
          />
        </div>
      </section>
      <section aria-labelledby="slots-title">
        <h2 id="slots-title">Free times</h2>
        {problem && (
          <p className="error" role="alert" data-testid="error">
            {problem}
          </p>
        )}
        {done && (
          <p className="done" role="status" data-testid="booked">
            {done}
          </p>
        )}
        {!doctorId ? (
          <p>Choose a doctor to see their free times.</p>
        ) : !window_ ? (
          <p>Choose a day.</p>
        ) : slots.error ? (
          <Problem error={slots.error} />
        ) : slots.loading && !slots.data ? (
          <p role="status">Looking for free times…</p>
        ) : free.length === 0 ? (
          <p data-testid="no-slots">No free times that day. Try another day.</p>
        ) : (
          <ul className="slots" aria-label="Free times">
            {free.map((slot) => (
              <li key={slot.startsAt}>
                <button
                  type="button"
                  className="slot"
                  aria-pressed={chosen === slot.startsAt}
                  data-starts-at={slot.startsAt}
                  onClick={() => {
                    setChosen(slot.startsAt);
                    setProblem(null);
                    setDone(null);
                  }}
                >
                  {timeOf(slot.startsAt)}
                </button>
              </li>
            ))}
          </ul>
        )}
        {mine.data && !patientId && <p>There is no patient record linked to this account, so booking is not possible here.</p>}
        {chosen && (
          <form
            className="card"
            aria-label="Confirm the booking"
            onSubmit={(event) => {
              event.preventDefault();
              void confirm();
            }}
          >
            <p>
              {when(chosen)} with {doctorName(doctor)}
            </p>
            <label htmlFor="reason">Reason for the visit (optional)</label>
            <input id="reason" value={reason} maxLength={500} onChange={(event) => setReason(event.target.value)} />
            <button type="submit" disabled={booking.loading || !patientId}>
              Book this time
            </button>
          </form>
        )}
      </section>
      <MyUpcomingList rows={mine.data?.me.patient?.appointments?.nodes ?? []} error={mine.error} onChanged={() => void mine.refetch()} />
    </>
  );
}

function MyUpcomingList({ rows, error, onChanged }: { rows: Upcoming[]; error: unknown; onChanged: () => void }) {
  const [asking, setAsking] = useState<string | null>(null);
  const [why, setWhy] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [cancel, cancelling] = useMutation(CancelMineDocument);
  const sorted = [...rows].sort((a, b) => a.startsAt.localeCompare(b.startsAt));

  const confirmCancel = async (row: Upcoming) => {
    setProblem(null);
    try {
      await cancel({ variables: { id: row.id, reason: why.trim() || "Cancelled by the patient" } });
      setDone(`Cancelled: ${when(row.startsAt)} with ${doctorName(row.doctor)}.`);
      setAsking(null);
      setWhy("");
      onChanged();
    } catch (caught) {
      setProblem(plainError(caught));
      onChanged(); // e.g. cancelled meanwhile elsewhere: show how it stands now
    }
  };

  return (
    <section aria-labelledby="mine-title">
      <h2 id="mine-title">My upcoming appointments</h2>
      <Problem error={error} />
      {problem && (
        <p className="error" role="alert" data-testid="cancel-error">
          {problem}
        </p>
      )}
      {done && (
        <p role="status" data-testid="cancelled">
          {done}
        </p>
      )}
      {sorted.length === 0 ? (
        <p>No upcoming appointments.</p>
      ) : (
        <ul className="list" aria-label="My upcoming appointments">
          {sorted.map((row) => (
            <li key={row.id} data-appointment={row.id}>
              <strong>{when(row.startsAt)}</strong> <span>{doctorName(row.doctor)}</span>
              {row.reason && <span> · {row.reason}</span>}
              {asking === row.id ? (
                <span className="confirm" role="group" aria-label="Confirm the cancellation">
                  <strong>Cancel this appointment?</strong>
                  <label htmlFor={`why-${row.id}`}>Reason (optional)</label>
                  <input id={`why-${row.id}`} value={why} maxLength={500} onChange={(event) => setWhy(event.target.value)} />
                  <button type="button" disabled={cancelling.loading} onClick={() => void confirmCancel(row)}>
                    Yes, cancel it
                  </button>
                  <button type="button" className="secondary" onClick={() => setAsking(null)}>
                    Keep it
                  </button>
                </span>
              ) : (
                <button
                  type="button"
                  className="secondary"
                  aria-label={`Cancel the appointment on ${when(row.startsAt)}`}
                  onClick={() => {
                    setAsking(row.id);
                    setWhy("");
                    setProblem(null);
                    setDone(null);
                  }}
                >
                  Cancel…
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
