"""Apply a service's migrations (its own branch and the kernel's ``common`` branch) to a database."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import create_async_engine

__all__ = ["alembic_config", "upgrade_database"]

_HERE = Path(__file__).resolve().parent
_SUBGRAPHS = _HERE.parent.parent


def alembic_config(service: str, database_url: str) -> Config:
    """An Alembic config for ``service`` (``auth``, ``clinical``, ``billing``) on ``database_url``.

    The pseudo-service ``common`` has only the kernel's tables (outbox, processed events).
    """
    locations = [_HERE / "versions"]
    if service != "common":
        service_versions = _SUBGRAPHS / service / "migrations" / "versions"
        if not service_versions.is_dir():
            raise ValueError(f"no migrations for service {service!r} at {service_versions}")
        locations.append(service_versions)
    config = Config()
    config.set_main_option("script_location", str(_HERE))
    config.set_main_option("version_locations", " ".join(str(path) for path in locations))
    config.set_main_option("path_separator", "space")
    # ConfigParser interpolation treats % specially; escape it in URLs carrying passwords.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    config.attributes["service"] = service
    return config


async def upgrade_database(service: str, database_url: str, revision: str = "heads") -> None:
    """Upgrade ``database_url`` to ``revision`` of ``service``'s migrations, inside one transaction."""
    config = alembic_config(service, database_url)
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as connection:

            def run(sync_connection: Connection) -> None:
                config.attributes["connection"] = sync_connection
                command.upgrade(config, revision)

            await connection.run_sync(run)
    finally:
        await engine.dispose()
