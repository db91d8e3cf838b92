"""OAuth 2.0 authorization-code sign-in with PKCE (RFC 7636), state and OIDC nonce; account linking.

Linking rule: a provider account is identified by ``(provider, subject)``, never by email. On the
first sign-in, if no user has the provider's email, a PATIENT is created and linked. If a user
already has that email, the provider account is linked to it only when the provider vouches the
email is verified AND that user has no password (it was created for OAuth or by invitation);
otherwise the sign-in is refused (CONFLICT) and the person signs in with their password. A
provider that does not vouch for the email never creates or links an account (UNAUTHENTICATED).

Hand-off to a browser app: when ``oauth_success_redirect`` is set, the callback issues no tokens.
It keeps the verified user under a random one-time code (Redis, 60 s, single use) and sends the
browser to that fixed, configured address with ``#code=...`` in the fragment; the app redeems the
code with the ``completeOAuthSignIn`` mutation and gets tokens (or our MFA challenge) in the
response body, kept in memory. So no token ever appears in a URL, the browser history or a server
log (a fragment is never sent to a server), a stolen code is worthless after its first use or a
minute, and the app checks that the ``app_state`` it passed to ``authorize`` comes back, so
nobody can plant their own sign-in in someone else's browser.
"""

from __future__ import annotations

import hmac
import json
import re
import secrets
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import jwt
from authlib.common.security import generate_token
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from jwt.exceptions import InvalidTokenError
from sqlmodel import select

from subgraphs.auth.events import AuthEvent, emit
from subgraphs.auth.oauth.models import ExternalIdentity
from subgraphs.auth.oauth.providers import Provider
from subgraphs.auth.runtime import AuthRuntime
from subgraphs.auth.signin.service import SignIn, after_first_factor
from subgraphs.auth.users.models import User, UserStatus
from subgraphs.auth.users.service import find_by_email, register_user
from subgraphs.common.context import Role
from subgraphs.common.database import AsyncSession
from subgraphs.common.errors import BadUserInput, Conflict, Unauthenticated
from subgraphs.common.tokens import CLOCK_SKEW_SECONDS

__all__ = [
    "Callback",
    "ExternalAccount",
    "Handoff",
    "authorization_url",
    "complete_oauth_sign_in",
    "hand_off_oauth_sign_in",
    "redeem_handoff",
]

STATE_TTL = 600
HANDOFF_TTL = 60
EXPIRED_HANDOFF = "This sign-in has expired or was already used. Please sign in again."
_APP_STATE = re.compile(r"[A-Za-z0-9_-]{16,128}")


@dataclass(frozen=True, slots=True)
class ExternalAccount:
    provider: str
    subject: str
    email: str | None
    email_verified: bool
    name: str | None


@dataclass(frozen=True, slots=True)
class Handoff:
    """The one-time code the browser app redeems, and the app's own state to check."""

    code: str
    app_state: str | None


def _state_key(runtime: AuthRuntime, state: str) -> str:
    return f"{runtime.settings.redis_key_prefix}:oauth:state:{state}"


def _handoff_key(runtime: AuthRuntime, code: str) -> str:
    return f"{runtime.settings.redis_key_prefix}:oauth:handoff:{code}"


def _s256(verifier: str) -> str:
    """RFC 7636 S256 code challenge (Authlib's helper; its stubs leave it untyped)."""
    challenge: str = create_s256_code_challenge(verifier)  # type: ignore[no-untyped-call]  # untyped in types-Authlib
    return challenge


def redirect_uri(runtime: AuthRuntime, provider: str) -> str:
    return f"{runtime.settings.public_url.rstrip('/')}/oauth/{provider}/callback"


