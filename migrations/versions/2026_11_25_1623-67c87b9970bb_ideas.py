"""ideas

Revision ID: 67c87b9970bb
Revises: 9ed077af81a8
Create Date: 2026-11-25 16:23:01.129739
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "67c87b9970bb"
down_revision: str | None = "9ed077af81a8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "idea_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_idea_drafts_author_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_idea_drafts_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idea_drafts")),
    )
    op.create_table(
        "ideas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "area",
            sa.Enum(
                "economy",
                "infrastructure",
                "governance",
                "community",
                "environment",
                "other",
                name="ideaarea",
                native_enum=False,
                length=16,
            ),
            nullable=True,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "new",
                "discussion",
                "accepted",
                "progress",
                "done",
                "rejected",
                "withdrawn",
                name="ideastatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("support_count", sa.Integer(), nullable=False),
        sa.Column("comment_count", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("cost_cents", sa.BigInteger(), nullable=True),
        sa.Column("funding_source", sa.String(length=200), nullable=True),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("card_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("card_message_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_ideas_author_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_ideas_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_ideas_owner_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ideas")),
        sa.UniqueConstraint("community_id", "number", name=op.f("uq_ideas_community_id_number")),
    )
    with op.batch_alter_table("ideas", schema=None) as batch_op:
        batch_op.create_index("ix_ideas_card", ["card_chat_id", "card_message_id"], unique=False)
        batch_op.create_index(
            "ix_ideas_community_author_created",
            ["community_id", "author_id", "created_at"],
            unique=False,
        )
        batch_op.create_index(
            "ix_ideas_community_support", ["community_id", "support_count"], unique=False
        )

    op.create_table(
        "idea_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_idea_comments_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_idea_comments_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["idea_id"],
            ["ideas.id"],
            name=op.f("fk_idea_comments_idea_id_ideas"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idea_comments")),
    )
    with op.batch_alter_table("idea_comments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_idea_comments_idea_id"), ["idea_id"], unique=False)

    op.create_table(
        "idea_status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column(
            "old_status",
            sa.Enum(
                "new",
                "discussion",
                "accepted",
                "progress",
                "done",
                "rejected",
                "withdrawn",
                name="ideastatus",
                native_enum=False,
                length=16,
            ),
            nullable=True,
        ),
        sa.Column(
            "new_status",
            sa.Enum(
                "new",
                "discussion",
                "accepted",
                "progress",
                "done",
                "rejected",
                "withdrawn",
                name="ideastatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_idea_status_changes_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_idea_status_changes_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["idea_id"],
            ["ideas.id"],
            name=op.f("fk_idea_status_changes_idea_id_ideas"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idea_status_changes")),
    )
    with op.batch_alter_table("idea_status_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_idea_status_changes_idea_id"), ["idea_id"], unique=False
        )

    op.create_table(
        "idea_supports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_idea_supports_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["idea_id"],
            ["ideas.id"],
            name=op.f("fk_idea_supports_idea_id_ideas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_idea_supports_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idea_supports")),
        sa.UniqueConstraint("idea_id", "user_id", name=op.f("uq_idea_supports_idea_id_user_id")),
    )
    with op.batch_alter_table("idea_supports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_idea_supports_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("idea_supports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idea_supports_user_id"))

    op.drop_table("idea_supports")
    with op.batch_alter_table("idea_status_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idea_status_changes_idea_id"))

    op.drop_table("idea_status_changes")
    with op.batch_alter_table("idea_comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idea_comments_idea_id"))

    op.drop_table("idea_comments")
    with op.batch_alter_table("ideas", schema=None) as batch_op:
        batch_op.drop_index("ix_ideas_community_support")
        batch_op.drop_index("ix_ideas_community_author_created")
        batch_op.drop_index("ix_ideas_card")

    op.drop_table("ideas")
    op.drop_table("idea_drafts")
