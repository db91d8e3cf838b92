"""End-to-end tests: ``healthgraph up --demo`` used through the router, as its users use it."""
