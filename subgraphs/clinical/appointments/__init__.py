"""Appointments: booking without double booking, rescheduling, cancelling, the visit's status."""
