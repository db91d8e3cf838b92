"""What billing adds to the entities other subgraphs own: ``Patient`` and ``Appointment``."""
