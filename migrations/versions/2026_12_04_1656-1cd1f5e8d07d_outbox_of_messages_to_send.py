"""The outbox: what the bot is yet to send, written with the change it tells about.

Revision ID: 1cd1f5e8d07d
Revises: d88b092eaf3c
Create Date: 2026-12-04 16:56:36.403472
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "1cd1f5e8d07d"
down_revision: str | None = "d88b092eaf3c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("method", sa.String(length=40), nullable=False),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("coalesce_key", sa.String(length=100), nullable=True),
        sa.Column("noise", sa.Boolean(), nullable=False),
        sa.Column("after_send", sa.String(length=100), nullable=True),
        sa.Column("on_refused", sa.String(length=100), nullable=True),
        sa.Column("view", sa.String(length=100), nullable=True),
        sa.Column("send_by", sa.DateTime(), nullable=True),
        sa.Column("not_before", sa.DateTime(), nullable=True),
        sa.Column("file", sa.LargeBinary(), nullable=True),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_lane", ["chat_id", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_lane")

    op.drop_table("outbox")
