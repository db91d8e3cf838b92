"""``python -m subgraphs.clinical.analytics rebuild``: empty the analytics store and replay the
topics from their earliest offsets (``--database-url``/``CLINICAL_DATABASE_URL``, the clinical
database; ``--bootstrap-servers``/``KAFKA_BOOTSTRAP_SERVERS``; ``--group``/``CLINICAL_ANALYTICS_GROUP``).

Safe while the clinical service runs: its consumer group and the replay both skip the event ids
the other applied (see :func:`subgraphs.clinical.analytics.consumer.rebuild`).
"""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from subgraphs.clinical.analytics.consumer import rebuild
from subgraphs.clinical.analytics.settings import AnalyticsSettings
from subgraphs.common.database import Database

__all__ = ["app"]

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """The clinical service's analytics store."""


@app.command("rebuild")
def rebuild_command(
    database_url: Annotated[str, typer.Option(envvar="CLINICAL_DATABASE_URL")],
    bootstrap_servers: Annotated[str, typer.Option(envvar="KAFKA_BOOTSTRAP_SERVERS")],
    group: Annotated[
        str, typer.Option(envvar="CLINICAL_ANALYTICS_GROUP")
    ] = AnalyticsSettings.model_fields["analytics_group"].default,
) -> None:
    """Reset the analytics and replay every analytics topic from the earliest offset."""

    async def run() -> None:
        database = Database(database_url)
        try:
            done = await rebuild(database, bootstrap_servers, group_id=group)
        finally:
            await database.dispose()
        typer.echo(
            f"rebuilt from {done.events} events ({done.applied} applied) in {done.seconds:.1f}s"
        )

    asyncio.run(run())


if __name__ == "__main__":
    app()
