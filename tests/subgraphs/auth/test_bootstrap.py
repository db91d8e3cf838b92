"""``healthgraph users create-admin`` and the demo seed."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pyotp

from subgraphs.auth.bootstrap import SEED_USERS, seed_users
from subgraphs.auth.settings import AuthSettings
from subgraphs.common.context import Role
from tests.subgraphs.auth.conftest import TEST_SECRET, VERIFY_MFA, AuthService

REPO = Path(__file__).resolve().parents[3]


async def _cli(settings: AuthSettings, stdin: bytes, *args: str) -> tuple[int, str, str]:
    env = {
        **os.environ,
        "AUTH_DATABASE_URL": settings.database_url,
        "AUTH_SECRET_KEY": TEST_SECRET,
        "AUTH_PASSWORD_MEMORY_KIB": "1024",
        "AUTH_PASSWORD_TIME_COST": "1",
        "AUTH_PASSWORD_PARALLELISM": "1",
        "HEALTHGRAPH_DATA_DIR": str(settings.data_dir),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "from subgraphs.cli import main; main()",
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
        cwd=REPO,
    )
    out, err = await asyncio.wait_for(process.communicate(stdin), 120)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_create_admin_from_stdin(auth: AuthService) -> None:
    code, out, err = await _cli(
        auth.settings,
        b"a long admin passphrase 42\n",
        "users",
        "create-admin",
        "--email",
        "First.Admin@example.org",
    )
    assert code == 0, err
    assert "Created admin First.Admin@example.org" in out
    login = (await auth.login("first.admin@example.org", "a long admin passphrase 42"))["data"][
        "login"
    ]
    assert login["mfaEnrollmentRequired"] is True  # an admin must enrol TOTP before any token
    assert "user.created" in await auth.events()


async def test_create_admin_refuses_weak_passwords_and_duplicates(auth: AuthService) -> None:
    code, _, err = await _cli(
        auth.settings, b"short\n", "users", "create-admin", "--email", "a@example.org"
    )
    assert code == 1
    assert "at least 12 characters" in err
    await auth.user("taken@example.org")
    code, _, err = await _cli(
        auth.settings,
        b"another long passphrase\n",
        "users",
        "create-admin",
        "--email",
        "taken@example.org",
    )
    assert code == 1
    assert "already exists" in err
    assert await auth.count("auth_user") == 1


async def test_seed_creates_one_user_per_role_and_is_idempotent(auth: AuthService) -> None:
    seeded = await seed_users(auth.settings)
    assert {user.role for user in seeded} == set(Role)
    password = seeded[0].password
    assert password is not None
    assert password.startswith("demo-")
    assert all(user.password == password for user in seeded)
    doctor = next(user for user in seeded if user.role is Role.DOCTOR)
    assert doctor.totp_secret
    challenge = (await auth.login(SEED_USERS[Role.DOCTOR][0], password))["data"]["login"][
        "mfaToken"
    ]
    verified = await auth.gql(
        VERIFY_MFA, {"t": challenge, "c": pyotp.TOTP(doctor.totp_secret).now()}
    )
    assert verified["data"]["verifyMfa"]["user"]["role"] == "DOCTOR"
    patient = await auth.sign_in(SEED_USERS[Role.PATIENT][0], password)
    assert patient["user"]["role"] == "PATIENT"
    again = await seed_users(auth.settings)
    assert not any(user.created or user.password for user in again)
    assert [user.user_id for user in again] == [user.user_id for user in seeded]
    assert await auth.count("auth_user") == 4
