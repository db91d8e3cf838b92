// The signed-in session: tokens live in memory only (never localStorage), the access token is
// renewed before it expires with the rotating refresh token, and idleness signs the person out.
export type Session = {
  accessToken: string;
  refreshToken: string;
  expiresAt: number; // ms since epoch
  role: string;
  displayName: string;
};

type Listener = (session: Session | null, reason?: string) => void;

let current: Session | null = null;
const listeners = new Set<Listener>();

export function getSession(): Session | null {
  return current;
}

export function setSession(session: Session | null, reason?: string): void {
  current = session;
  for (const listener of listeners) listener(session, reason);
}

export function onSession(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export type AuthPayload = {
  accessToken?: string | null;
  refreshToken?: string | null;
  expiresIn?: number | null;
  user?: { role: string; displayName: string } | null;
};

export function sessionFrom(payload: AuthPayload, previous?: Session | null): Session | null {
  if (!payload.accessToken || !payload.refreshToken) return null;
  return {
    accessToken: payload.accessToken,
    refreshToken: payload.refreshToken,
    expiresAt: Date.now() + (payload.expiresIn ?? 300) * 1000,
    role: payload.user?.role ?? previous?.role ?? "",
    displayName: payload.user?.displayName ?? previous?.displayName ?? "",
  };
}
