"""``healthgraph users ...`` and ``healthgraph totp``: accounts from the command line.

They work on the stack's auth database: ``AUTH_DATABASE_URL`` when set, else the one
``healthgraph up`` uses (``DATABASE_URL``, or the embedded PostgreSQL under the data dir).
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

if TYPE_CHECKING:
    from subgraphs.auth.settings import AuthSettings

__all__ = ["totp_command", "users_app"]

T = TypeVar("T")

users_app = typer.Typer(
    name="users",
    no_args_is_help=True,
    help="Manage auth users.",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _read_password() -> str:
    """The password from standard input when it is piped, else from a hidden, confirmed prompt."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


def _on_auth_database(action: Callable[[AuthSettings], Coroutine[object, object, T]]) -> T:
    """Run ``action(AuthSettings)`` on the stack's auth database; one line and exit 1 on errors."""
    from subgraphs.auth.settings import AuthSettings
    from subgraphs.common.errors import DomainError
    from subgraphs.stack.settings import StackSettings
    from subgraphs.stack.supervisor import StartupError, plain_console, stack_databases

    try:
        if os.environ.get("AUTH_DATABASE_URL"):
            return asyncio.run(action(AuthSettings()))
        console = plain_console()
        with stack_databases(StackSettings(), only={"auth"}, console=console) as databases:
            return asyncio.run(action(AuthSettings(database_url=databases["auth"])))
    except DomainError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(code=1) from None
    except StartupError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from None


@users_app.command("create-admin")
def create_admin_command(
    email: Annotated[
        str, typer.Option("--email", metavar="EMAIL", help="The admin's email address.")
    ],
    display_name: Annotated[
        str, typer.Option("--display-name", metavar="NAME", help="The name shown for them.")
    ] = "Administrator",
) -> None:
    """Create an ADMIN (password from stdin or a prompt). They enrol TOTP at first sign-in."""
    from subgraphs.auth.bootstrap import create_admin

    password = _read_password()
    user = _on_auth_database(
        lambda settings: create_admin(
            settings,
            email=email,
            password=password,
            display_name=display_name,
        )
    )
    typer.echo(f"Created admin {user.email} ({user.id}). MFA enrolment is required at first login.")


def totp_command(
    email: Annotated[str, typer.Argument(metavar="EMAIL", hidden=True)],
) -> None:
    """Print the TOTP code the demo user EMAIL can give verifyMfa now (development only)."""
    from subgraphs.auth.bootstrap import demo_totp_code
    from subgraphs.stack.settings import StackSettings

    if StackSettings().environment == "production":
        typer.echo("error: Refusing to print TOTP codes in production.", err=True)
        raise typer.Exit(code=1)
    code, seconds = _on_auth_database(lambda settings: demo_totp_code(settings, email=email))
    typer.echo(code)
    typer.echo(f"(valid for about {seconds} more seconds, once)", err=True)
