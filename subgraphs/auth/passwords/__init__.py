"""Passwords: argon2id hashing and the password policy."""
