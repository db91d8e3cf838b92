import { useState, type FormEvent } from "react";
import { useApolloClient, useMutation, useQuery } from "@apollo/client/react";
import type { PrescriptionFieldsFragment } from "../gql/graphql";
import { RevokePrescriptionDocument } from "./operations";
import { PrescriptionPdfDocument, VerifyPrescriptionDocument } from "../shared/operations";
import { routeLabel } from "./PrescriptionForm";
import { TextField } from "./Field";
import { saveBase64 } from "../shared/download";
import { Problem } from "../Problem";
import { when } from "../format";

const VERDICT = {
  VALID: "Signature verified: genuine and in force.",
  REVOKED: "Signature genuine, but the prescription is revoked.",
  TAMPERED: "Signature check failed: this prescription was altered or not signed by us.",
} as const;

// The signature check anyone can run (verifyPrescription over the prescription's JWS).
function SignatureStatus({ prescription }: { prescription: PrescriptionFieldsFragment }) {
  const { data, error, loading } = useQuery(VerifyPrescriptionDocument, {
    variables: { jws: prescription.jws },
    fetchPolicy: "network-only",
  });
  if (loading && !data) return <p className="signature" role="status">Checking the signature…</p>;
  if (error || !data) return <p className="signature">The signature could not be checked right now.</p>;
  const status = data.verifyPrescription.status;
  return (
    <p className={`signature signature-${status.toLowerCase()}`} data-signature={status}>
      {VERDICT[status]}
      <span className="hint key"> Signing key {data.verifyPrescription.keyId ?? prescription.keyId}.</span>
    </p>
  );
}

// One signed prescription: its signature check, its PDF, and (for its prescriber) revoking it
// after a confirm step that asks why.
export function PrescriptionItem({
  prescription,
  mine,
  onRevoked,
}: {
  prescription: PrescriptionFieldsFragment;
  mine: boolean;
  onRevoked: () => void;
}) {
  const client = useApolloClient();
  const [problem, setProblem] = useState<unknown>(null);
  const [downloading, setDownloading] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | undefined>();
  const [revoke, { loading: revoking }] = useMutation(RevokePrescriptionDocument);
  const active = prescription.status === "ACTIVE";

  const download = async () => {
    setProblem(null);
    setDownloading(true);
    try {
      const { data } = await client.query({
        query: PrescriptionPdfDocument,
        variables: { id: prescription.id },
        fetchPolicy: "no-cache",
      });
      const pdf = data?.prescriptionDocument;
      if (!pdf) throw new Error("no document");
      saveBase64(pdf.filename, pdf.contentType, pdf.contentBase64);
    } catch (caught) {
      setProblem(caught);
    } finally {
      setDownloading(false);
    }
  };

  const confirmRevoke = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    if (!reason.trim()) {
      setReasonError("Say why you revoke it (the patient and the audit trail see this).");
      document.getElementById(`revoke-reason-${prescription.id}`)?.focus();
      return;
    }
    setReasonError(undefined);
    try {
      await revoke({ variables: { id: prescription.id, reason: reason.trim() } });
      setConfirming(false);
      onRevoked();
    } catch (caught) {
      setProblem(caught);
    }
  };

  return (
    <li className="entry" data-prescription={prescription.id} data-status={prescription.status}>
      <p>
        <strong>{prescription.medication}</strong>{" "}
        <span className={`status status-${prescription.status.toLowerCase()}`}>{prescription.status.toLowerCase()}</span>
      </p>
      <p>
        {prescription.dose}, {routeLabel(prescription.route).toLowerCase()}, {prescription.frequency}. Quantity{" "}
        {prescription.quantity}, {prescription.refills === 1 ? "1 refill" : `${prescription.refills} refills`}.
      </p>
      {prescription.instructions && <p>{prescription.instructions}</p>}
      <p className="hint">Issued {when(prescription.issuedAt)}</p>
      {prescription.revokedAt && (
        <p className="hint">
          Revoked {when(prescription.revokedAt)}
          {prescription.revocationReason ? `: ${prescription.revocationReason}` : ""}
        </p>
      )}
      <SignatureStatus key={prescription.status} prescription={prescription} />
      <Problem error={problem} />
      <div className="actions">
        <button
          type="button"
          className="secondary"
          disabled={downloading}
          aria-label={`Download the PDF of ${prescription.medication}`}
          data-action="download"
          onClick={() => void download()}
        >
          {downloading ? "Preparing the PDF…" : "Download PDF"}
        </button>
        {mine && active && !confirming && (
          <button
            type="button"
            className="danger"
            aria-label={`Revoke ${prescription.medication}…`}
            data-action="revoke"
            onClick={() => setConfirming(true)}
          >
            Revoke…
          </button>
        )}
      </div>
      {confirming && (
        <form className="form confirm" onSubmit={confirmRevoke} noValidate aria-label={`Revoke ${prescription.medication}`}>
          <p role="status">
            Revoke this prescription? It stops being valid at once, and this cannot be undone.
          </p>
          <TextField
            id={`revoke-reason-${prescription.id}`}
            label="Why"
            value={reason}
            onChange={setReason}
            error={reasonError}
            required
          />
          <div className="actions">
            <button type="submit" className="danger" disabled={revoking} data-action="confirm-revoke">
              Yes, revoke it
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </div>
        </form>
      )}
    </li>
  );
}
