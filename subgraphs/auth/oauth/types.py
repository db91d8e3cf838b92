"""GraphQL types of OAuth/OIDC sign-in."""

from __future__ import annotations

import strawberry

__all__ = ["SignInProviderType"]


@strawberry.type(name="SignInProvider")
class SignInProviderType:
    """An identity provider people may sign in with: send the browser to ``startUrl`` (add
    ``app_state``, a random value of the app's, which comes back with the one-time code)."""

    name: str
    label: str
    start_url: str
