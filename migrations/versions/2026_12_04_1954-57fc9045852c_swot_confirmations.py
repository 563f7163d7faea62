"""The group messages confirming bursts of SWOT inputs, and the inputs each one lists.

Revision ID: 57fc9045852c
Revises: 1cd1f5e8d07d
Create Date: 2026-12-04 19:54:04.969296
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "57fc9045852c"
down_revision: str | None = "1cd1f5e8d07d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "swot_confirmations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_swot_confirmations_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_swot_confirmations")),
    )
    with op.batch_alter_table("swot_confirmations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_swot_confirmations_open", ["community_id", "chat_id", "opened_at"], unique=False
        )

    op.create_table(
        "swot_confirmed_inputs",
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("confirmation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_swot_confirmed_inputs_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["confirmation_id"],
            ["swot_confirmations.id"],
            name=op.f("fk_swot_confirmed_inputs_confirmation_id_swot_confirmations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["swot_items.id"],
            name=op.f("fk_swot_confirmed_inputs_item_id_swot_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_swot_confirmed_inputs_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_swot_confirmed_inputs")),
    )
    with op.batch_alter_table("swot_confirmed_inputs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_swot_confirmed_inputs_confirmation_id"),
            ["confirmation_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("swot_confirmed_inputs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_swot_confirmed_inputs_confirmation_id"))

    op.drop_table("swot_confirmed_inputs")
    with op.batch_alter_table("swot_confirmations", schema=None) as batch_op:
        batch_op.drop_index("ix_swot_confirmations_open")

    op.drop_table("swot_confirmations")
