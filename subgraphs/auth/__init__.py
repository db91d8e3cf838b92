"""The auth subgraph: users, roles, passwords, JWT access tokens with JWKS, refresh rotation, MFA, OAuth."""
