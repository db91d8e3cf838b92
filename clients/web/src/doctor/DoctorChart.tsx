import { useState } from "react";
import { useQuery, useSubscription } from "@apollo/client/react";
import type { ChartQuery } from "../gql/graphql";
import { ChartDocument, RecordChangedDocument } from "./operations";
import { RecordForm } from "./RecordForm";
import { RecordItem } from "./RecordItem";
import { PrescriptionForm } from "./PrescriptionForm";
import { PrescriptionItem } from "./PrescriptionItem";
import { AppointmentSections } from "../Appointments";
import { PatientUnavailable } from "../PatientPage";
import { Link } from "../Link";
import "./doctor.css";

type Patient = NonNullable<ChartQuery["patient"]>;

function age(dateOfBirth: string): number {
  const born = new Date(`${dateOfBirth}T00:00:00`);
  const now = new Date();
  const years = now.getFullYear() - born.getFullYear();
  const before = now.getMonth() < born.getMonth() || (now.getMonth() === born.getMonth() && now.getDate() < born.getDate());
  return before ? years - 1 : years;
}

type CareTeam = NonNullable<ChartQuery["careTeam"]>;

const CARE_SOURCE: Record<CareTeam[number]["source"], string> = {
  APPOINTMENT: "booked a visit",
  ENCOUNTER: "saw the patient",
  ASSIGNMENT: "assigned",
};

function Demographics({ patient, careTeam }: { patient: Patient; careTeam: CareTeam }) {
  const address = patient.address
    ? [patient.address.line1, patient.address.line2, patient.address.city, patient.address.postalCode, patient.address.country]
        .filter(Boolean)
        .join(", ")
    : "";
  const contact = patient.emergencyContact;
  const rows: [string, string][] = [
    ["Medical record number", patient.mrn],
    ["Date of birth", `${new Date(`${patient.dateOfBirth}T00:00:00`).toLocaleDateString(undefined, { dateStyle: "long" })} (${age(patient.dateOfBirth)} years)`],
    ["Sex", patient.sex.toLowerCase()],
    ["Phone", patient.phone ?? "—"],
    ["Email", patient.email ?? "—"],
    ["Address", address || "—"],
    ["Emergency contact", contact?.name ? [contact.name, contact.relationship, contact.phone].filter(Boolean).join(", ") : "—"],
    ["Insurance", patient.insurance?.payer ? [patient.insurance.payer, patient.insurance.memberId].filter(Boolean).join(", ") : "—"],
    [
      "Care team",
      careTeam.map((c) => `Dr ${c.doctor.givenName} ${c.doctor.familyName} (${c.doctor.specialty}; ${CARE_SOURCE[c.source]})`).join("; ") || "—",
    ],
  ];
  return (
    <dl className="facts">
      {rows.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

const OPEN_STATUSES = new Set(["BOOKED", "CHECKED_IN", "COMPLETED"]);

// A patient's chart for their doctor: demographics, appointments, medical records (with their
// versions) and prescriptions; a new record entry or prescription shows at once, and a record
// written elsewhere arrives live (the medicalRecordChanged subscription).
export function DoctorChart({ id }: { id: string }) {
  const { data, error, loading, refetch } = useQuery(ChartDocument, {
    variables: { id },
    fetchPolicy: "cache-and-network",
  });
  const [adding, setAdding] = useState<"record" | "prescription" | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const patient = data?.patient;
  const live = useSubscription(RecordChangedDocument, {
    variables: { patientId: id },
    skip: !patient,
    onData: () => void refetch(),
  });
  if (loading && !data) return <p role="status">Loading the chart…</p>;
  if (error || !patient) return <PatientUnavailable error={error} />;

  const doctorId = data?.me.doctor?.id;
  const appointments = patient.appointments?.nodes ?? [];
  const records = patient.medicalRecords?.nodes ?? [];
  const prescriptions = patient.prescriptions?.nodes ?? [];
  const recorded = new Set(records.map((r) => r.appointmentId));
  const visits = appointments
    .filter((a) => a.doctor?.id === doctorId && OPEN_STATUSES.has(a.status) && !recorded.has(a.id))
    .sort((a, b) => Math.abs(Date.parse(a.startsAt) - Date.now()) - Math.abs(Date.parse(b.startsAt) - Date.now()));
  const start = (what: "record" | "prescription") => {
    setSaved(null);
    setAdding(what);
  };
  const done = (message: string) => {
    setAdding(null);
    setSaved(message);
    void refetch();
  };

  return (
    <>
      <p>
        <Link to="/app/patients">My patients</Link> · <Link to="/app/">Today's schedule</Link>
      </p>
      <h1>
        {patient.givenName} {patient.familyName}
      </h1>
      <p className="live" data-testid="live">
        {live.error ? "Live updates are paused." : "Live updates are on."}
      </p>
      {saved && (
        <p className="notice" role="status" data-testid="saved">
          {saved}
        </p>
      )}
      <section aria-labelledby="demographics-title">
        <h2 id="demographics-title">Demographics</h2>
        <Demographics patient={patient} careTeam={data?.careTeam ?? []} />
      </section>
      <section aria-labelledby="records-title">
        <h2 id="records-title">Medical records</h2>
        {adding === "record" ? (
          <RecordForm
            patientId={patient.id}
            visits={visits}
            onCancel={() => setAdding(null)}
            onSaved={() => done("The record entry is saved.")}
          />
        ) : (
          <button type="button" onClick={() => start("record")}>
            Write a record entry
          </button>
        )}
        {records.length === 0 ? (
          <p>No medical records yet.</p>
        ) : (
          <ul className="list entries" aria-label="Medical records">
            {records.map((record) => (
              <RecordItem key={`${record.id}-${record.version}`} record={record} onSaved={() => done("A new version of the record is saved.")} />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="prescriptions-title">
        <h2 id="prescriptions-title">Prescriptions</h2>
        {adding === "prescription" ? (
          <PrescriptionForm
            patientId={patient.id}
            onCancel={() => setAdding(null)}
            onIssued={() => done("The prescription is issued and signed.")}
          />
        ) : (
          <button type="button" onClick={() => start("prescription")}>
            Issue a prescription
          </button>
        )}
        {prescriptions.length === 0 ? (
          <p>No prescriptions yet.</p>
        ) : (
          <ul className="list entries" aria-label="Prescriptions">
            {prescriptions.map((rx) => (
              <PrescriptionItem
                key={`${rx.id}-${rx.status}`}
                prescription={rx}
                mine={rx.doctorId === doctorId}
                onRevoked={() => done("The prescription is revoked.")}
              />
            ))}
          </ul>
        )}
      </section>
      <AppointmentSections rows={appointments} idPrefix="chart" />
    </>
  );
}
