"""Every table of the auth service (imported by the migration environment)."""

from subgraphs.auth.mfa.models import RecoveryCode, TotpCredential
from subgraphs.auth.oauth.models import ExternalIdentity
from subgraphs.auth.tokens.models import RefreshToken, SignInChallenge, SigningKey
from subgraphs.auth.users.models import User
from subgraphs.common.outbox.models import OutboxEvent, ProcessedEvent

__all__ = [
    "ExternalIdentity",
    "OutboxEvent",
    "ProcessedEvent",
    "RecoveryCode",
    "RefreshToken",
    "SignInChallenge",
    "SigningKey",
    "TotpCredential",
    "User",
]
