"""Signing in: password, second factor, forced MFA enrolment, refresh rotation and logout."""
