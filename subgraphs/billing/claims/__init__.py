"""Insurance claims: anchored on an EVM chain, verified against it."""
