"""swot rounds, items, authors and votes

Revision ID: ad478fbde5d0
Revises: f604ec5a2988
Create Date: 2026-11-25 16:22:04.931334
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ad478fbde5d0"
down_revision: str | None = "f604ec5a2988"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "swot_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("started_by_id", sa.Integer(), nullable=True),
        sa.Column("archived_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_swot_rounds_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["started_by_id"],
            ["users.id"],
            name=op.f("fk_swot_rounds_started_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_swot_rounds")),
        sa.UniqueConstraint(
            "community_id", "number", name=op.f("uq_swot_rounds_community_id_number")
        ),
    )
    op.create_table(
        "swot_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column(
            "quadrant",
            sa.Enum("S", "W", "O", "T", name="swot_quadrant", native_enum=False),
            nullable=False,
        ),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("hidden_at", sa.DateTime(), nullable=True),
        sa.Column("hidden_by_id", sa.Integer(), nullable=True),
        sa.Column("replaced_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_swot_items_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["hidden_by_id"],
            ["users.id"],
            name=op.f("fk_swot_items_hidden_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["replaced_by_id"],
            ["swot_items.id"],
            name=op.f("fk_swot_items_replaced_by_id_swot_items"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["swot_rounds.id"],
            name=op.f("fk_swot_items_round_id_swot_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_swot_items")),
        sa.UniqueConstraint(
            "round_id", "quadrant", "number", name=op.f("uq_swot_items_round_id_quadrant_number")
        ),
    )
    with op.batch_alter_table("swot_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_swot_items_community_id"), ["community_id"], unique=False
        )
    op.create_table(
        "swot_authors",
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_swot_authors_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["swot_items.id"],
            name=op.f("fk_swot_authors_item_id_swot_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_swot_authors_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", "user_id", name=op.f("pk_swot_authors")),
    )
    with op.batch_alter_table("swot_authors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_swot_authors_user_id"), ["user_id"], unique=False)
    op.create_table(
        "swot_votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "choice",
            sa.Enum("agree", "disagree", "pass", name="swot_choice", native_enum=False),
            nullable=False,
        ),
        sa.Column("voted_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_swot_votes_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["swot_items.id"],
            name=op.f("fk_swot_votes_item_id_swot_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_swot_votes_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_swot_votes")),
        sa.UniqueConstraint("item_id", "user_id", name=op.f("uq_swot_votes_item_id_user_id")),
    )
    with op.batch_alter_table("swot_votes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_swot_votes_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("swot_votes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_swot_votes_user_id"))
    op.drop_table("swot_votes")
    with op.batch_alter_table("swot_authors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_swot_authors_user_id"))
    op.drop_table("swot_authors")
    with op.batch_alter_table("swot_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_swot_items_community_id"))
    op.drop_table("swot_items")
    op.drop_table("swot_rounds")
