"""Brute-force protection in Redis: attempt counters, lockouts and Retry-After."""
