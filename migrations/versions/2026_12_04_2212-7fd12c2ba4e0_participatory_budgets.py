"""Participatory budgets: rounds, the ideas on their ballots, ballots (online and paper) and
what each ballot chose.

Revision ID: 7fd12c2ba4e0
Revises: 7e1b2c9d4f60
Create Date: 2026-12-04 22:12:29.592407
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7fd12c2ba4e0"
down_revision: str | None = "7e1b2c9d4f60"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "budget_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column(
            "rule",
            sa.Enum("greedy", "equal_shares", name="budgetrule", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("voting_minutes", sa.Integer(), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=True),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("voting_starts_at", sa.DateTime(), nullable=True),
        sa.Column("closes_at", sa.DateTime(), nullable=True),
        sa.Column("counted_at", sa.DateTime(), nullable=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_budget_rounds_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["opened_by_id"],
            ["users.id"],
            name=op.f("fk_budget_rounds_opened_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_rounds")),
        sa.UniqueConstraint(
            "community_id", "number", name=op.f("uq_budget_rounds_community_id_number")
        ),
    )
    with op.batch_alter_table("budget_rounds", schema=None) as batch_op:
        batch_op.create_index(
            "ux_budget_rounds_one_uncounted",
            ["community_id"],
            unique=True,
            sqlite_where=sa.text("counted_at IS NULL"),
            postgresql_where=sa.text("counted_at IS NULL"),
        )

    op.create_table(
        "budget_ballots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("is_paper", sa.Boolean(), nullable=False),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.Column("cast_at", sa.DateTime(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_budget_ballots_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["entered_by_id"],
            ["users.id"],
            name=op.f("fk_budget_ballots_entered_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["budget_rounds.id"],
            name=op.f("fk_budget_ballots_round_id_budget_rounds"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_budget_ballots_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_ballots")),
        sa.UniqueConstraint("round_id", "number", name=op.f("uq_budget_ballots_round_id_number")),
        sa.UniqueConstraint("round_id", "user_id", name=op.f("uq_budget_ballots_round_id_user_id")),
    )
    with op.batch_alter_table("budget_ballots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_budget_ballots_user_id"), ["user_id"], unique=False)

    op.create_table(
        "budget_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("cost_cents", sa.BigInteger(), nullable=False),
        sa.Column("votes", sa.Integer(), nullable=True),
        sa.Column("funded", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_budget_items_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["idea_id"],
            ["ideas.id"],
            name=op.f("fk_budget_items_idea_id_ideas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["budget_rounds.id"],
            name=op.f("fk_budget_items_round_id_budget_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_items")),
        sa.UniqueConstraint("round_id", "idea_id", name=op.f("uq_budget_items_round_id_idea_id")),
    )
    with op.batch_alter_table("budget_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_budget_items_idea_id"), ["idea_id"], unique=False)

    op.create_table(
        "budget_choices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("ballot_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ballot_id"],
            ["budget_ballots.id"],
            name=op.f("fk_budget_choices_ballot_id_budget_ballots"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_budget_choices_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["budget_items.id"],
            name=op.f("fk_budget_choices_item_id_budget_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_choices")),
        sa.UniqueConstraint(
            "ballot_id", "item_id", name=op.f("uq_budget_choices_ballot_id_item_id")
        ),
    )
    with op.batch_alter_table("budget_choices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_budget_choices_item_id"), ["item_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("budget_choices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budget_choices_item_id"))

    op.drop_table("budget_choices")
    with op.batch_alter_table("budget_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budget_items_idea_id"))

    op.drop_table("budget_items")
    with op.batch_alter_table("budget_ballots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budget_ballots_user_id"))

    op.drop_table("budget_ballots")
    with op.batch_alter_table("budget_rounds", schema=None) as batch_op:
        batch_op.drop_index(
            "ux_budget_rounds_one_uncounted",
            sqlite_where=sa.text("counted_at IS NULL"),
            postgresql_where=sa.text("counted_at IS NULL"),
        )

    op.drop_table("budget_rounds")
