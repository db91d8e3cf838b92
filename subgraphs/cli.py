"""The ``healthgraph`` command line."""

from __future__ import annotations

import typer

__all__ = ["app", "main"]

app = typer.Typer(name="healthgraph", no_args_is_help=True, add_completion=False)


@app.callback()
def _root() -> None:
    """healthgraph: a federated GraphQL backend for hospitals and clinics."""


def main() -> None:
    """Console-script entry point."""
    app()
