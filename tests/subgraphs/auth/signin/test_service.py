"""Password login, access-token claims, refresh rotation and reuse, logout, REST and discovery."""

from __future__ import annotations

import jwt

from subgraphs.common.context import Role
from subgraphs.common.tokens import SCOPES_BY_ROLE, JwtVerifier, Scope, StaticJwks, scope_claim
from tests.subgraphs.auth.conftest import ME, PASSWORD, REFRESH, AuthService


async def test_patient_login_returns_tokens_with_the_contract_claims(auth: AuthService) -> None:
    user = await auth.user("Pat.Ient@Example.org", Role.PATIENT)
    payload = await auth.sign_in("pat.ient@example.org")  # email is case-insensitive
    assert payload["mfaRequired"] is False
    assert payload["tokenType"] == "Bearer"
    assert payload["expiresIn"] == 600
    assert payload["user"] == {
        "id": str(user.id),
        "email": "Pat.Ient@Example.org",
        "role": "PATIENT",
        "displayName": "Synthetic Person",
    }
    header = jwt.get_unverified_header(payload["accessToken"])
    assert header["typ"] == "at+jwt"
    assert header["alg"] == "EdDSA"
    jwks = (await auth.client.get("/.well-known/jwks.json")).json()
    verifier = JwtVerifier(
        StaticJwks(jwks), issuer=auth.settings.jwt_issuer, audience=auth.settings.jwt_audience
    )
    claims = await verifier.verify(payload["accessToken"])
    assert set(claims) == {"iss", "aud", "sub", "exp", "iat", "nbf", "jti", "role", "scope"}
    assert claims["sub"] == str(user.id)
    assert claims["exp"] - claims["iat"] == 600
    assert claims["scope"] == scope_claim(Role.PATIENT)
    assert set(claims["scope"].split()) == {
        "profile:read",
        "profile:write",
        "patients:read:own",
        "patients:write:own",
        "records:read:own",
        "appointments:read:own",
        "appointments:write:own",
        "prescriptions:read:own",
        "billing:read:own",
        "billing:pay:own",
    }
    assert claims["role"] == "PATIENT"
    assert await auth.events() == ["user.created", "auth.login_succeeded"]


def test_role_table_grants_what_the_subgraphs_enforce() -> None:
    """The one role -> scope table (issued by auth, checked by every subgraph): key decisions."""
    admin, doctor, staff = (SCOPES_BY_ROLE[r] for r in (Role.ADMIN, Role.DOCTOR, Role.STAFF))
    # ADMIN manages people, schedules and care teams; reads notes only through break-glass.
    assert {Scope.PATIENTS_WRITE, Scope.STAFF_WRITE, Scope.SCHEDULE_WRITE} <= admin
    assert {Scope.CARE_TEAM_WRITE, Scope.RECORDS_BREAK_GLASS} <= admin
    assert Scope.RECORDS_READ not in admin
    # Only an administrator or the doctor may overbook; staff register patients, doctors do not.
    assert Scope.APPOINTMENTS_OVERBOOK in admin & doctor
    assert Scope.APPOINTMENTS_OVERBOOK not in staff
    assert Scope.PATIENTS_WRITE in staff - doctor
    # Staff read and write notes where their staff role allows it (the clinical row rules).
    assert {Scope.RECORDS_READ, Scope.RECORDS_WRITE} <= staff
    assert Scope.PRESCRIPTIONS_WRITE in doctor - staff
    assert Scope.STAFF_WRITE not in doctor | staff
    # The account directory (every patient's sign-in email) is not a doctor's to browse: they
    # list their care team's patients through clinical.
    assert Scope.USERS_READ not in doctor


