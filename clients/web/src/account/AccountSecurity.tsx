import { useState } from "react";
import { useMutation, useQuery } from "@apollo/client/react";
import { MySecurityDocument, RegenerateRecoveryCodesDocument } from "./operations";
import { Problem } from "../Problem";
import { RecoveryCodes } from "./RecoveryCodes";
import { TotpEnrolment } from "./TotpEnrolment";
import "./account.css";

// /app/account: two-step verification for the signed-in person (turn it on with an
// authenticator app; replace the recovery codes).
export function AccountSecurity() {
  const { data, error, loading, refetch } = useQuery(MySecurityDocument, { fetchPolicy: "network-only" });
  const [regenerate, { loading: regenerating }] = useMutation(RegenerateRecoveryCodesDocument);
  const [enrolling, setEnrolling] = useState(false);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [asking, setAsking] = useState(false);

  const replaceCodes = async () => {
    setProblem(null);
    setAsking(false);
    try {
      const { data: answer } = await regenerate();
      if (answer) setCodes(answer.regenerateRecoveryCodes);
    } catch (failure) {
      setProblem(failure);
    }
  };

  const me = data?.me;
  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title">Account security</h1>
      {loading && <p role="status">Loading…</p>}
      <Problem error={error} />
      {me && (
        <>
          <p>Signed in as <strong>{me.email}</strong>.</p>
          <h2>Two-step verification</h2>
          {enrolling ? null : me.mfaEnabled ? (
            <p className="status-on" data-testid="mfa-status">On: sign-in asks for a code from your authenticator app.</p>
          ) : (
            <p data-testid="mfa-status">Off: signing in asks for no code from your phone.</p>
          )}
          {!me.mfaEnabled && !enrolling && (
            <button type="button" onClick={() => setEnrolling(true)}>Set up an authenticator app</button>
          )}
          {enrolling && (
            <TotpEnrolment onCancel={() => setEnrolling(false)}
              onDone={() => { setEnrolling(false); void refetch(); }} />
          )}
          {me.mfaEnabled && !codes && (
            <div className="card">
              <p>Lost your recovery codes, or used most of them? Get 10 new ones; the old ones stop working.</p>
              {asking ? (
                <>
                  <p role="status">Replace all your recovery codes?</p>
                  <button type="button" onClick={() => void replaceCodes()} disabled={regenerating}>
                    Yes, replace them
                  </button>
                  <button type="button" className="secondary" onClick={() => setAsking(false)}>Keep the old ones</button>
                </>
              ) : (
                <button type="button" onClick={() => setAsking(true)}>New recovery codes</button>
              )}
            </div>
          )}
          {codes && <RecoveryCodes codes={codes} onDone={() => setCodes(null)} />}
          <Problem error={problem} />
        </>
      )}
    </section>
  );
}
