"""answers remember where a prefilled answer came from

Revision ID: i12b
Revises: i17a
Create Date: 2026-11-29 20:10:00.000000+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'i12b'
down_revision = 'i17a'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision: an answer prefilled by a crosswalk names its source until reviewed."""
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prefilled_from', sa.String(length=200), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_column('prefilled_from')
