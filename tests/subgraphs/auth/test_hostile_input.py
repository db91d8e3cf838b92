"""Hostile operations at the auth subgraph: refused in linear time, as client errors."""

from __future__ import annotations

import logging
import uuid

import pytest

from tests.subgraphs.auth.conftest import AuthService
from tests.support.hostile import aliases, fragment_bomb

ENTITIES = "query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { id } } }"


def codes(body: dict[str, object]) -> list[str]:
    errors = body.get("errors") or []
    assert isinstance(errors, list)
    return [e["extensions"]["code"] for e in errors]


@pytest.mark.timeout(60)
@pytest.mark.parametrize("levels", [25, 50, 100])
async def test_a_fragment_bomb_is_refused(auth: AuthService, levels: int) -> None:
    body = await auth.gql(fragment_bomb(levels))
    assert body["_status"] == 400
    assert "MAX_SELECTIONS_EXCEEDED" in codes(body)


@pytest.mark.timeout(60)
async def test_a_mutation_bomb_of_empty_fragments_is_refused(auth: AuthService) -> None:
    """Refused before the credential rule (which walks every spread) would expand it."""
    bomb = fragment_bomb(30, "", on="Mutation", root="mutation")
    body = await auth.gql(bomb)
    assert (body["_status"], codes(body)) == (400, ["MAX_SELECTIONS_EXCEEDED"])


@pytest.mark.timeout(60)
async def test_aliases_and_depth_keep_auths_tighter_limits(auth: AuthService) -> None:
    flood = await auth.gql(aliases(10_000, "me { id }"))
    assert (flood["_status"], codes(flood)) == (400, ["MAX_TOKENS_EXCEEDED"])
    many = await auth.gql(aliases(16, "me { id }"))
    assert (many["_status"], codes(many)) == (400, ["MAX_ALIASES_EXCEEDED"])
    deep = await auth.gql("{ me { " + "a { " * 8 + "b" + " }" * 8 + " } }")
    assert (deep["_status"], codes(deep)) == (400, ["MAX_DEPTH_EXCEEDED"])


async def test_one_credential_check_per_request_still_holds(auth: AuthService) -> None:
    login = 'login(email: "a@example.org", password: "x") { accessToken }'
    body = await auth.gql(f"mutation {{ a: {login} b: {login} }}")
    assert codes(body) == ["BAD_USER_INPUT"]
    assert "login may appear only once per request." in str(body["errors"])


async def test_malformed_user_representations_are_bad_user_input(
    auth: AuthService, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    good = {"__typename": "User", "id": str(uuid.uuid4())}
    body = await auth.gql(ENTITIES, {"r": [{"__typename": "User"}, 7, {**good, "email": "x"}]})
    assert codes(body) == ["BAD_USER_INPUT"] * 3
    assert not [r for r in caplog.records if r.exc_info]
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) == 1
