import { graphql } from "../gql";

// Account security (TOTP enrolment, recovery codes) and sign-in with an identity provider.

export const MySecurityDocument = graphql(`
  query MySecurity {
    me { id email mfaEnabled }
  }
`);

export const EnrollTotpDocument = graphql(`
  mutation EnrollTotp($mfaToken: String) {
    enrollTotp(mfaToken: $mfaToken) { secret qrCodeSize qrCodeSvgPath }
  }
`);

export const ConfirmTotpDocument = graphql(`
  mutation ConfirmTotp($code: String!, $mfaToken: String) {
    confirmTotp(code: $code, mfaToken: $mfaToken) { ...SignedIn recoveryCodes }
  }
`);

export const RegenerateRecoveryCodesDocument = graphql(`
  mutation RegenerateRecoveryCodes {
    regenerateRecoveryCodes
  }
`);

export const SignInProvidersDocument = graphql(`
  query SignInProviders {
    signInProviders { name label startUrl }
  }
`);

export const CompleteOAuthSignInDocument = graphql(`
  mutation CompleteOAuthSignIn($code: String!) {
    completeOAuthSignIn(code: $code) { ...SignedIn }
  }
`);
