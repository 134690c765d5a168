"""invitation e-mail address

Revision ID: i17a
Revises: i16a
Create Date: 2026-11-29 17:10:00.000000+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'i17a'
down_revision = 'i13a'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision: invitations remember the address they were sent to (optional)."""
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_column('email')
