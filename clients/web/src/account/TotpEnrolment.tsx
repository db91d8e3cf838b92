import { useEffect, useRef, useState, type FormEvent } from "react";
import { useMutation } from "@apollo/client/react";
import { CombinedGraphQLErrors } from "@apollo/client/errors";
import { ConfirmTotpDocument, EnrollTotpDocument } from "./operations";
import { Problem } from "../Problem";
import { QrCode } from "./QrCode";
import { RecoveryCodes } from "./RecoveryCodes";
import type { AuthPayload } from "../session";
import "./account.css";

type Confirmed = AuthPayload & { recoveryCodes?: string[] | null };

// "ABCD EFGH ..." is easier to type into an authenticator app than 32 letters in one run.
function grouped(secret: string): string {
  return secret.replace(/(.{4})/g, "$1 ").trim();
}

// A wrong code gets its own plain sentence; everything else goes through Problem.
function isWrongCode(error: unknown): boolean {
  return CombinedGraphQLErrors.is(error) &&
    error.errors.some((e) => e.extensions?.code === "BAD_USER_INPUT");
}

// Set up an authenticator app: scan the QR code (or type the secret), prove it with a code, then
// see the recovery codes once. With `mfaToken` this is the enrolment a staff sign-in requires.
export function TotpEnrolment({ mfaToken, onDone, onCancel }: {
  mfaToken?: string;
  onDone: (payload: Confirmed) => void;
  onCancel?: () => void;
}) {
  const [enroll, { data: enrolment, error: startError }] = useMutation(EnrollTotpDocument);
  const [confirm, { loading: confirming }] = useMutation(ConfirmTotpDocument);
  const [code, setCode] = useState("");
  const [problem, setProblem] = useState<unknown>(null);
  const [confirmed, setConfirmed] = useState<Confirmed | null>(null);
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return; // once, even when React runs effects twice in development
    started.current = true;
    enroll({ variables: { mfaToken: mfaToken ?? null } }).catch(() => undefined);
  }, [enroll, mfaToken]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    try {
      const { data } = await confirm({ variables: { code: code.trim(), mfaToken: mfaToken ?? null } });
      if (data?.confirmTotp) setConfirmed(data.confirmTotp);
    } catch (error) {
      setProblem(error);
      setCode("");
    }
  };

  if (confirmed) {
    return (
      <RecoveryCodes codes={confirmed.recoveryCodes ?? []} onDone={() => onDone(confirmed)}
        doneLabel={mfaToken ? "I have saved them, continue" : "I have saved them"} />
    );
  }
  const totp = enrolment?.enrollTotp;
  return (
    <section aria-labelledby="enrol-title" className="card wide" data-testid="totp-enrolment">
      <h2 id="enrol-title">Set up your authenticator app</h2>
      {mfaToken && <p>Your role needs two-step verification. Set it up once to continue.</p>}
      <Problem error={startError} />
      {!totp && !startError && <p role="status">Preparing your QR code…</p>}
      {totp && (
        <>
          <ol className="steps">
            <li>Open an authenticator app on your phone (for example FreeOTP, Aegis or Google Authenticator).</li>
            <li>Scan this QR code with it:</li>
          </ol>
          <QrCode size={totp.qrCodeSize} path={totp.qrCodeSvgPath}
            label="QR code to add healthgraph to your authenticator app" />
          <p>
            Cannot scan it? Add an account by hand with this key (time-based):
            <br />
            <code className="secret" data-testid="totp-secret">{grouped(totp.secret)}</code>
          </p>
          <form onSubmit={submit} className="card">
            <label htmlFor="totp-code">Then enter the 6-digit code the app shows</label>
            <input id="totp-code" name="code" inputMode="numeric" autoComplete="one-time-code"
              pattern="[0-9 ]{6,7}" value={code} onChange={(e) => setCode(e.target.value)} required />
            {problem !== null && isWrongCode(problem) ? (
              <p className="error" role="alert" data-testid="error">
                That code did not match. Check that your phone's clock is right, wait for a new code and try again.
              </p>
            ) : (
              <Problem error={problem} />
            )}
            <button type="submit" disabled={confirming}>Turn on two-step verification</button>
          </form>
        </>
      )}
      {onCancel && <button type="button" className="secondary" onClick={onCancel}>Cancel</button>}
    </section>
  );
}
