"""covering indexes for the assessment list, history and trend; the assessment a repeat continues

Revision ID: i16b
Revises: i12b
Create Date: 2026-11-29 20:20:00.000000+00:00

The list page, the history page and the trend read their rows from covering indexes alone (the
table rows hold the large result documents, which SQLite walks through to reach the summary
columns); the results and history pages find the open repeat of the latest assessment through
previous_assessment_id instead of reading every assessment of the organisation.
"""

from __future__ import annotations

from alembic import op

revision = "i16b"
down_revision = "i12b"
branch_labels = None
depends_on = None

LIST_COLUMNS = [
    "organisation_id",
    "updated_at",
    "id",
    "status",
    "questionnaire_id",
    "questionnaire_version",
    "title",
]


DATES_COLUMNS = [
    "organisation_id",
    "status",
    "submitted_at",
    "id",
    "created_at",
    "questionnaire_id",
    "questionnaire_version",
    "overall_score",
    "overall_level",
    "title",
]


def upgrade() -> None:
    """Apply this revision."""
    op.create_index("ix_assessments_org_status_dates", "assessments", DATES_COLUMNS)
    op.drop_index("ix_assessments_org_status_submitted", table_name="assessments")
    op.create_index("ix_assessments_org_list", "assessments", LIST_COLUMNS)
    op.drop_index("ix_assessments_org_updated", table_name="assessments")
    op.create_index("ix_assessments_previous", "assessments", ["previous_assessment_id"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_assessments_previous", table_name="assessments")
    op.create_index("ix_assessments_org_updated", "assessments", ["organisation_id", "updated_at"])
    op.drop_index("ix_assessments_org_list", table_name="assessments")
    op.create_index(
        "ix_assessments_org_status_submitted",
        "assessments",
        ["organisation_id", "status", "submitted_at"],
    )
    op.drop_index("ix_assessments_org_status_dates", table_name="assessments")
