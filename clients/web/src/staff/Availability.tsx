import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useApolloClient, useMutation, useQuery } from "@apollo/client/react";
import type { ScheduleExceptionKind, Weekday } from "../gql/graphql";
import {
  AddScheduleExceptionDocument, BookedOnDayDocument, DoctorListDocument, DoctorScheduleDocument,
  RemoveScheduleExceptionDocument, SetDoctorScheduleDocument,
} from "./operations";
import { DeskProblem } from "./Problem";
import { Field, describedBy } from "./Field";
import { fieldProblems } from "./problems";
import { around, covered, wallClock } from "./clashes";

const WEEKDAYS: Weekday[] = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];
const dayName = (day: string) => day.charAt(0) + day.slice(1).toLowerCase();
const hhmm = (time: unknown) => (typeof time === "string" ? time.slice(0, 5) : ""); // the Time scalar: "09:00:00"
const SLOT_DAYS = 7;

type Block = { key: number; weekday: Weekday; startsAt: string; endsAt: string };
let nextKey = 1;

function slotWindow(): { from: string; to: string } {
  const from = new Date();
  from.setSeconds(0, 0);
  return { from: from.toISOString(), to: new Date(from.getTime() + SLOT_DAYS * 86_400_000).toISOString() };
}

function localTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
}

export function Availability() {
  const doctors = useQuery(DoctorListDocument);
  const [doctorId, setDoctorId] = useState("");
  const list = doctors.data?.doctors?.nodes ?? [];
  useEffect(() => {
    if (!doctorId && list.length > 0) setDoctorId(list[0].id);
  }, [doctorId, list]);

  return (
    <>
      <h1>Doctors' availability</h1>
      <DeskProblem error={doctors.error} />
      <div className="field">
        <label htmlFor="doctor">Doctor</label>
        <select id="doctor" value={doctorId} onChange={(e) => setDoctorId(e.target.value)}>
          {list.map((d) => (
            <option key={d.id} value={d.id}>Dr {d.givenName} {d.familyName} ({d.specialty})</option>
          ))}
        </select>
      </div>
      {doctorId && <DoctorAvailability key={doctorId} doctorId={doctorId} />}
    </>
  );
}

