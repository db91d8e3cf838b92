import { useState, type ReactNode } from "react";
import { useApolloClient, useQuery } from "@apollo/client/react";
import { Link } from "../Link";
import { Problem } from "../Problem";
import { when } from "../format";
import { plainError } from "../errors";
import type { MyRecordsQuery, VerifyPrescriptionQuery } from "../gql/graphql";
import { MyRecordsDocument } from "./operations";
import { PrescriptionPdfDocument, RecordHistoryDocument, VerifyPrescriptionDocument } from "../shared/operations";
import { saveBase64 } from "../shared/download";

type Patient = NonNullable<MyRecordsQuery["me"]["patient"]>;
type Rec = NonNullable<Patient["medicalRecords"]>["nodes"][number];
type Rx = NonNullable<Patient["prescriptions"]>["nodes"][number];
type Verification = VerifyPrescriptionQuery["verifyPrescription"];

const words = (value: string) => value.toLowerCase().replace(/_/g, " ");

// My medical records (with their versions) and my prescriptions: the signed PDF and its check.
export function MyRecords() {
  const { data, error, loading } = useQuery(MyRecordsDocument, { fetchPolicy: "cache-and-network" });
  if (loading && !data) return <p role="status">Loading your records…</p>;
  if (error && !data) return <Problem error={error} />;
  const patient = data?.me.patient;
  if (!patient) return <p>There is no patient record linked to this account.</p>;
  const records = patient.medicalRecords?.nodes ?? [];
  const prescriptions = patient.prescriptions?.nodes ?? [];
  return (
    <>
      <h1>My records and prescriptions</h1>
      <p>
        <Link to="/app/">Back to my appointments</Link>
      </p>
      <section aria-labelledby="prescriptions-title">
        <h2 id="prescriptions-title">My prescriptions</h2>
        {prescriptions.length === 0 ? (
          <p>No prescriptions.</p>
        ) : (
          <ul className="list" aria-label="My prescriptions">
            {prescriptions.map((rx) => (
              <PrescriptionItem key={rx.id} rx={rx} />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="records-title">
        <h2 id="records-title">My medical records</h2>
        {records.length === 0 ? (
          <p>No medical records.</p>
        ) : (
          <ul className="list" aria-label="My medical records">
            {records.map((record) => (
              <RecordItem key={record.id} record={record} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function PrescriptionItem({ rx }: { rx: Rx }) {
  const client = useApolloClient();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [checked, setChecked] = useState<Verification | null>(null);

  const download = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const { data } = await client.query({ query: PrescriptionPdfDocument, variables: { id: rx.id }, fetchPolicy: "no-cache" });
      const pdf = data?.prescriptionDocument;
      if (!pdf) throw new Error("no document");
      saveBase64(pdf.filename, pdf.contentType, pdf.contentBase64);
    } catch (caught) {
      setProblem(`The PDF could not be downloaded. ${plainError(caught)}`);
    } finally {
      setBusy(false);
    }
  };

  const verify = async () => {
    setBusy(true);
    setProblem(null);
    setChecked(null);
    try {
      const { data } = await client.query({ query: VerifyPrescriptionDocument, variables: { jws: rx.jws }, fetchPolicy: "no-cache" });
      if (!data) throw new Error("no answer");
      setChecked(data.verifyPrescription);
    } catch (caught) {
      setProblem(`The signature could not be checked. ${plainError(caught)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <li data-prescription={rx.id} className="stack">
      <div>
        <strong>{rx.medication}</strong> · {rx.dose}, {rx.frequency} ({words(rx.route)})
      </div>
      <div>
        Issued {when(rx.issuedAt)} · quantity {rx.quantity} · {rx.refills} refill{rx.refills === 1 ? "" : "s"} ·{" "}
        <span className={`status status-${rx.status.toLowerCase()}`}>{words(rx.status)}</span>
      </div>
      {rx.instructions && <div>{rx.instructions}</div>}
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => void download()} aria-label={`Download the PDF of ${rx.medication}`}>
          Download PDF
        </button>
        <button type="button" disabled={busy} onClick={() => void verify()} aria-label={`Verify the signature of ${rx.medication}`}>
          Verify
        </button>
      </div>
      {problem && (
        <p className="error" role="alert" data-testid="error">
          {problem}
        </p>
      )}
      {checked && <VerificationResult result={checked} />}
    </li>
  );
}

const VERDICT: Record<string, string> = {
  VALID: "Valid: the signature checks out.",
  REVOKED: "Revoked: genuinely signed, but no longer in force.",
  TAMPERED: "Not valid: do not trust this prescription.",
};

function VerificationResult({ result }: { result: Verification }) {
  const signer = result.signer;
  return (
    <div className={`verdict verdict-${result.status.toLowerCase()}`} role="status" data-testid="verification" data-status={result.status}>
      <p>
        <strong>{VERDICT[result.status] ?? result.status}</strong> {result.reason}
      </p>
      <dl>
        {signer && (
          <Fact term="Signed by" testId="signer">
            {signer.name} (licence {signer.licence})
          </Fact>
        )}
        {result.issuedAt && <Fact term="Signed on">{when(result.issuedAt)}</Fact>}
        {result.keyId && (
          <Fact term="Signing key" testId="key-id" className="key">
            {result.keyId}
          </Fact>
        )}
        {result.revokedAt && <Fact term="Revoked on">{when(result.revokedAt)}</Fact>}
      </dl>
    </div>
  );
}

function Fact({ term, testId, className, children }: { term: string; testId?: string; className?: string; children: ReactNode }) {
  return (
    <>
      <dt>{term}</dt>
      <dd className={className} data-testid={testId}>
        {children}
      </dd>
    </>
  );
}

function vitalsLine(vitals: Rec["vitals"]): string | null {
  if (!vitals) return null;
  const parts = [
    vitals.temperatureC != null && `temperature ${vitals.temperatureC} °C`,
    vitals.heartRateBpm != null && `pulse ${vitals.heartRateBpm}/min`,
    vitals.systolicMmhg != null && vitals.diastolicMmhg != null && `blood pressure ${vitals.systolicMmhg}/${vitals.diastolicMmhg} mmHg`,
    vitals.respiratoryRate != null && `breathing ${vitals.respiratoryRate}/min`,
    vitals.oxygenSaturation != null && `oxygen ${vitals.oxygenSaturation}%`,
    vitals.weightKg != null && `weight ${vitals.weightKg} kg`,
    vitals.heightCm != null && `height ${vitals.heightCm} cm`,
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : null;
}

function RecordItem({ record }: { record: Rec }) {
  const [open, setOpen] = useState(false);
  const vitals = vitalsLine(record.vitals);
  return (
    <li data-record={record.id} className="stack">
      <div>
        <strong>{when(record.encounterAt)}</strong>
        {record.status !== "ACTIVE" && <span> · {words(record.status)}</span>}
      </div>
      {record.diagnoses.length > 0 && (
        <div>
          Diagnosis: {record.diagnoses.map((d) => `${d.text} (${d.code})`).join("; ")}
        </div>
      )}
      {record.notes && <p className="notes">{record.notes}</p>}
      {vitals && <div>Measured: {vitals}</div>}
      {record.allergies.length > 0 && (
        <div>
          Allergies: {record.allergies.map((a) => `${a.substance}${a.reaction ? ` (${a.reaction})` : ""}, ${words(a.severity)}`).join("; ")}
        </div>
      )}
      {record.medications.length > 0 && (
        <div>
          Medicines: {record.medications.map((m) => [m.name, m.dose, m.frequency].filter(Boolean).join(" ")).join("; ")}
        </div>
      )}
      <div className="actions">
        <button type="button" className="secondary" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? "Hide changes" : `Show changes (version ${record.version})`}
        </button>
      </div>
      {open && <RecordHistory recordId={record.id} />}
    </li>
  );
}

function RecordHistory({ recordId }: { recordId: string }) {
  const { data, error, loading } = useQuery(RecordHistoryDocument, { variables: { recordId } });
  if (loading && !data) return <p role="status">Loading the changes…</p>;
  if (error) return <Problem error={error} />;
  const versions = data?.medicalRecordHistory ?? [];
  return (
    <ol className="history" aria-label="Versions of this record">
      {versions.map((v) => (
        <li key={v.version}>
          Version {v.version}, {when(v.changedAt)}
          {v.changedByRole && ` by the ${v.changedByRole.toLowerCase()}`}: {v.changedFields.join(", ") || "no sections"}
          {v.reason && ` (${v.reason})`}
        </li>
      ))}
    </ol>
  );
}
