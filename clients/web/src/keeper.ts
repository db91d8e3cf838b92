import { useEffect, useRef } from "react";
import { useApolloClient } from "@apollo/client/react";
import { LogoutDocument, RefreshDocument } from "./operations";
import { getSession, sessionFrom, setSession, type Session } from "./session";

const ACTIVITY = ["pointerdown", "keydown", "scroll", "touchstart"] as const;

// Keeps a session alive while the person uses the app: silent refresh a minute before the access
// token expires (the refresh token rotates each time), sign-out after `idleMinutes` without input.
export function useSessionKeeper(session: Session | null, idleMinutes: number): () => Promise<void> {
  const client = useApolloClient();
  const lastActive = useRef(Date.now());

  const signOut = async (reason?: string) => {
    const current = getSession();
    setSession(null, reason ?? "You are signed out.");
    if (current) {
      try {
        await client.mutate({ mutation: LogoutDocument, variables: { refreshToken: current.refreshToken } });
      } catch {
        // the refresh token may already be gone; signing out locally is what matters
      }
    }
    await client.clearStore();
  };

  useEffect(() => {
    if (!session) return;
    const wait = Math.max(session.expiresAt - Date.now() - 60_000, 5_000);
    const timer = window.setTimeout(async () => {
      try {
        const result = await client.mutate({
          mutation: RefreshDocument,
          variables: { refreshToken: session.refreshToken },
        });
        const next = result.data ? sessionFrom(result.data.refreshToken, session) : null;
        if (next) setSession(next);
        else setSession(null, "Your session has ended. Please sign in again.");
      } catch {
        setSession(null, "Your session has ended. Please sign in again.");
      }
    }, wait);
    return () => window.clearTimeout(timer);
  }, [session, client]);

  const signedIn = session !== null;
  useEffect(() => {
    if (!signedIn) return;
    lastActive.current = Date.now();
    const touch = () => {
      lastActive.current = Date.now();
    };
    for (const name of ACTIVITY) window.addEventListener(name, touch, { passive: true });
    const timer = window.setInterval(() => {
      if (Date.now() - lastActive.current > idleMinutes * 60_000) {
        void signOut("You were signed out after a period of inactivity.");
      }
    }, 1_000);
    return () => {
      for (const name of ACTIVITY) window.removeEventListener(name, touch);
      window.clearInterval(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [signedIn, idleMinutes]);

  return () => signOut();
}
