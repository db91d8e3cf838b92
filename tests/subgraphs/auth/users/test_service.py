"""Admin operations (scopes enforced in the service layer too), entity lookups and their events."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import text

from subgraphs.common.context import Role
from tests.subgraphs.auth.conftest import ME, PASSWORD, REFRESH, AuthService
from tests.support.tokens import mint

CREATE = """mutation($input: CreateUserInput!) {
  createUser(input: $input) { id email role status displayName mfaEnabled }
}"""
ROLE = "mutation($id: ID!, $role: Role!) { updateUserRole(userId: $id, role: $role) { id role } }"
DISABLE = "mutation($id: ID!) { disableUser(userId: $id) { id status } }"
RESET = "mutation($id: ID!) { resetMfa(userId: $id) { id mfaEnabled } }"
USERS = """query($first: Int!, $after: String, $role: Role, $status: UserStatus, $search: String) {
  users(first: $first, after: $after, role: $role, status: $status, search: $search) {
    totalCount hasNextPage endCursor nodes { email role status }
  }
}"""
ENTITIES = """query($reps: [_Any!]!) {
  _entities(representations: $reps) { ... on User { id displayName role } }
}"""


async def _admin(auth: AuthService) -> tuple[uuid.UUID, str]:
    """An admin and an access token of theirs (through real MFA enrolment)."""
    user, secret = await auth.enrolled("root@example.org", Role.ADMIN)
    token = (await auth.sign_in_with_mfa("root@example.org", secret))["accessToken"]
    return user.id, token


def _new_user(email: str, role: str = "DOCTOR", password: str = PASSWORD) -> dict[str, object]:
    return {
        "input": {"email": email, "displayName": "Dr Synthetic", "role": role, "password": password}
    }


async def test_admin_creates_a_user_and_the_event_is_recorded(auth: AuthService) -> None:
    admin_id, token = await _admin(auth)
    body = await auth.gql(CREATE, _new_user("New.Doc@Example.org"), token=token)
    created = body["data"]["createUser"]
    assert created["role"] == "DOCTOR"
    assert created["status"] == "ACTIVE"
    assert created["mfaEnabled"] is False
    async with auth.runtime.database.session() as session:
        connection = await session.connection()
        row = (
            await connection.execute(
                text(
                    "SELECT actor, aggregate_id, payload FROM outbox_event "
                    "WHERE type = 'user.created' ORDER BY position DESC LIMIT 1"
                )
            )
        ).one()
    assert row.actor == str(admin_id)
    assert row.aggregate_id == created["id"]
    assert row.payload == {"role": "DOCTOR", "source": "admin"}
    assert "password" not in json.dumps(row.payload)


async def test_create_user_rules(auth: AuthService) -> None:
    _, token = await _admin(auth)
    duplicate = await auth.gql(CREATE, _new_user("ROOT@example.org"), token=token)
    assert duplicate["errors"][0]["extensions"]["code"] == "CONFLICT"
    weak = await auth.gql(
        CREATE, _new_user("weak@example.org", password="password1234"), token=token
    )
    assert weak["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    short = await auth.gql(CREATE, _new_user("short@example.org", password="short"), token=token)
    assert short["errors"][0]["message"] == "The password must have at least 12 characters."
    bad_email = await auth.gql(CREATE, _new_user("not-an-email"), token=token)
    assert bad_email["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_non_admins_are_forbidden_even_past_the_router(auth: AuthService) -> None:
    await auth.user("doc@example.org", Role.DOCTOR)
    before = await auth.snapshot()
    doctor_token = mint(role=Role.DOCTOR)  # a valid token of a role without users:write
    for query, variables in [
        (CREATE, _new_user("x@example.org")),
        (ROLE, {"id": str(uuid.uuid4()), "role": "ADMIN"}),
        (DISABLE, {"id": str(uuid.uuid4())}),
        (RESET, {"id": str(uuid.uuid4())}),
    ]:
        anonymous = await auth.gql(query, variables)
        assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await auth.snapshot() == before
    # A token signed by someone else's key is refused; ours with a DOCTOR role is FORBIDDEN.
    refused = await auth.gql(CREATE, _new_user("x@example.org"), token=doctor_token)
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    await auth.user("pat@example.org", Role.PATIENT)
    patient_token = (await auth.sign_in("pat@example.org"))["accessToken"]
    forbidden = await auth.gql(CREATE, _new_user("x@example.org"), token=patient_token)
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    listing = await auth.gql(USERS, {"first": 5}, token=patient_token)
    assert listing["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_role_change_is_an_event_and_revokes_sessions(auth: AuthService) -> None:
    _, token = await _admin(auth)
    patient = await auth.user("promote@example.org", Role.PATIENT)
    session = await auth.sign_in("promote@example.org")
    changed = await auth.gql(ROLE, {"id": str(patient.id), "role": "STAFF"}, token=token)
    assert changed["data"]["updateUserRole"]["role"] == "STAFF"
    async with auth.runtime.database.session() as db:
        connection = await db.connection()
        payload = (
            await connection.execute(
                text("SELECT payload FROM outbox_event WHERE type = 'user.role_changed'")
            )
        ).scalar_one()
    assert payload == {"previous_role": "PATIENT", "role": "STAFF"}
    stale = await auth.gql(REFRESH, {"r": session["refreshToken"]})
    assert stale["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    # STAFF requires MFA now: the next login asks for enrolment.
    again = (await auth.login("promote@example.org"))["data"]["login"]
    assert again["mfaEnrollmentRequired"] is True


async def test_last_admin_cannot_be_demoted_or_disable_themself(auth: AuthService) -> None:
    admin_id, token = await _admin(auth)
    demote = await auth.gql(ROLE, {"id": str(admin_id), "role": "PATIENT"}, token=token)
    assert demote["errors"][0]["extensions"]["code"] == "CONFLICT"
    disable = await auth.gql(DISABLE, {"id": str(admin_id)}, token=token)
    assert disable["errors"][0]["extensions"]["code"] == "CONFLICT"
    missing = await auth.gql(DISABLE, {"id": str(uuid.uuid4())}, token=token)
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    bad_id = await auth.gql(DISABLE, {"id": "not-a-uuid"}, token=token)
    assert bad_id["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_disable_user(auth: AuthService) -> None:
    _, token = await _admin(auth)
    victim = await auth.user("gone@example.org", Role.PATIENT)
    session = await auth.sign_in("gone@example.org")
    body = await auth.gql(DISABLE, {"id": str(victim.id)}, token=token)
    assert body["data"]["disableUser"]["status"] == "DISABLED"
    assert (await auth.events())[-1] == "user.disabled"
    login = await auth.login("gone@example.org")
    assert login["errors"][0]["message"] == "Invalid email or password."
    refresh = await auth.gql(REFRESH, {"r": session["refreshToken"]})
    assert refresh["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    me = await auth.gql(ME, token=session["accessToken"])
    assert me["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_reset_mfa(auth: AuthService) -> None:
    _, token = await _admin(auth)
    staff, _ = await auth.enrolled("lost.phone@example.org", Role.STAFF)
    body = await auth.gql(RESET, {"id": str(staff.id)}, token=token)
    assert body["data"]["resetMfa"]["mfaEnabled"] is False
    assert await auth.count("totp_credential", f"user_id = '{staff.id}'") == 0
    assert await auth.count("recovery_code", f"user_id = '{staff.id}'") == 0
    assert "auth.mfa_reset" in await auth.events()
    login = (await auth.login("lost.phone@example.org"))["data"]["login"]
    assert login["mfaEnrollmentRequired"] is True


async def test_users_pagination_and_filters(auth: AuthService) -> None:
    _, token = await _admin(auth)
    for index in range(5):
        await auth.user(
            f"p{index}@example.org", Role.PATIENT, display_name=f"Patient Number{index}"
        )
    await auth.user("doc.search@example.org", Role.DOCTOR, display_name="Dr Findme Synthetic")
    page = (await auth.gql(USERS, {"first": 3}, token=token))["data"]["users"]
    assert page["totalCount"] == 7
    assert page["hasNextPage"] is True
    assert len(page["nodes"]) == 3
    emails = [node["email"] for node in page["nodes"]]
    rest = (await auth.gql(USERS, {"first": 10, "after": page["endCursor"]}, token=token))["data"][
        "users"
    ]
    emails += [node["email"] for node in rest["nodes"]]
    assert rest["hasNextPage"] is False
    assert emails == sorted(emails)
    assert len(set(emails)) == 7
    patients = (await auth.gql(USERS, {"first": 10, "role": "PATIENT"}, token=token))["data"][
        "users"
    ]
    assert patients["totalCount"] == 5
    found = (await auth.gql(USERS, {"first": 10, "search": "findme"}, token=token))["data"]["users"]
    assert [node["email"] for node in found["nodes"]] == ["doc.search@example.org"]
    wildcard = (await auth.gql(USERS, {"first": 10, "search": "%"}, token=token))["data"]["users"]
    assert wildcard["totalCount"] == 0
    active = (await auth.gql(USERS, {"first": 10, "status": "DISABLED"}, token=token))["data"][
        "users"
    ]
    assert active["totalCount"] == 0
    too_many = await auth.gql(USERS, {"first": 1000}, token=token)
    assert too_many["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    bad_cursor = await auth.gql(USERS, {"first": 1, "after": "@@@"}, token=token)
    assert bad_cursor["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_entities_are_batched_and_need_a_signed_in_caller(auth: AuthService) -> None:
    users = [await auth.user(f"e{index}@example.org") for index in range(3)]
    token = (await auth.sign_in("e0@example.org"))["accessToken"]
    reps = [{"__typename": "User", "id": str(user.id)} for user in users]
    reps.append({"__typename": "User", "id": str(uuid.uuid4())})
    body = await auth.gql(ENTITIES, {"reps": reps}, token=token)
    entities = body["data"]["_entities"]
    assert [entity and entity["id"] for entity in entities] == [*[str(u.id) for u in users], None]
    anonymous = await auth.gql(ENTITIES, {"reps": reps[:1]})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_private_fields_of_other_users_need_users_read(auth: AuthService) -> None:
    other = await auth.user("other@example.org")
    await auth.user("viewer@example.org")
    token = (await auth.sign_in("viewer@example.org"))["accessToken"]
    query = "query($r: [_Any!]!) { _entities(representations: $r) { ... on User { displayName email } } }"
    body = await auth.gql(query, {"r": [{"__typename": "User", "id": str(other.id)}]}, token=token)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert body["errors"][0]["path"] == ["_entities", 0, "email"]


async def test_other_subgraphs_refuse_a_disabled_or_reroled_users_tokens(
    auth: AuthService, redis_url: str
) -> None:
    """A subgraph verifying offline with the revocation list refuses the tokens at once."""
    from redis.asyncio import Redis

    from subgraphs.common.errors import Unauthenticated
    from subgraphs.common.tokens import JwtVerifier, RedisRevocationList, StaticJwks

    _, token = await _admin(auth)
    disabled = await auth.user("leaver@example.org")
    reroled = await auth.user("mover@example.org")
    leaver_token = (await auth.sign_in("leaver@example.org"))["accessToken"]
    mover_token = (await auth.sign_in("mover@example.org"))["accessToken"]
    redis = Redis.from_url(redis_url)
    verifier = JwtVerifier(
        StaticJwks((await auth.client.get("/.well-known/jwks.json")).json()),
        issuer=auth.settings.jwt_issuer,
        audience=auth.settings.jwt_audience,
        revocations=RedisRevocationList(redis),
    )
    await verifier.verify(leaver_token)
    await verifier.verify(mover_token)
    await auth.gql(DISABLE, {"id": str(disabled.id)}, token=token)
    await auth.gql(ROLE, {"id": str(reroled.id), "role": "STAFF"}, token=token)
    for stale in (leaver_token, mover_token):
        with pytest.raises(Unauthenticated, match="revoked"):
            await verifier.verify(stale)
    await redis.aclose()
