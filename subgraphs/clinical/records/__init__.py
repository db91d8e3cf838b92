"""Medical records: encounters with notes, vitals, diagnoses, allergies and medications, versioned."""
