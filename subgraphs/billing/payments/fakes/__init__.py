"""Local HTTP fakes of Stripe and PayPal: the endpoints billing calls, and signed webhooks.

Stripe and PayPal cannot be reached from a developer's machine or CI; these processes answer the
official SDKs in the providers' wire formats and deliver webhooks signed the way each provider
signs them, so that the real verification runs end to end. Never used when real keys are set.
"""
