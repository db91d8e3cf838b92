"""healthgraph's Apollo-compatible federation router."""
