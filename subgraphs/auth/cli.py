"""``healthgraph users ...`` and ``healthgraph totp``: accounts from the command line.

The top-level CLI gives them the stack's auth settings (:data:`AuthSettingsSource`), so that they
work on the database ``healthgraph up`` uses; domain errors are one line and exit code 1.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Coroutine
from contextlib import AbstractContextManager
from typing import Annotated, TypeVar

import typer

from subgraphs.auth.settings import AuthSettings

__all__ = ["AuthSettingsSource", "totp_command", "users_app"]

T = TypeVar("T")

# Opens the auth settings to use (and whatever they need, e.g. a database) for one command.
AuthSettingsSource = Callable[[], AbstractContextManager[AuthSettings]]


def _read_password() -> str:
    """The password from standard input when it is piped, else from a hidden, confirmed prompt."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


def _run(
    source: AuthSettingsSource, action: Callable[[AuthSettings], Coroutine[object, object, T]]
) -> T:
    """``action`` on the settings ``source`` opens; a domain error is one line and exit 1."""
    from subgraphs.common.errors import DomainError

    try:
        with source() as settings:
            return asyncio.run(action(settings))
    except DomainError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(code=1) from None


def users_app(source: AuthSettingsSource) -> typer.Typer:
    """``healthgraph users``, working on the auth settings ``source`` opens."""
    app = typer.Typer(
        name="users",
        no_args_is_help=True,
        help="Manage auth users.",
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
    )

    @app.command("create-admin")
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
        user = _run(
            source,
            lambda settings: create_admin(
                settings, email=email, password=password, display_name=display_name
            ),
        )
        typer.echo(
            f"Created admin {user.email} ({user.id}). MFA enrolment is required at first login."
        )

    return app


def totp_command(source: AuthSettingsSource) -> Callable[[str], None]:
    """``healthgraph totp EMAIL``, working on the auth settings ``source`` opens."""

    def totp(email: Annotated[str, typer.Argument(metavar="EMAIL", hidden=True)]) -> None:
        """Print the TOTP code the demo user EMAIL can give verifyMfa now (development only)."""
        from subgraphs.auth.bootstrap import demo_totp_code
        from subgraphs.common.settings import ServiceSettings

        if ServiceSettings().production:
            typer.echo("error: Refusing to print TOTP codes in production.", err=True)
            raise typer.Exit(code=1)
        code, seconds = _run(source, lambda settings: demo_totp_code(settings, email=email))
        typer.echo(code)
        typer.echo(f"(valid for about {seconds} more seconds, once)", err=True)

    return totp
