"""Whether the user was told once, in private chat, how to change the language.

Revision ID: 7e1b2c9d4f60
Revises: 57fc9045852c
Create Date: 2026-12-04 20:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7e1b2c9d4f60"
down_revision: str | None = "57fc9045852c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "language_hint_shown", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("language_hint_shown")
