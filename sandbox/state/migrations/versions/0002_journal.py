"""The journal of exchanges per client (state layout 3).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_COUNT = sa.BigInteger()
_ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Create the journal's tables."""
    op.create_table(
        "journal_clients",
        sa.Column("client_id", sa.Text(), primary_key=True),
        sa.Column("generation", _COUNT, nullable=False, server_default=sa.text("0")),
        sa.Column("calls", _COUNT, nullable=False, server_default=sa.text("0")),
        sa.Column("faults", sa.Text(), nullable=False, server_default=sa.text("'{}'")),
    )
    # A row-id table: entries of a kilobyte or more append at its end (a WITHOUT ROWID table
    # would rebalance its tree with every such row).
    op.create_table(
        "journal",
        sa.Column("id", _ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("client_id", sa.Text(), nullable=False),
        sa.Column("generation", _COUNT, nullable=False),
        sa.Column("idx", _COUNT, nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
    )
    op.create_index("journal_by_client", "journal", ["client_id", "generation", "idx"], unique=True)


def downgrade() -> None:
    """Drop them."""
    op.drop_table("journal")
    op.drop_table("journal_clients")
