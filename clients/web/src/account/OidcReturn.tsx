import { useEffect, useRef, useState } from "react";
import { useMutation } from "@apollo/client/react";
import { CompleteOAuthSignInDocument } from "./operations";
import { takeOidcReturn } from "./oidc";
import { Problem } from "../Problem";
import { SignIn } from "../SignIn";
import { sessionFrom, setSession, type AuthPayload } from "../session";

// /app/signin/oidc: back from the identity provider. Trade the one-time code for tokens, or for
// our own two-step challenge (staff), then carry on as after a password sign-in.
export function OidcReturn({ onSignedIn }: { onSignedIn: () => void }) {
  const [complete] = useMutation(CompleteOAuthSignInDocument);
  const [payload, setPayload] = useState<AuthPayload | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const taken = useRef(false);

  useEffect(() => {
    if (taken.current) return; // the code is single-use: trade it once
    taken.current = true;
    const back = takeOidcReturn();
    if ("error" in back) {
      setMessage(back.error);
      return;
    }
    complete({ variables: { code: back.code } })
      .then(({ data }) => {
        const answer = data?.completeOAuthSignIn;
        if (!answer) return;
        const session = sessionFrom(answer);
        if (session) {
          setSession(session);
          onSignedIn();
        } else setPayload(answer); // our own two-step challenge comes next
      })
      .catch(setProblem);
  }, [complete, onSignedIn]);

  if (payload) return <SignIn onSignedIn={onSignedIn} initial={payload} />;
  if (message || problem) {
    return (
      <section className="card" aria-labelledby="oidc-title">
        <h2 id="oidc-title">Sign-in did not complete</h2>
        {message && <p className="error" role="alert" data-testid="error">{message}</p>}
        <Problem error={problem} />
        <SignIn onSignedIn={onSignedIn} />
      </section>
    );
  }
  return <p role="status">Signing you in…</p>;
}
