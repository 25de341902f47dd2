"""Cases: `duplicate_of`, the application id a duplicate case repeats.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 11:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # a plain ADD COLUMN on both backends (no table rebuild on SQLite)
    op.add_column("cases", sa.Column("duplicate_of", sa.String(length=64), nullable=True))


def downgrade() -> None:
    # SQLite >= 3.35 drops a column in place; PostgreSQL always could
    op.drop_column("cases", "duplicate_of")
