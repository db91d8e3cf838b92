import { useQuery } from "@apollo/client/react";
import { SignInProvidersDocument } from "./operations";
import { startOidcSignIn } from "./oidc";
import "./account.css";

// "Sign in with <provider>" for each identity provider auth is configured with (none: nothing).
export function OidcButtons() {
  const { data } = useQuery(SignInProvidersDocument);
  const providers = data?.signInProviders ?? [];
  if (providers.length === 0) return null;
  return (
    <nav className="providers" aria-label="Other ways to sign in">
      <p>Or</p>
      {providers.map((provider) => (
        <button key={provider.name} type="button" className="secondary"
          onClick={() => startOidcSignIn(provider.startUrl)}>
          Sign in with {provider.label}
        </button>
      ))}
    </nav>
  );
}
