"""The clinical subgraph: people, access rules, availability, appointments, records, prescriptions."""
