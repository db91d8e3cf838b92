"""TOTP multi-factor authentication (RFC 6238) with single-use recovery codes."""
