"""Client-conformance campaign reports the kit published, per client.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Create the reports table."""
    # AUTOINCREMENT on SQLite: ids are never reused, so a link to a dropped report never opens
    # a newer one (PostgreSQL's identity never goes back either).
    op.create_table(
        "reports",
        sa.Column("id", _ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("client_id", sa.Text(), nullable=False),
        sa.Column("received_at", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("reports_by_client", "reports", ["client_id", "id"])


def downgrade() -> None:
    """Drop it."""
    op.drop_table("reports")
