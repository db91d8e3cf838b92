"""Doctors' working hours, their exceptions, and the free slots computed from them."""
