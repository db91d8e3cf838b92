"""The ``healthgraph`` command line."""

from __future__ import annotations

import typer

from subgraphs.auth.cli import users_app

__all__ = ["app", "main"]

app = typer.Typer(name="healthgraph", no_args_is_help=True, add_completion=False)
app.add_typer(users_app, name="users")


@app.callback()
def _root() -> None:
    """healthgraph: a federated GraphQL backend for hospitals and clinics."""


def main() -> None:
    """Console-script entry point."""
    app()