async def authorization_url(
    runtime: AuthRuntime, *, provider_name: str, ip: str, app_state: str | None = None
) -> str:
    """Where to send the browser: the provider's consent page with state, nonce and S256 PKCE.
    ``app_state`` (the browser app's random value) comes back with the hand-off code."""
    if app_state is not None and not _APP_STATE.fullmatch(app_state):
        raise BadUserInput("app_state must be 16 to 128 characters of A-Z, a-z, 0-9, - and _.")
    await runtime.guard.attempt("oauth", ip=ip)
    provider = await runtime.oauth.get(provider_name)
    state = generate_token(32)
    nonce = generate_token(32)
    verifier = generate_token(64)
    saved = {"provider": provider.name, "nonce": nonce, "verifier": verifier, "app": app_state}
    await runtime.redis.set(_state_key(runtime, state), json.dumps(saved), ex=STATE_TTL)
    params = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": redirect_uri(runtime, provider.name),
        "scope": provider.scope,
        "state": state,
        "code_challenge": _s256(verifier),
        "code_challenge_method": "S256",
    }
    if provider.openid:
        params["nonce"] = nonce
    separator = "&" if "?" in provider.authorization_endpoint else "?"
    return f"{provider.authorization_endpoint}{separator}{urlencode(params)}"


async def _exchange(
    runtime: AuthRuntime, provider: Provider, *, code: str, verifier: str
) -> dict[str, Any]:
    response = await runtime.http.post(
        provider.token_endpoint,
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri(runtime, provider.name),
            "code_verifier": verifier,
            "client_id": provider.client_id,
            "client_secret": provider.client_secret,
        },
        headers={"accept": "application/json"},
    )
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code != 200 or not isinstance(body, dict) or "access_token" not in body:
        raise Unauthenticated(
            "The provider did not accept the sign-in (the code may be used or expired)."
        )
    return body


async def _id_token_account(provider: Provider, id_token: str, nonce: str) -> ExternalAccount:
    assert provider.jwks is not None
    try:
        kid = jwt.get_unverified_header(id_token).get("kid")
        key = await provider.jwks.key(str(kid)) if kid else None
        if key is None:
            raise Unauthenticated("The provider's ID token is not signed by a key it publishes.")
        claims = jwt.decode(
            id_token,
            key=key.key,
            algorithms=[key.algorithm],
            audience=provider.client_id,
            issuer=provider.issuer,
            leeway=CLOCK_SKEW_SECONDS,
            options={"require": ["iss", "aud", "sub", "exp", "iat"]},
        )
    except InvalidTokenError as exc:
        raise Unauthenticated("The provider's ID token is not valid.") from exc
    if not hmac.compare_digest(str(claims.get("nonce", "")), nonce):
        raise Unauthenticated("The provider's ID token does not answer this sign-in (nonce).")
    verified = claims.get("email_verified")
    return ExternalAccount(
        provider=provider.name,
        subject=str(claims["sub"]),
        email=claims.get("email"),
        email_verified=verified is True or verified == "true",
        name=claims.get("name"),
    )


async def _userinfo_account(
    runtime: AuthRuntime, provider: Provider, access_token: str
) -> ExternalAccount:
    if provider.userinfo_endpoint is None:
        raise Unauthenticated("The provider gave no identity.")
    response = await runtime.http.get(
        provider.userinfo_endpoint, headers={"authorization": f"Bearer {access_token}"}
    )
    if response.status_code != 200:
        raise Unauthenticated("The provider gave no identity.")
    data = response.json()
    subject = data.get("sub") or data.get("id")
    if not subject:
        raise Unauthenticated("The provider gave no identity.")
    verified = data.get("email_verified", provider.emails_verified_by_default)
    return ExternalAccount(
        provider=provider.name,
        subject=str(subject),
        email=data.get("email"),
        email_verified=verified is True or verified == "true",
        name=data.get("name"),
    )


async def _linked_user(session: AsyncSession, account: ExternalAccount) -> User:
    """Apply the linking rule (see the module docstring); writes only once every check passed."""
    link = (
        await session.exec(
            select(ExternalIdentity).where(
                ExternalIdentity.provider == account.provider,
                ExternalIdentity.subject == account.subject,
            )
        )
    ).first()
    if link is not None:
        user = await session.get(User, link.user_id, with_for_update=True)
        if user is None or user.status == UserStatus.DISABLED:
            raise Unauthenticated("This account cannot sign in.")
        return user
    if not account.email or not account.email_verified:
        raise Unauthenticated("The provider has not verified your email address.")
    existing = await find_by_email(session, account.email)
    if existing is not None:
        if existing.password_hash is not None or existing.status == UserStatus.DISABLED:
            raise Conflict("An account with this email already exists; sign in with your password.")
        user = existing
    else:
        user = await register_user(
            session,
            hashing=None,
            email=account.email,
            display_name=account.name or account.email.partition("@")[0],
            role=Role.PATIENT,
            password=None,
            actor="self",
            source=f"oauth:{account.provider}",
        )
    session.add(
        ExternalIdentity(
            provider=account.provider, subject=account.subject, user_id=user.id, email=account.email
        )
    )
    await emit(
        session,
        AuthEvent.OAUTH_LINKED,
        user_id=user.id,
        actor=str(user.id),
        provider=account.provider,
    )
    return user


