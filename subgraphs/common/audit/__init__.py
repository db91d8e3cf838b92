"""The access audit every service shares: denied-access events and the audited request transaction.

- :func:`audited_transaction` is the one shape of a resolver's work (load, check access, audit):
  one transaction, the request id on every audit event written in it, and every access denial
  noted in it recorded afterwards in a transaction of its own, so that the refusal is kept even
  though the refused operation rolls back.
- :func:`serve` runs one service function that way for the request's caller;
  :func:`serve_own` runs one that owns (and retries) its transactions in the same audit scope.
- :func:`deny` notes an :class:`AccessDenial` (what access rules call when they refuse).
"""

from subgraphs.common.audit.denials import (
    AccessDenial,
    DenialReason,
    commit_denials,
    record_access_event,
    write_denials,
)
from subgraphs.common.audit.scope import (
    audit_scope,
    audited_transaction,
    current_request_id,
    deny,
    serve,
    serve_own,
)

__all__ = [
    "AccessDenial",
    "DenialReason",
    "audit_scope",
    "audited_transaction",
    "commit_denials",
    "current_request_id",
    "deny",
    "record_access_event",
    "serve",
    "serve_own",
    "write_denials",
]
