"""The working group's vision and goals on the community (the development plan's part 2).

Revision ID: d88b092eaf3c
Revises: 0c6debd4767e
Create Date: 2026-11-25 17:19:51.808436
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d88b092eaf3c"
down_revision: str | None = "0c6debd4767e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("communities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("vision", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("goals", sa.JSON(), server_default="[]", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("communities", schema=None) as batch_op:
        batch_op.drop_column("goals")
        batch_op.drop_column("vision")
