"""Alembic migrations: the kernel's ``common`` branch plus each service's own version folder."""

from subgraphs.common.migrations.runner import upgrade_database

__all__ = ["upgrade_database"]
