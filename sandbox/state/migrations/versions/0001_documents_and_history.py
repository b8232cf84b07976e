"""Documents and their history, per client and generation (state layout 2).

Revision ID: 0001
Revises:
Create Date: 2026-11-20
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_COUNT = sa.BigInteger()
# SQLite makes an INTEGER PRIMARY KEY the row id (and numbers it); a BIGINT one would not be.
_ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Create the tables of state layout 2."""
    op.create_table(
        "clients",
        sa.Column("client_id", sa.Text(), primary_key=True),
        sa.Column("generation", _COUNT, nullable=False, server_default=sa.text("0")),
        sa.Column("documents", _COUNT, nullable=False, server_default=sa.text("0")),
        sa.Column("versions", _COUNT, nullable=False, server_default=sa.text("0")),
    )
    op.create_table(
        "documents",
        sa.Column("client_id", sa.Text(), nullable=False),
        sa.Column("generation", _COUNT, nullable=False),
        sa.Column("person_key", sa.Text(), nullable=False),
        sa.Column("facet", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.Column("versions", _COUNT, nullable=False),
        sa.PrimaryKeyConstraint("client_id", "generation", "person_key", "facet"),
    )
    op.create_table(
        "history",
        sa.Column("id", _ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("client_id", sa.Text(), nullable=False),
        sa.Column("generation", _COUNT, nullable=False),
        sa.Column("person_key", sa.Text(), nullable=False),
        sa.Column("facet", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
    )
    op.create_index(
        "history_by_person",
        "history",
        ["client_id", "generation", "person_key", "facet", "recorded_at", "id"],
    )
    op.create_table(
        "history_tags",
        sa.Column("client_id", sa.Text(), nullable=False),
        sa.Column("generation", _COUNT, nullable=False),
        sa.Column("person_key", sa.Text(), nullable=False),
        sa.Column("facet", sa.Text(), nullable=False),
        sa.Column("tag", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.Text(), nullable=False),
        sa.Column("history_id", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "client_id", "generation", "person_key", "facet", "tag", "recorded_at", "history_id"
        ),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    """Drop them."""
    for table in ("history_tags", "history", "documents", "clients"):
        op.drop_table(table)