function DoctorAvailability({ doctorId }: { doctorId: string }) {
  const window_ = useMemo(slotWindow, []);
  const { data, error, loading, refetch } = useQuery(DoctorScheduleDocument, {
    variables: { doctorId, ...window_ },
    fetchPolicy: "cache-and-network",
  });
  const schedule = data?.doctorSchedule;
  const [timeZone, setTimeZone] = useState("");
  const [minutes, setMinutes] = useState("30");
  const [blocks, setBlocks] = useState<Block[]>([]);
  const [loadedVersion, setLoadedVersion] = useState<number | null>(null);
  const [saveProblem, setSaveProblem] = useState<unknown>(null);
  const [saveErrors, setSaveErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const [save, saving] = useMutation(SetDoctorScheduleDocument);

  useEffect(() => {
    if (loading && !data) return;
    const version = schedule?.version ?? 0;
    if (loadedVersion === version) return;
    setLoadedVersion(version);
    setTimeZone(schedule?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC");
    setMinutes(String(schedule?.appointmentMinutes ?? 30));
    setBlocks((schedule?.weeklyHours ?? []).map((h) => ({ key: nextKey++, weekday: h.weekday, startsAt: hhmm(h.startsAt), endsAt: hhmm(h.endsAt) })));
  }, [data, loading, schedule, loadedVersion]);

  const change = (key: number, patch: Partial<Block>) => setBlocks((all) => all.map((b) => (b.key === key ? { ...b, ...patch } : b)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaveProblem(null);
    setSaveErrors({});
    setSaved(null);
    try {
      await save({
        variables: {
          doctorId,
          input: {
            timeZone: timeZone.trim(),
            appointmentMinutes: Number.parseInt(minutes, 10) || 0,
            weeklyHours: blocks.map((b) => ({ weekday: b.weekday, startsAt: b.startsAt, endsAt: b.endsAt })),
          },
        },
      });
      setSaved("Weekly hours saved.");
      await refetch();
    } catch (caught) {
      setSaveErrors(fieldProblems(caught));
      setSaveProblem(caught);
    }
  };

  if (loading && !data) return <p role="status">Loading the schedule…</p>;
  if (error && !data) return <DeskProblem error={error} />;
  const slots = data?.availableSlots ?? [];

  return (
    <>
      <form className="form wide" onSubmit={(event) => void submit(event)} noValidate aria-labelledby="hours-title">
        <h2 id="hours-title">Weekly hours</h2>
        {!schedule && <p className="muted">No schedule yet: add working hours and save.</p>}
        <div className="row">
          <Field id="timeZone" label="Time zone" error={saveErrors.timeZone}>
            <input id="timeZone" value={timeZone} onChange={(e) => setTimeZone(e.target.value)} {...describedBy("timeZone", saveErrors.timeZone)} />
          </Field>
          <Field id="appointmentMinutes" label="Appointment length (minutes)" name="Appointment length" error={saveErrors.appointmentMinutes}>
            <input id="appointmentMinutes" type="number" min={5} max={480} value={minutes} onChange={(e) => setMinutes(e.target.value)} {...describedBy("appointmentMinutes", saveErrors.appointmentMinutes)} />
          </Field>
        </div>
        <ul className="list" data-testid="weekly-hours" aria-label="Working hours">
          {blocks.map((b) => (
            <li key={b.key}>
              <label htmlFor={`day-${b.key}`}>Day</label>
              <select id={`day-${b.key}`} value={b.weekday} onChange={(e) => change(b.key, { weekday: e.target.value as Weekday })}>
                {WEEKDAYS.map((d) => <option key={d} value={d}>{dayName(d)}</option>)}
              </select>
              <label htmlFor={`from-${b.key}`}>from</label>
              <input id={`from-${b.key}`} type="time" value={b.startsAt} onChange={(e) => change(b.key, { startsAt: e.target.value })} />
              <label htmlFor={`to-${b.key}`}>to</label>
              <input id={`to-${b.key}`} type="time" value={b.endsAt} onChange={(e) => change(b.key, { endsAt: e.target.value })} />
              <button type="button" className="secondary" onClick={() => setBlocks((all) => all.filter((x) => x.key !== b.key))} aria-label={`Remove ${dayName(b.weekday)} ${b.startsAt}–${b.endsAt}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
        {saveErrors.weeklyHours && <p className="field-error">{saveErrors.weeklyHours}</p>}
        <div className="row">
          <button type="button" className="secondary" onClick={() => setBlocks((all) => [...all, { key: nextKey++, weekday: "MONDAY", startsAt: "09:00", endsAt: "17:00" }])}>
            Add working hours
          </button>
          <button type="submit" disabled={saving.loading}>{saving.loading ? "Saving…" : "Save weekly hours"}</button>
        </div>
        <DeskProblem error={saveProblem} />
        {saved && <p className="ok" role="status" data-testid="saved">{saved}</p>}
      </form>
      {schedule && <Exceptions doctorId={doctorId} timeZone={schedule.timeZone} exceptions={schedule.exceptions} onChanged={() => void refetch()} />}
      <h2 id="slots-title">Free slots in the next {SLOT_DAYS} days</h2>
      {slots.length === 0 ? (
        <p data-testid="no-slots">No free slots in the next {SLOT_DAYS} days.</p>
      ) : (
        <ul className="list" aria-labelledby="slots-title" data-testid="free-slots">
          {slots.slice(0, 40).map((s) => (
            <li key={s.startsAt} data-starts-at={s.startsAt}>{localTime(s.startsAt)}</li>
          ))}
          {slots.length > 40 && <li>…and {slots.length - 40} more.</li>}
        </ul>
      )}
    </>
  );
}

type ExceptionRow = { id: string; date: string; kind: ScheduleExceptionKind; startsAt?: unknown; endsAt?: unknown; reason?: string | null };

type Clash = { id: string; startsAt: string; patient?: { givenName: string; familyName: string } | null };

function Exceptions({ doctorId, timeZone, exceptions, onChanged }: { doctorId: string; timeZone: string; exceptions: ExceptionRow[]; onChanged: () => void }) {
  const client = useApolloClient();
  const [clashes, setClashes] = useState<{ date: string; rows: Clash[] } | null>(null);
  const [date, setDate] = useState("");
  const [kind, setKind] = useState<ScheduleExceptionKind>("UNAVAILABLE");
  const [startsAt, setStartsAt] = useState("");
  const [endsAt, setEndsAt] = useState("");
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<unknown>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [add, adding] = useMutation(AddScheduleExceptionDocument);
  const [remove] = useMutation(RemoveScheduleExceptionDocument);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    setErrors({});
    if (!date) {
      setErrors({ date: "is required" });
      return;
    }
    try {
      await add({ variables: { doctorId, input: { date, kind, startsAt: startsAt || null, endsAt: endsAt || null, reason: reason.trim() || null } } });
      setDate(""); setStartsAt(""); setEndsAt(""); setReason("");
      onChanged();
      setClashes(null);
      if (kind === "UNAVAILABLE") {
        const { data } = await client.query({ query: BookedOnDayDocument, variables: { doctorId, ...around(date) }, fetchPolicy: "no-cache" });
        const rows = covered(data?.doctor?.appointments?.nodes ?? [], timeZone, date, startsAt, endsAt);
        if (rows.length > 0) setClashes({ date, rows });
      }
    } catch (caught) {
      setErrors(fieldProblems(caught));
      setProblem(caught);
    }
  };

  const drop = async (id: string) => {
    setProblem(null);
    try {
      await remove({ variables: { id } });
      onChanged();
    } catch (caught) {
      setProblem(caught);
    }
  };

  return (
    <section aria-labelledby="exceptions-title">
      <h2 id="exceptions-title">Days off and extra hours</h2>
      {exceptions.length === 0 ? (
        <p>No exceptions to the weekly hours.</p>
      ) : (
        <ul className="list" data-testid="exceptions">
          {exceptions.map((x) => (
            <li key={x.id}>
              <span>
                {x.date}: {x.kind === "UNAVAILABLE" ? "away" : "extra hours"}{" "}
                {x.startsAt ? `${hhmm(x.startsAt)}–${hhmm(x.endsAt)}` : "all day"}
                {x.reason ? ` (${x.reason})` : ""}
              </span>
              <button type="button" className="secondary" onClick={() => void drop(x.id)} aria-label={`Remove the exception on ${x.date}`}>Remove</button>
            </li>
          ))}
        </ul>
      )}
      {clashes && (
        <div className="notice" role="status" data-testid="clashes">
          <p>
            {clashes.rows.length === 1
              ? `1 booked appointment on ${clashes.date} falls in this time and stays booked; please move or cancel it with the patient:`
              : `${clashes.rows.length} booked appointments on ${clashes.date} fall in this time and stay booked; please move or cancel them with the patients:`}
          </p>
          <ul>
            {clashes.rows.map((row) => (
              <li key={row.id}>{wallClock(row.startsAt, timeZone).time} {row.patient ? `${row.patient.givenName} ${row.patient.familyName}` : ""}</li>
            ))}
          </ul>
        </div>
      )}
      <form className="form wide" onSubmit={(event) => void submit(event)} noValidate aria-label="Add an exception">
        <div className="row">
          <Field id="exception-date" label="Date" error={errors.date}>
            <input id="exception-date" type="date" value={date} onChange={(e) => setDate(e.target.value)} {...describedBy("exception-date", errors.date)} />
          </Field>
          <Field id="exception-kind" label="Kind">
            <select id="exception-kind" value={kind} onChange={(e) => setKind(e.target.value as ScheduleExceptionKind)}>
              <option value="UNAVAILABLE">Away (no appointments)</option>
              <option value="EXTRA_HOURS">Extra hours</option>
            </select>
          </Field>
          <Field id="exception-from" label="From (empty: all day)" name="From" error={errors.startsAt}>
            <input id="exception-from" type="time" value={startsAt} onChange={(e) => setStartsAt(e.target.value)} {...describedBy("exception-from", errors.startsAt)} />
          </Field>
          <Field id="exception-to" label="To" name="The end" error={errors.endsAt}>
            <input id="exception-to" type="time" value={endsAt} onChange={(e) => setEndsAt(e.target.value)} {...describedBy("exception-to", errors.endsAt)} />
          </Field>
        </div>
        <Field id="exception-reason" label="Reason (optional)" name="Reason" error={errors.reason}>
          <input id="exception-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
        </Field>
        <DeskProblem error={problem} />
        <button type="submit" disabled={adding.loading}>Add exception</button>
      </form>
    </section>
  );
}
