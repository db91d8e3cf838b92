"""``python -m subgraphs.auth.oauth.fake``: run the local OIDC provider (``OIDC_FAKE_*``)."""

from __future__ import annotations

import uvicorn

from subgraphs.auth.oauth.fake import FakeOidcProvider, OidcFakeSettings

__all__ = ["main"]


def main() -> None:
    settings = OidcFakeSettings()
    provider = FakeOidcProvider(
        issuer=f"http://{settings.host}:{settings.port}",
        client_id=settings.client_id,
        client_secret=settings.client_secret,
    )
    uvicorn.run(provider.app(), host=settings.host, port=settings.port,
                log_level="warning", timeout_graceful_shutdown=2)  # fmt: skip


if __name__ == "__main__":
    main()
