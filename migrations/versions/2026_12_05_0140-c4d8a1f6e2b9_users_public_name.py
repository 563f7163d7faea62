"""Whether a user, as a leader, agrees to be named on their villages' public pages
(/publicname).

Revision ID: c4d8a1f6e2b9
Revises: 9b3e6d2a5c71
Create Date: 2026-12-05 01:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c4d8a1f6e2b9"
down_revision: str | None = "9b3e6d2a5c71"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("public_name", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("public_name")
