"""assessment summaries: overall score and level, per pillar and challenge-area scores

Revision ID: i16a
Revises: i15a
Create Date: 2026-11-29 18:00:00.000000+00:00

Lists, history and comparison read these instead of decoding result documents. Existing
submitted assessments are filled in from their stored result document (its scores carry one
decimal, as displayed; assessments submitted from now on store full precision).
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "i16a"
down_revision = "i15a"
branch_labels = None
depends_on = None


def _document(raw: Any) -> dict[str, Any] | None:
    """The English (else any) result document of a stored result, whatever the driver returns."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return None
    if not isinstance(raw, dict) or not raw:
        return None
    doc = raw.get("en") or next(iter(raw.values()))
    return doc if isinstance(doc, dict) else None


def _fill_summaries() -> None:
    """Write the summary of every submitted assessment from its stored result document."""
    assessments = sa.table(
        "assessments",
        sa.column("id", sa.Integer()),
        sa.column("status", sa.String()),
        sa.column("result", sa.Text()),
        sa.column("overall_score", sa.Float()),
        sa.column("overall_level", sa.Integer()),
    )
    scores = sa.table(
        "assessment_scores",
        sa.column("assessment_id", sa.Integer()),
        sa.column("kind", sa.String()),
        sa.column("key", sa.String()),
        sa.column("score", sa.Float()),
        sa.column("level", sa.Integer()),
    )
    bind = op.get_bind()
    # Cast to text so that PostgreSQL's JSON and SQLite's text both arrive as a string.
    rows = bind.execute(
        sa.select(assessments.c.id, sa.cast(assessments.c.result, sa.Text())).where(
            assessments.c.status == "submitted"
        )
    ).all()
    for assessment_id, raw in rows:
        doc = _document(raw)
        if doc is None:
            continue
        overall = doc.get("overall") or {}
        bind.execute(
            assessments.update()
            .where(assessments.c.id == assessment_id)
            .values(overall_score=overall.get("score"), overall_level=overall.get("level"))
        )
        parts = [
            {
                "assessment_id": assessment_id,
                "kind": kind,
                "key": key,
                "score": (value or {}).get("score"),
                "level": (value or {}).get("level"),
            }
            for kind, field in (("pillar", "pillars"), ("challenge_area", "challenge_areas"))
            for key, value in (doc.get(field) or {}).items()
        ]
        if parts:
            bind.execute(scores.insert(), parts)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "assessment_scores",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('pillar', 'challenge_area')", name=op.f("ck_assessment_scores_kind")
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_scores_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assessment_id", "kind", "key", name=op.f("pk_assessment_scores")),
    )
    op.create_index(
        "ix_assessment_scores_kind_key_level",
        "assessment_scores",
        ["kind", "key", "level"],
        unique=False,
    )
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("overall_score", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("overall_level", sa.Integer(), nullable=True))
    op.create_index("ix_assessments_org_updated", "assessments", ["organisation_id", "updated_at"])
    op.create_index(
        "ix_assessments_org_status_submitted",
        "assessments",
        ["organisation_id", "status", "submitted_at"],
    )
    op.create_index(
        "ix_assessments_org_dates", "assessments", ["organisation_id", "submitted_at", "created_at"]
    )
    _fill_summaries()


def downgrade() -> None:
    """Revert this revision."""
    for name in (
        "ix_assessments_org_dates",
        "ix_assessments_org_status_submitted",
        "ix_assessments_org_updated",
    ):
        op.drop_index(name, table_name="assessments")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_column("overall_level")
        batch_op.drop_column("overall_score")
    op.drop_index("ix_assessment_scores_kind_key_level", table_name="assessment_scores")
    op.drop_table("assessment_scores")
