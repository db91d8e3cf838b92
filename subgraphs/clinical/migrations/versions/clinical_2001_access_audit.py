"""The access audit store: append-only, hash-chained entries fed from the ``audit.access`` topic.

Revision ID: clinical_2001
Revises:
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "clinical_2001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("clinical_audit",)
# clinical_refuse_change() comes with the records revision; the outbox with the kernel's.
depends_on: str | Sequence[str] | None = ("clinical_1001", "common_0001")

# Published audit events stay in the outbox until the store holds them: the relay's pruning
# skips them, so a broker that lost them can still be caught up from the outbox.
_KEEP_UNSTORED = """
CREATE FUNCTION outbox_keep_unstored_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.topic = 'audit.access'
        AND NOT EXISTS (SELECT 1 FROM access_audit_entry WHERE event_id = OLD.id) THEN
        RETURN NULL;
    END IF;
    RETURN OLD;
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "access_audit_entry",
        sa.Column("seq", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("event_id", sa.Uuid(), nullable=False, unique=True),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=True),
        sa.Column("request_id", sa.String(200), nullable=True),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("allowed", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("break_glass", sa.Boolean(), nullable=False),
        sa.Column("patient_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("payload", postgresql.JSONB(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index(
        "ix_access_audit_entry_patient_ids",
        "access_audit_entry",
        ["patient_ids"],
        postgresql_using="gin",
    )
    op.execute(
        "CREATE TRIGGER access_audit_entry_append_only BEFORE UPDATE OR DELETE "
        "ON access_audit_entry FOR EACH ROW EXECUTE FUNCTION clinical_refuse_change()"
    )
    op.execute(
        "CREATE TRIGGER access_audit_entry_no_truncate BEFORE TRUNCATE ON access_audit_entry "
        "FOR EACH STATEMENT EXECUTE FUNCTION clinical_refuse_change()"
    )
    op.execute(_KEEP_UNSTORED)
    op.execute(
        "CREATE TRIGGER outbox_event_keep_unstored_audit BEFORE DELETE ON outbox_event "
        "FOR EACH ROW EXECUTE FUNCTION outbox_keep_unstored_audit()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER outbox_event_keep_unstored_audit ON outbox_event")
    op.execute("DROP FUNCTION outbox_keep_unstored_audit()")
    op.drop_table("access_audit_entry")
