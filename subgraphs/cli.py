"""The ``healthgraph`` command line."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from subgraphs.auth.cli import totp_command, users_app
from subgraphs.auth.settings import AuthSettings

__all__ = ["app", "main"]

# Plain help (no ``<bool>``/``<str>`` placeholders) and no rich tracebacks: every expected failure
# is one line and a non-zero exit, and main() turns an unreachable database into one line too.
app = typer.Typer(
    name="healthgraph",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


@contextmanager
def _auth_settings() -> Iterator[AuthSettings]:
    """auth's settings on ``AUTH_DATABASE_URL`` when set, else on the stack's auth database
    (``DATABASE_URL``, or the embedded PostgreSQL under the data dir); one line and exit 1 when
    PostgreSQL cannot be reached."""
    import asyncio

    from subgraphs.stack.provision import DatabaseUnreachableError, ensure_reachable
    from subgraphs.stack.settings import StackSettings
    from subgraphs.stack.supervisor import StartupError, plain_console, stack_databases

    try:
        if os.environ.get("AUTH_DATABASE_URL"):
            settings = AuthSettings()
            asyncio.run(ensure_reachable(settings.database_url, names_it="AUTH_DATABASE_URL"))
            yield settings
            return
        with stack_databases(StackSettings(), only={"auth"}, console=plain_console()) as found:
            yield AuthSettings(database_url=found["auth"])
    except (StartupError, DatabaseUnreachableError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from None


app.add_typer(users_app(_auth_settings), name="users")
app.command("totp")(totp_command(_auth_settings))


@app.callback()
def _root() -> None:
    """healthgraph: a federated GraphQL backend for hospitals and clinics."""


@app.command()
def up(
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="Seed the synthetic demo clinic (once; never in production) and print its logins.",
        ),
    ] = False,
) -> None:
    """Start PostgreSQL, Kafka, Redis, every subgraph and the router; Ctrl-C stops them all."""
    from subgraphs.stack.settings import StackSettings
    from subgraphs.stack.supervisor import run_up

    raise typer.Exit(run_up(StackSettings(), demo=demo))


@app.command()
def seed() -> None:
    """Seed the synthetic demo clinic into the stack's databases (once); prints its logins."""
    from subgraphs.stack.settings import StackSettings
    from subgraphs.stack.supervisor import run_seed

    raise typer.Exit(run_seed(StackSettings()))


@app.command()
def migrate() -> None:
    """Create each subgraph's database if missing and apply its migrations (DATABASE_URL, or the
    embedded PostgreSQL under the data dir)."""
    from subgraphs.stack.settings import StackSettings
    from subgraphs.stack.supervisor import StartupError, plain_console, stack_databases

    console = plain_console()
    try:
        with stack_databases(StackSettings(), console=console) as databases:
            for name in databases:
                console.print(f"  [green]✓[/] {name} migrated")
    except StartupError as exc:
        console.print(f"[red]✗[/] {exc}")
        raise typer.Exit(1) from None


@app.command()
def topics(
    replication_factor: Annotated[
        int, typer.Option("--replication-factor", min=1, help="Copies of each partition.")
    ] = 1,
) -> None:
    """Create the registry's Kafka topics and their dead-letter topics on KAFKA_BOOTSTRAP_SERVERS
    (idempotent: existing topics are left as they are)."""
    import asyncio
    import logging

    from subgraphs.common.events.topics import ensure_topics
    from subgraphs.stack.settings import StackSettings

    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)  # its failure is our one line
    servers = StackSettings().kafka_bootstrap_servers
    if not servers:
        typer.echo(
            "error: set KAFKA_BOOTSTRAP_SERVERS to the brokers to create topics on", err=True
        )
        raise typer.Exit(1)
    try:
        created = asyncio.run(ensure_topics(servers, replication_factor=replication_factor))
    except Exception as exc:  # noqa: BLE001 (any broker error: one line and exit 1, as for migrate)
        typer.echo(f"error: cannot create Kafka topics on {servers}: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"created {len(created)} topic(s){': ' + ', '.join(created) if created else ''}")


def _export_sdl(config: Path, schema_dir: Path, *, check: bool) -> None:
    """Write our subgraphs' SDL into ``schema_dir``; with ``check``, fail when it is stale."""
    from subgraphs.stack.sdl import exported_services, stale_sdl_files, write_subgraph_sdl

    services = exported_services(config, schema_dir)
    if not check:
        for path in write_subgraph_sdl(schema_dir, services):
            typer.echo(f"exported {path}")
        return
    stale = stale_sdl_files(schema_dir, services)
    if stale:
        typer.echo("stale (run `healthgraph compose`):", err=True)
        for path in stale:
            typer.echo(f"  {path}", err=True)
        raise typer.Exit(1)


@app.command()
def compose(
    config: Annotated[
        Path, typer.Option("--config", metavar="PATH", help="rover-format supergraph config")
    ] = Path("supergraph.yaml"),
    out: Annotated[
        Path, typer.Option("--out", metavar="PATH", help="where to write the supergraph SDL")
    ] = Path("schema/supergraph.graphql"),
    check: Annotated[
        bool, typer.Option("--check", help="only verify that the files in schema/ are current")
    ] = False,
) -> None:
    """Export our subgraphs' SDL to schema/ and compose supergraph.yaml into schema/supergraph.graphql."""
    from router.composition.config import ConfigError
    from router.composition.introspect import SubgraphFetchError
    from router.composition.project import compose_project

    try:
        _export_sdl(config, out.parent, check=check)
        outcome = compose_project(config, out, check=check)
    except (ConfigError, SubgraphFetchError, FileNotFoundError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    if outcome.result.supergraph is None:
        typer.echo(f"composition failed with {len(outcome.result.errors)} error(s):", err=True)
        for error in outcome.result.errors:
            typer.echo(f"  {error}", err=True)
        raise typer.Exit(1)
    if check:
        if outcome.stale:
            typer.echo("stale (run `healthgraph compose`):", err=True)
            for path in outcome.stale:
                typer.echo(f"  {path}", err=True)
            raise typer.Exit(1)
        typer.echo(f"up to date: {len(outcome.files)} file(s)")
        return
    for path in outcome.written:
        typer.echo(f"wrote {path}")
    if not outcome.written:
        typer.echo(f"up to date: {len(outcome.files)} file(s)")


def main() -> None:
    """Console-script entry point. Expected failures are handled where they happen; anything
    else from the outside world (files, network, database) is still one line and exit 1."""
    from pydantic import ValidationError
    from sqlalchemy.exc import DBAPIError

    try:
        app()
    except ValidationError as exc:  # settings from the environment
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"])
            typer.echo(f"error: {where + ': ' if where else ''}{error['msg']}", err=True)
        raise SystemExit(1) from None
    except (OSError, DBAPIError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        typer.echo(f"error: {reason}", err=True)
        raise SystemExit(1) from None
