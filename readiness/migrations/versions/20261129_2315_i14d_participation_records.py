"""participation records: programme participations that arrived with an imported organisation

Revision ID: i14d
Revises: i14c
Create Date: 2026-11-29 23:15:00.000000+00:00

An organisation export (version 3) carries the firm's programme participations; on another
installation they are kept as records without a link to any programme there.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "i14d"
down_revision = "i14c"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "participation_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("programme", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("consent", sa.String(length=10), nullable=True),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("consented_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("history", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "consent IS NULL OR consent IN ('results', 'answers')",
            name=op.f("ck_participation_records_consent"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_participation_records_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participation_records")),
    )
    with op.batch_alter_table("participation_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participation_records_organisation_id"),
            ["organisation_id"],
            unique=False,
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("participation_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participation_records_organisation_id"))
    op.drop_table("participation_records")
