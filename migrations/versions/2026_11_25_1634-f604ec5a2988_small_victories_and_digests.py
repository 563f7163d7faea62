"""small victories and digests

Revision ID: f604ec5a2988
Revises: 67c87b9970bb
Create Date: 2026-11-25 16:34:54.203595
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f604ec5a2988"
down_revision: str | None = "67c87b9970bb"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "digest_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column("covers_from", sa.DateTime(), nullable=False),
        sa.Column("covers_to", sa.DateTime(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("posted_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_digest_posts_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_posts")),
        sa.UniqueConstraint(
            "community_id", "period", name=op.f("uq_digest_posts_community_id_period")
        ),
    )
    op.create_table(
        "digest_schedules",
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column(
            "frequency",
            sa.Enum(
                "monthly", "weekly", "off", name="digestfrequency", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("time", sa.String(length=5), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_digest_schedules_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("community_id", name=op.f("pk_digest_schedules")),
    )
    op.create_table(
        "victories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("proposer_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "approved",
                "rejected",
                name="victorystatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("idea_id", sa.Integer(), nullable=True),
        sa.Column("applause_count", sa.Integer(), nullable=False),
        sa.Column("card_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("card_message_id", sa.BigInteger(), nullable=True),
        sa.Column("announced_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_victories_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_victories_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["idea_id"], ["ideas.id"], name=op.f("fk_victories_idea_id_ideas"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["proposer_id"],
            ["users.id"],
            name=op.f("fk_victories_proposer_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_victories")),
    )
    with op.batch_alter_table("victories", schema=None) as batch_op:
        batch_op.create_index(
            "ix_victories_community_announced", ["community_id", "announced_at"], unique=False
        )

    op.create_table(
        "applause",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("victory_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_applause_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_applause_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["victory_id"],
            ["victories.id"],
            name=op.f("fk_applause_victory_id_victories"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applause")),
        sa.UniqueConstraint("victory_id", "user_id", name=op.f("uq_applause_victory_id_user_id")),
    )
    with op.batch_alter_table("applause", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_applause_user_id"), ["user_id"], unique=False)

    op.create_table(
        "victory_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("victory_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_victory_reviews_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["victory_id"],
            ["victories.id"],
            name=op.f("fk_victory_reviews_victory_id_victories"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_victory_reviews")),
    )
    with op.batch_alter_table("victory_reviews", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_victory_reviews_victory_id"), ["victory_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("victory_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_victory_reviews_victory_id"))

    op.drop_table("victory_reviews")
    with op.batch_alter_table("applause", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_applause_user_id"))

    op.drop_table("applause")
    with op.batch_alter_table("victories", schema=None) as batch_op:
        batch_op.drop_index("ix_victories_community_announced")

    op.drop_table("victories")
    op.drop_table("digest_schedules")
    op.drop_table("digest_posts")
