// The browser side of signing in with an identity provider (see subgraphs/auth/oauth/service.py).
//
// Why a one-time code in the fragment: auth's callback never puts tokens in a URL. It sends the
// browser back to /app/signin/oidc#code=...&state=...; a fragment is never sent to a server, so
// the code stays out of server logs and Referer headers. The app removes it from the address bar
// and history at once, checks `state` (a random value it kept in sessionStorage before leaving,
// so nobody can plant their own sign-in in this browser), and trades the code, usable once and for
// a minute, for tokens in a GraphQL response. Tokens then live in memory, as after a password
// sign-in. Where auth may send the browser back to is fixed in auth's settings, not in the request.

const STATE_KEY = "healthgraph.oidc.state";
export const OIDC_RETURN_PATH = "/app/signin/oidc";

function randomState(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function startOidcSignIn(startUrl: string): void {
  const state = randomState();
  sessionStorage.setItem(STATE_KEY, state);
  const url = new URL(startUrl);
  url.searchParams.set("app_state", state);
  window.location.assign(url.toString());
}

export type OidcReturn = { code: string } | { error: string };

// Read and forget what the provider round trip left in the URL (once per page load).
export function takeOidcReturn(): OidcReturn {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  window.history.replaceState(null, "", OIDC_RETURN_PATH);
  const expected = sessionStorage.getItem(STATE_KEY);
  sessionStorage.removeItem(STATE_KEY);
  const error = fragment.get("error");
  if (error) return { error };
  const code = fragment.get("code");
  if (!code) return { error: "This sign-in link is not complete. Please sign in again." };
  if (!expected || fragment.get("state") !== expected) {
    return { error: "This sign-in was not started in this browser tab. Please sign in again." };
  }
  return { code };
}