async def test_me(auth: AuthService) -> None:
    user = await auth.user("me@example.org")
    token = (await auth.sign_in("me@example.org"))["accessToken"]
    body = await auth.gql(ME, token=token)
    assert body["data"]["me"] == {
        "id": str(user.id),
        "email": "me@example.org",
        "role": "PATIENT",
        "status": "ACTIVE",
        "mfaEnabled": False,
        "displayName": "Synthetic Person",
    }
    anonymous = await auth.gql(ME)
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_wrong_password_and_unknown_email_answer_alike(auth: AuthService) -> None:
    await auth.user("known@example.org")
    wrong = await auth.login("known@example.org", "not the right password")
    unknown = await auth.login("nobody@example.org", PASSWORD)
    for body in (wrong, unknown):
        assert body["data"] is None
        assert body["errors"][0]["message"] == "Invalid email or password."
        assert body["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
    assert await auth.count("refresh_token") == 0
    assert await auth.events() == ["user.created", "auth.login_failed", "auth.login_failed"]


async def test_refresh_rotates_and_reuse_revokes_the_family(auth: AuthService) -> None:
    await auth.user("rot@example.org")
    first = await auth.sign_in("rot@example.org")
    second = (await auth.gql(REFRESH, {"r": first["refreshToken"]}))["data"]["refreshToken"]
    assert second["refreshToken"] != first["refreshToken"]
    assert second["accessToken"]
    third = (await auth.gql(REFRESH, {"r": second["refreshToken"]}))["data"]["refreshToken"]
    # The thief replays the first token: refused, and the whole family dies.
    replay = await auth.gql(REFRESH, {"r": first["refreshToken"]})
    assert replay["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    legit = await auth.gql(REFRESH, {"r": third["refreshToken"]})
    assert legit["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await auth.count("refresh_token", "revoked_at IS NULL") == 0
    assert "auth.refresh_token_reused" in await auth.events()


async def test_a_second_login_is_a_separate_family(auth: AuthService) -> None:
    await auth.user("two@example.org")
    laptop = await auth.sign_in("two@example.org")
    phone = await auth.sign_in("two@example.org")
    await auth.gql(REFRESH, {"r": laptop["refreshToken"]})
    await auth.gql(REFRESH, {"r": laptop["refreshToken"]})  # reuse kills the laptop family only
    ok = await auth.gql(REFRESH, {"r": phone["refreshToken"]})
    assert ok["data"]["refreshToken"]["accessToken"]


async def test_logout_revokes_the_family(auth: AuthService) -> None:
    await auth.user("out@example.org")
    tokens = await auth.sign_in("out@example.org")
    rotated = (await auth.gql(REFRESH, {"r": tokens["refreshToken"]}))["data"]["refreshToken"]
    body = await auth.gql(
        "mutation($r: String!) { logout(refreshToken: $r) }", {"r": rotated["refreshToken"]}
    )
    assert body["data"] == {"logout": True}
    again = await auth.gql(REFRESH, {"r": rotated["refreshToken"]})
    assert again["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    unknown = await auth.gql('mutation { logout(refreshToken: "nope") }')
    assert unknown["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_expired_refresh_token(auth: AuthService) -> None:
    await auth.user("exp@example.org")
    tokens = await auth.sign_in("exp@example.org")
    async with auth.runtime.database.transaction() as session:
        connection = await session.connection()
        from sqlalchemy import text

        await connection.execute(
            text("UPDATE refresh_token SET expires_at = now() - interval '1 second'")
        )
    body = await auth.gql(REFRESH, {"r": tokens["refreshToken"]})
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_rest_login_and_validate(auth: AuthService) -> None:
    user = await auth.user("rest@example.org")
    response = await auth.client.post(
        "/login", json={"email": "rest@example.org", "password": PASSWORD}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["mfaRequired"] is False
    assert body["user"]["id"] == str(user.id)
    validated = await auth.client.post("/validate", json={"token": body["accessToken"]})
    assert validated.status_code == 200
    assert validated.json()["active"] is True
    assert validated.json()["claims"]["sub"] == str(user.id)
    by_header = await auth.client.post(
        "/validate", headers={"authorization": f"Bearer {body['accessToken']}"}
    )
    assert by_header.status_code == 200
    bad = await auth.client.post(
        "/login", json={"email": "rest@example.org", "password": "wrong password!"}
    )
    assert bad.status_code == 401
    assert bad.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    invalid = await auth.client.post("/validate", json={"token": "garbage"})
    assert invalid.status_code == 401
    missing = await auth.client.post("/validate")
    assert missing.status_code == 401


async def test_openapi_documents_login_and_validate(auth: AuthService) -> None:
    document = (await auth.client.get("/openapi.json")).json()
    assert "post" in document["paths"]["/login"]
    assert "post" in document["paths"]["/validate"]
    assert {"401", "429"} <= set(document["paths"]["/login"]["post"]["responses"])


async def test_discovery_documents(auth: AuthService) -> None:
    jwks = await auth.client.get("/.well-known/jwks.json")
    keys = jwks.json()["keys"]
    assert len(keys) == 1
    assert keys[0]["kty"] == "OKP"
    assert keys[0]["alg"] == "EdDSA"
    assert "d" not in keys[0]
    config = (await auth.client.get("/.well-known/openid-configuration")).json()
    assert config["issuer"] == auth.settings.jwt_issuer
    assert config["jwks_uri"].endswith("/.well-known/jwks.json")
    assert "users:write" in config["scopes_supported"]
