"""Synthetic demo data for a running or freshly provisioned stack (never real people)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

__all__ = ["seed_demo"]


async def seed_demo(databases: Mapping[str, str], *, echo: Callable[[str], None] = print) -> None:
    """Seed every service that has demo data; ``databases`` maps service name -> database URL."""
    if "auth" in databases:
        from subgraphs.auth.bootstrap import seed_users
        from subgraphs.auth.settings import AuthSettings

        await seed_users(AuthSettings(database_url=databases["auth"]), echo=echo)
