"""The access audit store: every ``audit.access`` event (allowed or denied) kept, append-only and
hash-chained, in the clinical database; read through ``accessLog`` and ``verifyAuditChain``.

HIPAA 164.312(b) audit controls and 164.312(c)(1) integrity. The store is generic (actor,
action, outcome, the patients named, the whole event): any service publishing access events to
``audit.access`` is kept here too.
"""