@dataclass(frozen=True, slots=True)
class Callback:
    """What the provider's redirect to ``/oauth/{provider}/callback`` brought."""

    provider_name: str
    code: str | None
    state: str | None
    error: str | None
    ip: str


async def _verified_user(
    runtime: AuthRuntime, callback: Callback
) -> tuple[uuid.UUID, dict[str, Any]]:
    """The callback's checks: single-use state, code exchange with the PKCE verifier, ID-token
    checks, then linking (committed). Returns the user's id and the saved state."""
    await runtime.guard.attempt("oauth", ip=callback.ip)
    state = callback.state
    if not state or len(state) > 200:
        raise Unauthenticated("The sign-in state is missing or not valid.")
    stored = await runtime.redis.getdel(_state_key(runtime, state))
    if stored is None:
        raise Unauthenticated("The sign-in state is missing or not valid.")
    saved: dict[str, Any] = json.loads(stored)
    if not secrets.compare_digest(saved["provider"], callback.provider_name):
        raise Unauthenticated("The sign-in state is missing or not valid.")
    if callback.error or not callback.code:
        raise Unauthenticated("The provider did not complete the sign-in.")
    provider = await runtime.oauth.get(callback.provider_name)
    tokens = await _exchange(runtime, provider, code=callback.code, verifier=saved["verifier"])
    if provider.openid:
        if "id_token" not in tokens:
            raise Unauthenticated("The provider gave no ID token.")
        account = await _id_token_account(provider, tokens["id_token"], saved["nonce"])
    else:
        account = await _userinfo_account(runtime, provider, tokens["access_token"])
    async with runtime.database.transaction() as session:
        user = await _linked_user(session, account)
        return user.id, saved


async def complete_oauth_sign_in(runtime: AuthRuntime, *, callback: Callback) -> SignIn:
    """The callback answered directly (API clients): our tokens, or our MFA challenge for roles
    that need it."""
    user_id, _ = await _verified_user(runtime, callback)
    return await _sign_in(runtime, user_id=user_id, provider=callback.provider_name, ip=callback.ip)


async def hand_off_oauth_sign_in(runtime: AuthRuntime, *, callback: Callback) -> Handoff:
    """The callback for a browser app: a one-time code for ``redeem_handoff`` (no tokens yet)."""
    user_id, saved = await _verified_user(runtime, callback)
    handoff = generate_token(43)
    await runtime.redis.set(
        _handoff_key(runtime, handoff),
        json.dumps({"user": str(user_id), "provider": callback.provider_name}),
        ex=HANDOFF_TTL,
    )
    return Handoff(code=handoff, app_state=saved.get("app"))


async def redeem_handoff(runtime: AuthRuntime, *, code: str, ip: str) -> SignIn:
    """Spend a hand-off code: our tokens, or our MFA challenge for roles that need it."""
    await runtime.guard.attempt("oauth", ip=ip)
    stored = await runtime.redis.getdel(_handoff_key(runtime, code)) if len(code) <= 200 else None
    if stored is None:
        raise Unauthenticated(EXPIRED_HANDOFF)
    saved = json.loads(stored)
    return await _sign_in(
        runtime, user_id=uuid.UUID(saved["user"]), provider=saved["provider"], ip=ip
    )


async def _sign_in(runtime: AuthRuntime, *, user_id: uuid.UUID, provider: str, ip: str) -> SignIn:
    async with runtime.database.transaction() as session:
        user = await session.get(User, user_id, with_for_update=True)
        if user is None or user.status != UserStatus.ACTIVE:
            raise Unauthenticated("This account cannot sign in.")
        return await after_first_factor(
            session, runtime, user=user, method=f"oauth:{provider}", ip=ip
        )
