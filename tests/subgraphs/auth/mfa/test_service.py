"""TOTP MFA: forced enrolment for staff roles, +/-1 step window, no reuse, recovery codes."""

from __future__ import annotations

import base64
import time

import pyotp

from subgraphs.common.context import Role
from tests.subgraphs.auth.conftest import CONFIRM, ENROLL, ME, VERIFY_MFA, AuthService

REGENERATE = "mutation { regenerateRecoveryCodes }"


async def test_doctor_without_mfa_must_enrol_before_any_token(auth: AuthService) -> None:
    await auth.user("dr.who@example.org", Role.DOCTOR)
    body = (await auth.login("dr.who@example.org"))["data"]["login"]
    assert body["mfaRequired"] is True
    assert body["mfaEnrollmentRequired"] is True
    assert body["accessToken"] is None
    assert body["refreshToken"] is None
    assert body["user"] is None
    challenge = body["mfaToken"]
    # The enrolment challenge is no MFA challenge and no access token.
    refused = await auth.gql(VERIFY_MFA, {"t": challenge, "c": "123456"})
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    as_bearer = await auth.gql(ME, token=challenge)
    assert as_bearer["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    enrolment = (await auth.gql(ENROLL, {"t": challenge}))["data"]["enrollTotp"]
    assert enrolment["otpauthUri"].startswith("otpauth://totp/healthgraph:dr.who%40example.org?")
    assert f"secret={enrolment['secret']}" in enrolment["otpauthUri"]
    prefix = "data:image/png;base64,"
    assert enrolment["qrCodeDataUri"].startswith(prefix)
    assert base64.b64decode(enrolment["qrCodeDataUri"][len(prefix) :])[:8] == b"\x89PNG\r\n\x1a\n"

    wrong = await auth.gql(CONFIRM, {"t": challenge, "c": "000000"})
    assert wrong["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    done = await auth.gql(CONFIRM, {"t": challenge, "c": pyotp.TOTP(enrolment["secret"]).now()})
    payload = done["data"]["confirmTotp"]
    assert payload["accessToken"]
    assert payload["refreshToken"]
    assert len(payload["recoveryCodes"]) == 10
    assert len(set(payload["recoveryCodes"])) == 10
    me = (await auth.gql(ME, token=payload["accessToken"]))["data"]["me"]
    assert me["mfaEnabled"] is True
    # The challenge is spent.
    again = await auth.gql(ENROLL, {"t": challenge})
    assert again["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await auth.count("recovery_code") == 10
    assert await auth.count("recovery_code", "length(code_digest) = 64") == 10


async def test_enrolled_user_logs_in_with_a_code(auth: AuthService) -> None:
    _, secret = await auth.enrolled("nurse@example.org", Role.STAFF)
    body = (await auth.login("nurse@example.org"))["data"]["login"]
    assert body["mfaRequired"] is True
    assert body["mfaEnrollmentRequired"] is False
    assert body["accessToken"] is None
    # The code used to confirm enrolment cannot be replayed; the next step's can be used.
    next_code = pyotp.TOTP(secret).at(time.time() + 30)
    verified = await auth.gql(VERIFY_MFA, {"t": body["mfaToken"], "c": next_code})
    assert verified["data"]["verifyMfa"]["accessToken"]
    assert verified["data"]["verifyMfa"]["user"]["role"] == "STAFF"
    events = await auth.events()
    assert "auth.mfa_enrolled" in events
    assert events[-2:] == ["auth.mfa_verified", "auth.login_succeeded"]


async def test_a_code_cannot_be_used_twice(auth: AuthService) -> None:
    _, secret = await auth.enrolled("twice@example.org", Role.ADMIN)
    code = pyotp.TOTP(secret).at(time.time() + 30)
    first = (await auth.login("twice@example.org"))["data"]["login"]["mfaToken"]
    assert (await auth.gql(VERIFY_MFA, {"t": first, "c": code}))["data"]["verifyMfa"]["accessToken"]
    second = (await auth.login("twice@example.org"))["data"]["login"]["mfaToken"]
    replay = await auth.gql(VERIFY_MFA, {"t": second, "c": code})
    assert replay["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_window_is_one_step_either_side(auth: AuthService) -> None:
    _, secret = await auth.enrolled("window@example.org", Role.DOCTOR)
    totp = pyotp.TOTP(secret)
    challenge = (await auth.login("window@example.org"))["data"]["login"]["mfaToken"]
    for offset in (-90, 90):  # three steps away
        stale = await auth.gql(VERIFY_MFA, {"t": challenge, "c": totp.at(time.time() + offset)})
        assert stale["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    ok = await auth.gql(VERIFY_MFA, {"t": challenge, "c": totp.at(time.time() + 30)})
    assert ok["data"]["verifyMfa"]["accessToken"]


async def test_recovery_codes_are_single_use(auth: AuthService) -> None:
    user = await auth.user("rc@example.org", Role.DOCTOR)
    challenge = (await auth.login("rc@example.org"))["data"]["login"]["mfaToken"]
    secret = (await auth.gql(ENROLL, {"t": challenge}))["data"]["enrollTotp"]["secret"]
    codes = (await auth.gql(CONFIRM, {"t": challenge, "c": pyotp.TOTP(secret).now()}))["data"][
        "confirmTotp"
    ]["recoveryCodes"]
    mfa_token = (await auth.login("rc@example.org"))["data"]["login"]["mfaToken"]
    used = await auth.gql(VERIFY_MFA, {"t": mfa_token, "c": codes[0].upper()})
    assert used["data"]["verifyMfa"]["user"]["id"] == str(user.id)
    mfa_token = (await auth.login("rc@example.org"))["data"]["login"]["mfaToken"]
    reused = await auth.gql(VERIFY_MFA, {"t": mfa_token, "c": codes[0]})
    assert reused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "auth.mfa_recovery_code_used" in await auth.events()


async def test_regenerate_recovery_codes(auth: AuthService) -> None:
    _, secret = await auth.enrolled("regen@example.org", Role.STAFF)
    token = (await auth.sign_in_with_mfa("regen@example.org", secret))["accessToken"]
    codes = (await auth.gql(REGENERATE, token=token))["data"]["regenerateRecoveryCodes"]
    assert len(codes) == 10
    assert (await auth.events())[-1] == "auth.mfa_recovery_codes_regenerated"


async def test_regenerate_replaces_the_old_codes(auth: AuthService) -> None:
    await auth.user("regen2@example.org", Role.PATIENT)
    token = (await auth.sign_in("regen2@example.org"))["accessToken"]
    not_enrolled = await auth.gql(REGENERATE, token=token)
    assert not_enrolled["errors"][0]["extensions"]["code"] == "CONFLICT"
    secret = (await auth.gql(ENROLL, token=token))["data"]["enrollTotp"]["secret"]
    first = (await auth.gql(CONFIRM, {"c": pyotp.TOTP(secret).now()}, token=token))["data"]
    old_codes = first["confirmTotp"]["recoveryCodes"]
    new_codes = (await auth.gql(REGENERATE, token=token))["data"]["regenerateRecoveryCodes"]
    assert len(new_codes) == 10
    assert not set(old_codes) & set(new_codes)
    assert await auth.count("recovery_code") == 10
    mfa_token = (await auth.login("regen2@example.org"))["data"]["login"]["mfaToken"]
    old = await auth.gql(VERIFY_MFA, {"t": mfa_token, "c": old_codes[0]})
    assert old["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    new = await auth.gql(VERIFY_MFA, {"t": mfa_token, "c": new_codes[0]})
    assert new["data"]["verifyMfa"]["accessToken"]


async def test_patient_mfa_is_optional(auth: AuthService) -> None:
    await auth.user("opt@example.org", Role.PATIENT)
    assert (await auth.sign_in("opt@example.org"))["accessToken"]


async def test_enrolling_twice_is_a_conflict(auth: AuthService) -> None:
    await auth.user("dup@example.org", Role.PATIENT)
    token = (await auth.sign_in("dup@example.org"))["accessToken"]
    secret = (await auth.gql(ENROLL, token=token))["data"]["enrollTotp"]["secret"]
    await auth.gql(CONFIRM, {"c": pyotp.TOTP(secret).now()}, token=token)
    again = await auth.gql(ENROLL, token=token)
    assert again["errors"][0]["extensions"]["code"] == "CONFLICT"


async def test_mfa_challenge_dies_after_repeated_failures(auth: AuthService) -> None:
    _, secret = await auth.enrolled("dies@example.org", Role.DOCTOR)
    challenge = (await auth.login("dies@example.org"))["data"]["login"]["mfaToken"]
    for _ in range(auth.settings.mfa_failures_before_lockout):
        await auth.gql(VERIFY_MFA, {"t": challenge, "c": "000000"}, ip="10.1.1.1")
    late = await auth.gql(
        VERIFY_MFA, {"t": challenge, "c": pyotp.TOTP(secret).at(time.time() + 30)}, ip="10.1.1.2"
    )
    assert late["errors"][0]["extensions"]["code"] in {"UNAUTHENTICATED", "RATE_LIMITED"}
    assert await auth.count("sign_in_challenge", "consumed_at IS NOT NULL AND failures >= 5") == 1
