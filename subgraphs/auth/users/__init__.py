"""Users: identity, role and status."""
