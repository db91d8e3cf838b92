"""``healthgraph users ...``: account administration from the command line."""

from __future__ import annotations

import asyncio
import sys

import typer

__all__ = ["users_app"]

users_app = typer.Typer(name="users", no_args_is_help=True, help="Manage auth users.")


def _read_password() -> str:
    """The password from standard input when it is piped, else from a hidden, confirmed prompt."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@users_app.command("create-admin")
def create_admin_command(
    email: str = typer.Option(..., "--email", help="The admin's email address."),
    display_name: str = typer.Option("Administrator", "--display-name"),
) -> None:
    """Create an ADMIN (password from stdin or a prompt). They enrol TOTP at first sign-in."""
    from subgraphs.auth.bootstrap import create_admin
    from subgraphs.auth.settings import AuthSettings
    from subgraphs.common.errors import DomainError

    password = _read_password()
    try:
        user = asyncio.run(
            create_admin(AuthSettings(), email=email, password=password, display_name=display_name)
        )
    except DomainError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(code=1) from exc
    typer.echo(f"Created admin {user.email} ({user.id}). MFA enrolment is required at first login.")
