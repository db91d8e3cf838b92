"""``python -m subgraphs.billing.payments.fakes stripe|paypal``: run one fake provider.

Configured by ``STRIPE_FAKE_*`` / ``PAYPAL_FAKE_*`` (see each fake's settings class).
"""

from __future__ import annotations

import sys

import uvicorn

from subgraphs.billing.payments.fakes.paypal_fake import PayPalFakeSettings, create_paypal_fake
from subgraphs.billing.payments.fakes.stripe_fake import StripeFakeSettings, create_stripe_fake

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args == ["stripe"]:
        stripe = StripeFakeSettings()
        uvicorn.run(create_stripe_fake(stripe), host=stripe.host, port=stripe.port,
                    log_level="warning", timeout_graceful_shutdown=2)  # fmt: skip
        return 0
    if args == ["paypal"]:
        paypal = PayPalFakeSettings()
        uvicorn.run(create_paypal_fake(paypal), host=paypal.host, port=paypal.port,
                    log_level="warning", timeout_graceful_shutdown=2)  # fmt: skip
        return 0
    print("usage: python -m subgraphs.billing.payments.fakes stripe|paypal", file=sys.stderr)  # noqa: T201 (a CLI's usage line)
    return 2


if __name__ == "__main__":
    sys.exit(main())
