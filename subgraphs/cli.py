"""The ``healthgraph`` command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from subgraphs.auth.cli import users_app

__all__ = ["app", "main"]

app = typer.Typer(name="healthgraph", no_args_is_help=True, add_completion=False)
app.add_typer(users_app, name="users")


@app.callback()
def _root() -> None:
    """healthgraph: a federated GraphQL backend for hospitals and clinics."""


@app.command()
def up(
    demo: Annotated[
        bool, typer.Option("--demo", help="Load synthetic demo users once the stack is up.")
    ] = False,
) -> None:
    """Start PostgreSQL, Kafka, Redis, every subgraph and the router; Ctrl-C stops them all."""
    from subgraphs.stack.settings import StackSettings
    from subgraphs.stack.supervisor import run_up

    raise typer.Exit(run_up(StackSettings(), demo=demo))


@app.command()
def seed() -> None:
    """Load synthetic demo users (one per role) into the stack's databases; prints their logins."""
    from subgraphs.stack.settings import StackSettings
    from subgraphs.stack.supervisor import run_seed

    raise typer.Exit(run_seed(StackSettings()))


@app.command()
def migrate() -> None:
    """Create each subgraph's database on DATABASE_URL if missing and apply its migrations."""
    import asyncio

    from rich.console import Console

    from subgraphs.stack.provision import DatabaseUnreachableError, provision_databases
    from subgraphs.stack.services import SUBGRAPHS
    from subgraphs.stack.settings import StackSettings

    console = Console()
    server_url = StackSettings().database_url
    if not server_url:
        console.print(
            "[red]✗[/] DATABASE_URL is not set (healthgraph up migrates its embedded one)."
        )
        raise typer.Exit(2)
    specs = [spec for spec in SUBGRAPHS if spec.available]
    try:
        urls = asyncio.run(provision_databases(server_url, specs))
    except DatabaseUnreachableError as exc:
        console.print(f"[red]✗[/] {exc}")
        raise typer.Exit(1) from None
    for name in urls:
        console.print(f"  [green]✓[/] {name} migrated")


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
    config: Annotated[Path, typer.Option("--config", help="rover-format supergraph config")] = Path(
        "supergraph.yaml"
    ),
    out: Annotated[Path, typer.Option("--out", help="where to write the supergraph SDL")] = Path(
        "schema/supergraph.graphql"
    ),
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
    """Console-script entry point."""
    app()
