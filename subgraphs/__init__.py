"""healthgraph subgraphs: the auth and clinical services on a shared kernel (``common``)."""
