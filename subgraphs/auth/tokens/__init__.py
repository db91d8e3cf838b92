"""Tokens: signing keys and JWKS, access tokens, refresh-token families, MFA challenges."""
