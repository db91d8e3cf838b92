"""The outbox row keeps the W3C ``traceparent`` of the request that wrote it (empty when not traced).

Revision ID: common_0002
Revises: common_0001
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "common_0002"
down_revision: str | Sequence[str] | None = "common_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("outbox_event", sa.Column("trace_context", sa.String(512), nullable=True))


def downgrade() -> None:
    op.drop_column("outbox_event", "trace_context")
