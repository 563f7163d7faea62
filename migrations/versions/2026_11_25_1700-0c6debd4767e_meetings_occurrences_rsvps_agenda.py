"""meetings, occurrences, rsvps, agenda, minutes and reminder offsets

Revision ID: 0c6debd4767e
Revises: 5ab320ddc2b7
Create Date: 2026-11-25 16:22:20.651137
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0c6debd4767e"
down_revision: str | None = "5ab320ddc2b7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("repeat", sa.String(length=16), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_meetings_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_meetings_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meetings_community_id"), ["community_id"], unique=False
        )

    op.create_table(
        "meeting_occurrences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("original_start", sa.DateTime(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("planned_at", sa.DateTime(), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.Column("card_message_id", sa.BigInteger(), nullable=True),
        sa.Column("card_stage", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_meeting_occurrences_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_occurrences_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_occurrences")),
        sa.UniqueConstraint(
            "meeting_id",
            "original_start",
            name=op.f("uq_meeting_occurrences_meeting_id_original_start"),
        ),
    )
    with op.batch_alter_table("meeting_occurrences", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_occurrences_community_id"), ["community_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_occurrences_starts_at"), ["starts_at"], unique=False
        )

    op.create_table(
        "meeting_agenda_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("occurrence_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_meeting_agenda_items_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_meeting_agenda_items_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["occurrence_id"],
            ["meeting_occurrences.id"],
            name=op.f("fk_meeting_agenda_items_occurrence_id_meeting_occurrences"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_agenda_items")),
    )
    with op.batch_alter_table("meeting_agenda_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_agenda_items_community_id"), ["community_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_agenda_items_occurrence_id"), ["occurrence_id"], unique=False
        )

    op.create_table(
        "meeting_minutes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("occurrence_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_meeting_minutes_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_meeting_minutes_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["occurrence_id"],
            ["meeting_occurrences.id"],
            name=op.f("fk_meeting_minutes_occurrence_id_meeting_occurrences"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_minutes")),
    )
    with op.batch_alter_table("meeting_minutes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_minutes_community_id"), ["community_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_minutes_occurrence_id"), ["occurrence_id"], unique=False
        )

    op.create_table(
        "meeting_rsvps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("occurrence_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("answer", sa.String(length=8), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_meeting_rsvps_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["occurrence_id"],
            ["meeting_occurrences.id"],
            name=op.f("fk_meeting_rsvps_occurrence_id_meeting_occurrences"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_meeting_rsvps_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_rsvps")),
        sa.UniqueConstraint(
            "occurrence_id", "user_id", name=op.f("uq_meeting_rsvps_occurrence_id_user_id")
        ),
    )
    with op.batch_alter_table("meeting_rsvps", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_rsvps_community_id"), ["community_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_meeting_rsvps_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("communities", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reminder_offsets", sa.JSON(), server_default="[1440, 60]", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("communities", schema=None) as batch_op:
        batch_op.drop_column("reminder_offsets")

    with op.batch_alter_table("meeting_rsvps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_rsvps_user_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_rsvps_community_id"))

    op.drop_table("meeting_rsvps")
    with op.batch_alter_table("meeting_minutes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_minutes_occurrence_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_minutes_community_id"))

    op.drop_table("meeting_minutes")
    with op.batch_alter_table("meeting_agenda_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_agenda_items_occurrence_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_agenda_items_community_id"))

    op.drop_table("meeting_agenda_items")
    with op.batch_alter_table("meeting_occurrences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_occurrences_starts_at"))
        batch_op.drop_index(batch_op.f("ix_meeting_occurrences_community_id"))

    op.drop_table("meeting_occurrences")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meetings_community_id"))

    op.drop_table("meetings")
