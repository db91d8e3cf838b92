"""Signed prescriptions: Ed25519 JWS over canonical JSON, verification, revocation and PDF."""
