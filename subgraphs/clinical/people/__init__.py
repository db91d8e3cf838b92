"""People of the hospital: patients, doctors and medical staff."""
