"""programme invitations expire and can be revoked

Revision ID: i14e
Revises: i14d
Create Date: 2026-11-29 23:30:00.000000+00:00

Invitations still open when this runs get thirty days from now (the default lifetime), so a
link already sent keeps working for a while and then expires like every new one.
"""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa
from alembic import op

revision = "i14e"
down_revision = "i14d"
branch_labels = None
depends_on = None

GRACE = timedelta(days=30)


def upgrade() -> None:
    """Add expires_at and revoked_at; open invitations expire thirty days from now."""
    with op.batch_alter_table("programme_participations") as batch:
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))
    table = sa.table(
        "programme_participations",
        sa.column("organisation_id", sa.Integer()),
        sa.column("expires_at", sa.DateTime(timezone=True)),
    )
    expires = datetime.now(UTC) + GRACE
    if op.get_bind().dialect.name == "sqlite":  # naive UTC, as the app stores it there
        expires = expires.replace(tzinfo=None)
    op.execute(
        table.update().where(table.c.organisation_id.is_(None)).values(expires_at=expires)
    )


def downgrade() -> None:
    """Drop the two columns (links then never expire again)."""
    with op.batch_alter_table("programme_participations") as batch:
        batch.drop_column("revoked_at")
        batch.drop_column("expires_at")
