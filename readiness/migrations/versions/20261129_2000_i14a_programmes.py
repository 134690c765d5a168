"""programmes, participations with consent; aggregation keys and the latest flag on assessments

Revision ID: i14a
Revises: i14b
Create Date: 2026-11-29 20:00:00.000000+00:00

Existing submitted assessments get their aggregation keys from their profile snapshot and the
latest one of each organisation and questionnaire is flagged.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "i14a"
down_revision = "i14b"
branch_labels = None
depends_on = None

PROFILE_KEYS = {
    "sector": "sector",
    "industry": "industry",
    "size_band": "headcount",
    "region": "region",
}


PEER_INDEXES = {
    "ix_peer_scores_all": ["score", "organisation_id"],
    "ix_peer_scores_sector": ["sector", "score", "organisation_id"],
    "ix_peer_scores_industry_size": ["industry", "size_band", "score", "organisation_id"],
}


def _profile(raw: Any) -> dict[str, Any]:
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return {}
    return raw if isinstance(raw, dict) else {}


def _fill() -> None:
    """Aggregation keys and the latest flag of the submitted assessments already stored."""
    assessments = sa.table(
        "assessments",
        sa.column("id", sa.Integer()),
        sa.column("organisation_id", sa.Integer()),
        sa.column("questionnaire_id", sa.String()),
        sa.column("status", sa.String()),
        sa.column("submitted_at", sa.DateTime()),
        sa.column("profile", sa.Text()),
        sa.column("is_latest", sa.Boolean()),
        *(sa.column(name, sa.String()) for name in PROFILE_KEYS),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            assessments.c.id,
            assessments.c.organisation_id,
            assessments.c.questionnaire_id,
            sa.cast(assessments.c.profile, sa.Text()),
        )
        .where(assessments.c.status == "submitted")
        .order_by(assessments.c.submitted_at, assessments.c.id)
    ).all()
    latest: dict[tuple[int, str], int] = {}
    for assessment_id, organisation_id, questionnaire_id, raw in rows:
        profile = _profile(raw)
        values = {
            column: str(profile[key])[:40] if profile.get(key) not in (None, "") else None
            for column, key in PROFILE_KEYS.items()
        }
        bind.execute(assessments.update().where(assessments.c.id == assessment_id).values(**values))
        latest[(organisation_id, questionnaire_id)] = assessment_id
    for assessment_id in latest.values():
        bind.execute(
            assessments.update().where(assessments.c.id == assessment_id).values(is_latest=True)
        )


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "programmes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("questionnaire_ids", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("sector_focus", sa.String(length=200), nullable=False),
        sa.Column("repeat_after_days", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("revision", sa.Integer(), server_default="0", nullable=False),
        sa.Column("cohort_cache", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_programmes_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_programmes_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programmes")),
    )
    op.create_index(
        op.f("ix_programmes_organisation_id"), "programmes", ["organisation_id"], unique=False
    )
    op.create_table(
        "programme_participations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("consent", sa.String(length=10), nullable=True),
        sa.Column("consented_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("details", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "consent IS NULL OR consent IN ('results', 'answers')",
            name=op.f("ck_programme_participations_consent"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_programme_participations_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programmes.id"],
            name=op.f("fk_programme_participations_programme_id_programmes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_participations")),
        sa.UniqueConstraint(
            "programme_id",
            "organisation_id",
            name=op.f("uq_programme_participations_programme_id_organisation_id"),
        ),
        sa.UniqueConstraint("token_hash", name=op.f("uq_programme_participations_token_hash")),
    )
    op.create_index(
        "ix_programme_participations_org_consent",
        "programme_participations",
        ["organisation_id", "consent"],
        unique=False,
    )
    op.create_index(
        op.f("ix_programme_participations_programme_id"),
        "programme_participations",
        ["programme_id"],
        unique=False,
    )
    op.create_table(
        "peer_scores",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=110), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.String(length=100), nullable=False),
        sa.Column("questionnaire_version", sa.Integer(), nullable=False),
        sa.Column("sector", sa.String(length=40), nullable=True),
        sa.Column("industry", sa.String(length=40), nullable=True),
        sa.Column("size_band", sa.String(length=40), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_peer_scores_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_peer_scores_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assessment_id", "metric", name=op.f("pk_peer_scores")),
    )
    op.create_table(
        "peer_bins",
        sa.Column("questionnaire_id", sa.String(length=100), nullable=False),
        sa.Column("questionnaire_version", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=110), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("group_key", sa.String(length=90), nullable=False),
        sa.Column("bin", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "questionnaire_id",
            "questionnaire_version",
            "metric",
            "scope",
            "group_key",
            "bin",
            name=op.f("pk_peer_bins"),
        ),
    )
    base = ["questionnaire_id", "questionnaire_version", "metric"]
    for name, columns in PEER_INDEXES.items():
        op.create_index(name, "peer_scores", base + columns, unique=False)
    op.create_index(
        op.f("ix_peer_scores_organisation_id"), "peer_scores", ["organisation_id"], unique=False
    )
    # Plain ADD COLUMN (SQLite has it): batch mode would copy the table, and dropping the old
    # copy would cascade to assessment_scores.
    for name in PROFILE_KEYS:
        op.add_column("assessments", sa.Column(name, sa.String(length=40), nullable=True))
    op.add_column(
        "assessments",
        sa.Column("is_latest", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.create_index(
        "ix_assessments_benchmark",
        "assessments",
        [
            "is_latest",
            "questionnaire_id",
            "questionnaire_version",
            "industry",
            "size_band",
            "overall_score",
        ],
        unique=False,
    )
    op.create_index(
        "ix_assessments_cohort_order",
        "assessments",
        ["questionnaire_id", "is_latest", "overall_score"],
        unique=False,
    )
    _fill()


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_assessments_cohort_order", table_name="assessments")
    op.drop_index("ix_assessments_benchmark", table_name="assessments")
    op.drop_index(op.f("ix_peer_scores_organisation_id"), table_name="peer_scores")
    for name in PEER_INDEXES:
        op.drop_index(name, table_name="peer_scores")
    op.drop_table("peer_scores")
    op.drop_table("peer_bins")
    # DROP COLUMN in place (SQLite 3.35+ has it), for the reason given in upgrade().
    for name in ("is_latest", *reversed(PROFILE_KEYS)):
        op.execute(f"ALTER TABLE assessments DROP COLUMN {name}")
    op.drop_index(
        op.f("ix_programme_participations_programme_id"), table_name="programme_participations"
    )
    op.drop_index("ix_programme_participations_org_consent", table_name="programme_participations")
    op.drop_table("programme_participations")
    op.drop_index(op.f("ix_programmes_organisation_id"), table_name="programmes")
    op.drop_table("programmes")
