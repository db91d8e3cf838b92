import { useState } from "react";
import { useQuery } from "@apollo/client/react";
import type { RecordFieldsFragment } from "../gql/graphql";
import { RecordHistoryDocument } from "../shared/operations";
import { RecordForm } from "./RecordForm";
import { Problem } from "../Problem";
import { when } from "../format";

type Vitals = NonNullable<RecordFieldsFragment["vitals"]>;

function vitalsText(vitals: Vitals): string {
  const parts = [
    vitals.temperatureC != null && `temperature ${vitals.temperatureC} °C`,
    vitals.heartRateBpm != null && `heart rate ${vitals.heartRateBpm}/min`,
    vitals.respiratoryRate != null && `breathing ${vitals.respiratoryRate}/min`,
    vitals.systolicMmhg != null && `blood pressure ${vitals.systolicMmhg}/${vitals.diastolicMmhg ?? "?"} mmHg`,
    vitals.oxygenSaturation != null && `oxygen ${vitals.oxygenSaturation}%`,
    vitals.weightKg != null && `weight ${vitals.weightKg} kg`,
    vitals.heightCm != null && `height ${vitals.heightCm} cm`,
  ];
  return parts.filter(Boolean).join(", ");
}

const SECTION: Record<string, string> = {
  notes: "notes",
  notesFormat: "note format",
  vitals: "vital signs",
  diagnoses: "diagnoses",
  allergies: "allergies",
  medications: "medications",
  encounterAt: "visit time",
  status: "status",
};

// The versions of one record, oldest first, loaded when asked for.
function History({ recordId, version }: { recordId: string; version: number }) {
  const { data, error, loading } = useQuery(RecordHistoryDocument, {
    variables: { recordId },
    fetchPolicy: "network-only",
  });
  if (loading && !data) return <p role="status">Loading the history…</p>;
  if (error) return <Problem error={error} />;
  const versions = [...(data?.medicalRecordHistory ?? [])].sort((a, b) => b.version - a.version);
  return (
    <ol className="history" aria-label={`Versions of this record (now version ${version})`} reversed>
      {versions.map((v) => (
        <li key={v.version} data-version={v.version}>
          <strong>Version {v.version}</strong> · {when(v.changedAt)}
          {v.changedByRole && <span> · by a {v.changedByRole.toLowerCase()}</span>}
          <span>
            {" "}
            · {v.version === 1 ? "written" : "changed"}: {v.changedFields.map((f) => SECTION[f] ?? f).join(", ") || "nothing"}
          </span>
          {v.notes && <p className="notes">{v.notes}</p>}
        </li>
      ))}
    </ol>
  );
}

// One medical record entry: what it says, its version history, and editing it (a new version).
export function RecordItem({
  record,
  onSaved,
}: {
  record: RecordFieldsFragment;
  onSaved: (record: RecordFieldsFragment) => void;
}) {
  const [editing, setEditing] = useState(false);
  const [showHistory, setShowHistory] = useState(false);
  return (
    <li className="entry" data-record={record.id} data-version={record.version}>
      <p>
        <strong>{when(record.encounterAt)}</strong> <span className="hint">version {record.version}</span>
        {record.status === "ARCHIVED" && <span className="status"> archived</span>}
      </p>
      {record.diagnoses.map((d) => (
        <p key={`${d.code}-${d.text}`}>
          {d.primary ? "Diagnosis" : "Also"}: <strong>{d.text}</strong> ({d.code})
        </p>
      ))}
      {record.notes && <p className="notes">{record.notes}</p>}
      {record.vitals && vitalsText(record.vitals) && <p>Vital signs: {vitalsText(record.vitals)}.</p>}
      {record.allergies.length > 0 && (
        <p>
          Allergies:{" "}
          {record.allergies
            .map((a) => `${a.substance}${a.reaction ? ` (${a.reaction})` : ""}, ${a.severity.toLowerCase()}`)
            .join("; ")}
        </p>
      )}
      {record.medications.length > 0 && (
        <p>Takes: {record.medications.map((m) => [m.name, m.dose, m.frequency].filter(Boolean).join(" ")).join("; ")}</p>
      )}
      <div className="actions">
        {record.status === "ACTIVE" && !editing && (
          <button
            type="button"
            className="secondary"
            aria-label={`Edit the entry of ${when(record.encounterAt)}`}
            data-action="edit"
            onClick={() => setEditing(true)}
          >
            Edit
          </button>
        )}
        <button
          type="button"
          className="secondary"
          aria-expanded={showHistory}
          data-action="history"
          onClick={() => setShowHistory((shown) => !shown)}
        >
          {showHistory ? "Hide the version history" : "Version history"}
        </button>
      </div>
      {showHistory && <History key={record.version} recordId={record.id} version={record.version} />}
      {editing && (
        <RecordForm
          patientId={record.patientId}
          record={record}
          visits={[]}
          onCancel={() => setEditing(false)}
          onSaved={(saved) => {
            setEditing(false);
            onSaved(saved);
          }}
        />
      )}
    </li>
  );
}
