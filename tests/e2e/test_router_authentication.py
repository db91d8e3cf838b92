"""JWT at the edge of ``healthgraph up``'s router, against auth's real JWK Set and tokens.

(The whole attack set, key rotation and revocation run against a router on loopback in
``tests/router/auth/test_authenticator.py``; here: forged variants of a real token.)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import httpx
import pytest

from tests.support.stack import DemoStack

pytestmark = pytest.mark.slow

ME = "{ me { email role } }"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _post(stack: DemoStack, token: str | None) -> httpx.Response:
    headers = {"authorization": f"Bearer {token}"} if token is not None else {}
    return httpx.post(stack.url(), json={"query": ME}, headers=headers, timeout=30)


def test_forged_variants_of_a_real_token_are_refused_with_401(demo_stack: DemoStack) -> None:
    token = demo_stack.sign_in("PATIENT")
    answer = _post(demo_stack, token)
    assert answer.status_code == 200
    assert answer.json()["data"]["me"]["role"] == "PATIENT"

    header_b64, payload_b64, _ = token.split(".")
    header = json.loads(_unb64(header_b64))
    claims = json.loads(_unb64(payload_b64))
    jwks_url = demo_stack.url("auth").removesuffix("/graphql") + "/.well-known/jwks.json"
    public = next(
        k for k in httpx.get(jwks_url, timeout=30).json()["keys"] if k["kid"] == header["kid"]
    )

    def signed(
        new_header: dict[str, object], new_claims: dict[str, object], secret: bytes | None
    ) -> str:
        data = f"{_b64(json.dumps(new_header).encode())}.{_b64(json.dumps(new_claims).encode())}"
        if secret is None:
            return data + "."
        return f"{data}.{_b64(hmac.new(secret, data.encode(), hashlib.sha256).digest())}"

    forged = {
        "alg none": signed({**header, "alg": "none"}, claims, None),
        "HS256 with auth's public key": signed(
            {**header, "alg": "HS256"}, claims, _unb64(public["x"])
        ),
        "role raised to ADMIN": f"{signed(header, {**claims, 'role': 'ADMIN'}, None)[:-1]}."
        + token.split(".")[2],
        "expired": f"{signed(header, {**claims, 'exp': claims['iat'] - 600}, None)[:-1]}."
        + token.split(".")[2],
        "jku to elsewhere": signed({**header, "jku": "http://127.0.0.1:9/jwks.json"}, claims, None),
    }
    for name, variant in forged.items():
        response = _post(demo_stack, variant)
        assert response.status_code == 401, (name, response.text)
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", name
        assert "data" not in response.json(), name

    anonymous = _post(demo_stack, None)
    assert anonymous.status_code == 200
    error = anonymous.json()["errors"][0]
    assert error["extensions"]["code"] == "UNAUTHORIZED_FIELD_OR_TYPE"
    assert error["path"] == ["me"]
