import { useState, type FormEvent } from "react";
import { useMutation } from "@apollo/client/react";
import { LoginDocument, VerifyMfaDocument } from "./operations";
import { Problem } from "./Problem";
import { sessionFrom, setSession, type AuthPayload } from "./session";
import { OidcButtons } from "./account/OidcButtons";
import { TotpEnrolment } from "./account/TotpEnrolment";

type Step = AuthPayload & {
  mfaRequired?: boolean;
  mfaEnrollmentRequired?: boolean;
  mfaToken?: string | null;
};

// Password (or an identity provider: `initial` is its challenge) first; staff roles then answer
// the TOTP challenge (mfaRequired/mfaToken), or set up TOTP first when they have none yet.
export function SignIn({ onSignedIn, initial }: { onSignedIn: () => void; initial?: Step }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [mfaToken, setMfaToken] = useState<string | null>(
    initial?.mfaRequired && !initial.mfaEnrollmentRequired ? (initial.mfaToken ?? null) : null,
  );
  const [enrolToken, setEnrolToken] = useState<string | null>(
    initial?.mfaEnrollmentRequired ? (initial.mfaToken ?? null) : null,
  );
  const [problem, setProblem] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [login, { loading: loggingIn }] = useMutation(LoginDocument);
  const [verify, { loading: verifying }] = useMutation(VerifyMfaDocument);

  const accept = (payload: AuthPayload) => {
    const session = sessionFrom(payload);
    if (session) {
      setSession(session);
      onSignedIn();
    } else setMessage("Sign-in did not complete. Please try again.");
  };

  const submitPassword = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    setMessage(null);
    try {
      const { data } = await login({ variables: { email, password } });
      const payload = data?.login;
      if (!payload) return;
      if (payload.mfaEnrollmentRequired && payload.mfaToken) {
        setEnrolToken(payload.mfaToken);
      } else if (payload.mfaRequired && payload.mfaToken) {
        setMfaToken(payload.mfaToken);
      } else accept(payload);
    } catch (error) {
      setProblem(error);
    }
  };

  const submitCode = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    try {
      const { data } = await verify({ variables: { mfaToken: mfaToken!, code: code.trim() } });
      if (data?.verifyMfa) accept(data.verifyMfa);
    } catch (error) {
      setProblem(error);
    }
  };

  if (enrolToken) {
    return <TotpEnrolment mfaToken={enrolToken} onDone={accept} onCancel={() => setEnrolToken(null)} />;
  }
  if (mfaToken) {
    return (
      <form onSubmit={submitCode} aria-labelledby="mfa-title" className="card">
        <h2 id="mfa-title">Two-step verification</h2>
        <p>Enter the 6-digit code from your authenticator app.</p>
        <label htmlFor="code">Code</label>
        <input id="code" name="code" inputMode="numeric" autoComplete="one-time-code" value={code}
          onChange={(e) => setCode(e.target.value)} required />
        <Problem error={problem} />
        <button type="submit" disabled={verifying}>Verify</button>
      </form>
    );
  }
  return (
    <>
    <form onSubmit={submitPassword} aria-labelledby="signin-title" className="card">
      <h2 id="signin-title">Sign in</h2>
      <label htmlFor="email">Email</label>
      <input id="email" name="email" type="email" autoComplete="username" value={email}
        onChange={(e) => setEmail(e.target.value)} required />
      <label htmlFor="password">Password</label>
      <input id="password" name="password" type="password" autoComplete="current-password"
        value={password} onChange={(e) => setPassword(e.target.value)} required />
      <Problem error={problem} />
      {message && <p role="status">{message}</p>}
      <button type="submit" disabled={loggingIn}>Sign in</button>
    </form>
    <OidcButtons />
    </>
  );
}
