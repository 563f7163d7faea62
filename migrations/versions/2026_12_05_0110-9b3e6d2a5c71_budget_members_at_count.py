"""The known members when a participatory budget round was counted (its turnout stays the
one of its deadline).

Revision ID: 9b3e6d2a5c71
Revises: 4f2a9c1e7b3d
Create Date: 2026-12-05 01:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9b3e6d2a5c71"
down_revision: str | None = "4f2a9c1e7b3d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("budget_rounds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("members_at_count", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("budget_rounds", schema=None) as batch_op:
        batch_op.drop_column("members_at_count")
