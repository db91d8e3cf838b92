"""The development OIDC provider's sign-in page: a person types a name and an email."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt

from subgraphs.auth.oauth.fake import FakeOidcProvider

ISSUER = "http://oidc.test"
BACK = "http://auth.test/oauth/demo/callback"
VERIFIER = "v" * 64


async def test_a_typed_identity_becomes_a_verified_id_token() -> None:
    fake = FakeOidcProvider(issuer=ISSUER, client_id="app", client_secret="s" * 16)
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest()).rstrip(b"=").decode()
    )
    params = {
        "response_type": "code",
        "client_id": "app",
        "redirect_uri": BACK,
        "state": "st<ate>",
        "nonce": "n1",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    transport = httpx.ASGITransport(app=fake.app())
    async with httpx.AsyncClient(transport=transport, base_url=ISSUER) as browser:
        page = await browser.get("/authorize", params=params)
        assert page.status_code == 200
        assert "default-src 'none'" in page.headers["content-security-policy"]
        assert 'name="state" value="st&lt;ate&gt;"' in page.text  # escaped
        form = {key: params[key] for key in ("client_id", "redirect_uri", "state", "nonce")}
        answer = await browser.post(
            "/authorize",
            data={
                **form,
                "code_challenge": challenge,
                "name": "Robin Synthetic",
                "email": "Robin@Example.test",
            },
        )
        assert answer.status_code == 302
        back = urlsplit(answer.headers["location"])
        query = {key: values[0] for key, values in parse_qs(back.query).items()}
        assert f"{back.scheme}://{back.netloc}{back.path}" == BACK
        assert query["state"] == "st<ate>"
        tokens = await browser.post(
            "/token",
            data={
                "code": query["code"],
                "client_id": "app",
                "client_secret": "s" * 16,
                "redirect_uri": BACK,
                "code_verifier": VERIFIER,
            },
        )
        assert tokens.status_code == 200
        claims = jwt.decode(tokens.json()["id_token"], options={"verify_signature": False})
        assert claims["email"] == "robin@example.test"
        assert claims["email_verified"] is True
        assert claims["name"] == "Robin Synthetic"
        assert claims["nonce"] == "n1"
        refused = await browser.post("/authorize", data={**form, "name": "", "email": "x"})
        assert refused.status_code == 400
