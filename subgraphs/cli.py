"""The ``healthgraph`` command line."""

from __future__ import annotations

import typer

__all__ = ["app", "main"]

app = typer.Typer(name="healthgraph", no_args_is_help=True, add_completion=False)


@app.callback()
def _root() -> None:
    """healthgraph: a federated GraphQL backend for hospitals and clinics."""


@app.command()
def up() -> None:
    """Start PostgreSQL, Kafka, Redis, every subgraph and the router; Ctrl-C stops them all."""
    from subgraphs.stack.settings import StackSettings
    from subgraphs.stack.supervisor import run_up

    raise typer.Exit(run_up(StackSettings()))


def main() -> None:
    """Console-script entry point."""
    app()
