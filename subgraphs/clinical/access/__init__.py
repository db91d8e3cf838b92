"""Who may see and change which patient data, and the audit trail of every clinical read."""
