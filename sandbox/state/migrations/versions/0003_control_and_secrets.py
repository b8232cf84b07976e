"""What the control plane changes, and the instance secrets, shared by every instance.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the control documents' and the secrets' tables."""
    # One row per setting (the default profile, one client's profile, the outages, the clock):
    # two instances changing two settings at once never overwrite each other's.
    op.create_table(
        "control",
        sa.Column("name", sa.Text(), primary_key=True),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
    )
    op.create_table(
        "instance_secrets",
        sa.Column("name", sa.Text(), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_table("instance_secrets")
    op.drop_table("control")
