"""cohort counts kept from each firm's share; the latest flag follows the official rule

Revision ID: i14c
Revises: i14a
Create Date: 2026-11-29 23:00:00.000000+00:00

`cohort_members` holds what each consenting firm adds to a programme's kept cohort counts, so
that a change updates the counts instead of recounting the cohort. The programmes' kept
aggregates are dropped (rebuilt in the new form on the next cohort page). `is_latest` now marks
a firm's latest *official* result: an on-site evaluation the firm has not confirmed no longer
counts, so the flag is set again for the organisations that have one (and, if any of them
shares its results, the benchmark pool is rebuilt).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "i14c"
down_revision = "i14a"
branch_labels = None
depends_on = None

ASSESSMENTS = sa.table(
    "assessments",
    sa.column("id", sa.Integer()),
    sa.column("organisation_id", sa.Integer()),
    sa.column("questionnaire_id", sa.String()),
    sa.column("status", sa.String()),
    sa.column("kind", sa.String()),
    sa.column("confirmed_at", sa.DateTime()),
    sa.column("submitted_at", sa.DateTime()),
    sa.column("is_latest", sa.Boolean()),
)


def _flag_latest(official_only: bool) -> None:
    """Set is_latest again for organisations with a submitted, unconfirmed on-site evaluation."""
    a = ASSESSMENTS
    bind = op.get_bind()
    unconfirmed = (a.c.kind == "on_site") & a.c.confirmed_at.is_(None)
    affected = sorted(
        bind.scalars(
            sa.select(a.c.organisation_id).where(a.c.status == "submitted", unconfirmed).distinct()
        )
    )
    if not affected:
        return
    counted = a.c.status == "submitted"
    if official_only:
        counted = counted & sa.not_(unconfirmed)
    latest: dict[tuple[int, str], int] = {}
    for assessment_id, organisation_id, questionnaire_id in bind.execute(
        sa.select(a.c.id, a.c.organisation_id, a.c.questionnaire_id)
        .where(a.c.organisation_id.in_(affected), counted)
        .order_by(a.c.submitted_at, a.c.id)
    ):
        latest[(organisation_id, questionnaire_id)] = assessment_id
    bind.execute(a.update().where(a.c.organisation_id.in_(affected)).values(is_latest=False))
    if latest:
        bind.execute(a.update().where(a.c.id.in_(list(latest.values()))).values(is_latest=True))
    pooled = bind.scalar(
        sa.select(sa.func.count())
        .select_from(sa.table("peer_scores", sa.column("organisation_id", sa.Integer())))
        .where(sa.column("organisation_id").in_(affected))
    )
    if pooled:
        # Rare (a sharing firm with an unconfirmed on-site evaluation): the pool's bins are
        # counts, rebuilt whole by the one function that keeps them.
        from sqlalchemy.orm import Session

        from readiness.services.peer_pool import refresh_peers

        session = Session(bind=bind)
        refresh_peers(session)
        session.flush()


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "cohort_members",
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.String(length=100), nullable=False),
        sa.Column("share", sa.JSON(none_as_null=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_cohort_members_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programmes.id"],
            name=op.f("fk_cohort_members_programme_id_programmes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "programme_id", "organisation_id", "questionnaire_id", name=op.f("pk_cohort_members")
        ),
    )
    op.create_index(
        op.f("ix_cohort_members_organisation_id"),
        "cohort_members",
        ["organisation_id"],
        unique=False,
    )
    op.create_index(
        "ix_assessment_scores_key_kind_score",
        "assessment_scores",
        ["key", "kind", "score", "assessment_id"],
        unique=False,
    )
    programmes = sa.table("programmes", sa.column("cohort_cache", sa.JSON()))
    op.get_bind().execute(programmes.update().values(cohort_cache={}))
    _flag_latest(official_only=True)


def downgrade() -> None:
    """Revert this revision."""
    _flag_latest(official_only=False)
    programmes = sa.table("programmes", sa.column("cohort_cache", sa.JSON()))
    op.get_bind().execute(programmes.update().values(cohort_cache={}))
    op.drop_index("ix_assessment_scores_key_kind_score", table_name="assessment_scores")
    op.drop_index(op.f("ix_cohort_members_organisation_id"), table_name="cohort_members")
    op.drop_table("cohort_members")
