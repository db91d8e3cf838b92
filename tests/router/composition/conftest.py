"""Composition test helpers; the @apollo/composition peer fixture lives in tests/conftest.py."""

from __future__ import annotations

from tests.conftest import ApolloCompose

__all__ = ["ApolloCompose"]
