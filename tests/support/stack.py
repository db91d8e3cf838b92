"""``healthgraph up`` run as a user runs it, for end-to-end tests through the router.

:func:`stack_env` picks free ports and a data directory; :func:`start` and :func:`wait_ready` run
``python -m subgraphs up``; :class:`DemoStack` wraps a ready ``--demo`` stack and signs the
seeded synthetic users in through the router (password, then TOTP for the staff roles).
The session-wide ``demo_stack`` fixture in ``tests/conftest.py`` shares one such stack.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import jwt
import pyotp
import pytest

__all__ = [
    "LOGIN_LINE",
    "READY",
    "DemoLogin",
    "DemoStack",
    "graphql",
    "stack_env",
    "start",
    "stop",
    "wait_ready",
]

READY = "healthgraph is ready"
_SERVICES = (
    "router",
    "auth",
    "clinical",
    "billing",
    "billing_grpc",
    "kafka",
    "redis",
    "stripe_fake",
    "paypal_fake",
    "oidc_fake",
)


def stack_env(data_dir: Path) -> dict[str, str]:
    """The environment of a stack on free ports, with embedded services under ``data_dir``."""
    from subgraphs.stack.ports import free_ports

    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS", "REDIS_URL"}
    }
    env["HEALTHGRAPH_DATA_DIR"] = str(data_dir)
    for name, port in zip(_SERVICES, free_ports(len(_SERVICES)), strict=True):
        env[f"HEALTHGRAPH_{name.upper()}_PORT"] = str(port)
    return env


def start(env: dict[str, str], repo_root: Path, *args: str) -> subprocess.Popen[str]:
    """``python -m subgraphs up *args`` with its output piped (read it with :func:`wait_ready`)."""
    return subprocess.Popen(
        [sys.executable, "-m", "subgraphs", "up", *args],
        cwd=repo_root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_ready(process: subprocess.Popen[str], timeout: float = 120.0) -> str:
    """Everything the stack printed up to and including its ready line."""
    assert process.stdout is not None
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    for line in process.stdout:
        seen.append(line)
        if READY in line:
            return "".join(seen)
        assert time.monotonic() < deadline, "".join(seen)
    pytest.fail("healthgraph up ended before it was ready:\n" + "".join(seen))


def stop(process: subprocess.Popen[str], timeout: float = 60) -> tuple[int, str]:
    """SIGTERM, then the exit code and the rest of the output."""
    process.send_signal(signal.SIGTERM)
    out, _ = process.communicate(timeout=timeout)
    return process.returncode, out


def graphql(url: str, query: str, token: str | None = None, **variables: object) -> dict[str, Any]:
    """POST one operation; the decoded body, whatever its status."""
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = httpx.post(
        url, json={"query": query, "variables": variables}, headers=headers, timeout=30
    )
    body: dict[str, Any] = response.json()
    return body


def _seconds_left(token: str) -> float:
    claims = jwt.decode(token, options={"verify_signature": False})
    return float(claims["exp"]) - time.time()


@dataclass(frozen=True)
class DemoLogin:
    """One seeded synthetic user as ``--demo`` printed it."""

    email: str
    password: str
    totp_secret: str | None


LOGIN_LINE = re.compile(
    r"^(?P<role>ADMIN|DOCTOR|STAFF|PATIENT)\s+(?P<email>\S+@\S+)\s+password: (?P<password>\S+)"
    r"(?:\s+TOTP secret: (?P<secret>\S+))?",
    re.MULTILINE,
)


@dataclass
class DemoStack:
    """A ready ``healthgraph up --demo``: its environment, output and URLs, and sign-in."""

    process: subprocess.Popen[str]
    env: dict[str, str]
    output: str
    logins: dict[str, DemoLogin] = field(init=False)
    accounts: dict[str, DemoLogin] = field(init=False)
    _tokens: dict[str, str] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.logins = {}
        self.accounts = {}
        for m in LOGIN_LINE.finditer(self.output):
            login = DemoLogin(m.group("email"), m.group("password"), m.group("secret"))
            self.accounts[login.email] = login
            self.logins.setdefault(m.group("role"), login)  # the first login of each role

    def port(self, service: str) -> int:
        return int(self.env[f"HEALTHGRAPH_{service.upper()}_PORT"])

    def url(self, service: str = "router") -> str:
        """The GraphQL endpoint of the router or of one subgraph."""
        return f"http://127.0.0.1:{self.port(service)}/graphql"

    @property
    def data_dir(self) -> Path:
        return Path(self.env["HEALTHGRAPH_DATA_DIR"])

    def sign_in(self, role: str) -> str:
        """An access token for the first seeded user of ``role``, signed in through the router."""
        return self.sign_in_as(self.logins[role].email)

    def sign_in_as(self, email: str) -> str:
        """An access token for the seeded user ``email``, signed in through the router.

        Staff roles answer the MFA challenge with a TOTP code. Tokens are cached per user, since
        a TOTP code is accepted once per time step; a token about to expire is replaced. When the
        step's code was used already (e.g. by a browser test signing the same person in), the
        code of the next step answers.
        """
        cached = self._tokens.get(email)
        if cached is not None and _seconds_left(cached) > 60:
            return cached
        login = self.accounts[email]
        url = self.url()
        answer = graphql(
            url,
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) "
            "{ accessToken mfaRequired mfaToken } }",
            e=login.email,
            p=login.password,
        )
        payload = answer["data"]["login"]
        token: str | None = payload["accessToken"]
        if payload["mfaRequired"]:
            assert login.totp_secret, f"{email} needs a TOTP secret: {self.output}"
            for attempt in range(2):
                if attempt:
                    time.sleep(30 - time.time() % 30 + 0.5)  # the next time step
                answer = graphql(
                    url,
                    "mutation($t: String!, $c: String!) "
                    "{ verifyMfa(mfaToken: $t, code: $c) { accessToken } }",
                    t=payload["mfaToken"],
                    c=pyotp.TOTP(login.totp_secret).now(),
                )
                token = ((answer.get("data") or {}).get("verifyMfa") or {}).get("accessToken")
                if token:
                    break
        assert token, answer
        self._tokens[email] = token
        return token
