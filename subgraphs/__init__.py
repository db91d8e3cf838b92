"""healthgraph subgraphs: auth, clinical and billing services on a shared kernel (``common``)."""
