"""Assessment tables: assessments of an organisation, their answers, and report share links."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean
from sqlalchemy import CheckConstraint
from sqlalchemy import Float
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy import false
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from readiness.models.accounts import Organisation
from readiness.models.accounts import User
from readiness.models.base import Base
from readiness.models.base import CreatedAtMixin
from readiness.models.base import JSONType
from readiness.models.base import TimestampMixin
from readiness.models.base import UTCDateTime
from readiness.models.base import utcnow

ASSESSMENT_STATUSES = ("draft", "submitted")
# self: filled in by the firm; on_site: by a consultant on the firm's behalf (official once the
# firm has reviewed it); respondents: several members answer apart, the owner consolidates.
ASSESSMENT_KINDS = ("self", "on_site", "respondents")
ANSWER_STATUSES = ("answered", "not_applicable", "dont_know")


class Assessment(TimestampMixin, Base):
    """One run of a questionnaire version for an organisation: a draft until submitted."""

    __tablename__ = "assessments"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'submitted')", name="status"),
        CheckConstraint("kind IN ('self', 'on_site', 'respondents')", name="kind"),
        # Lists, the dashboard, history and the trend read pages of these in index order, so
        # their cost does not grow with the organisation's assessments.
        # Covering the list page: its rows come from the index alone, never from the table
        # rows, whose result documents are large.
        Index(
            "ix_assessments_org_list",
            "organisation_id",
            "updated_at",
            "id",
            "status",
            "questionnaire_id",
            "questionnaire_version",
            "title",
            "kind",
            "confirmed_at",
        ),
        Index("ix_assessments_previous", "previous_assessment_id"),  # the open repeat
        # Covering history pages and the trend: submitted ones in submission order, the drafts.
        Index(
            "ix_assessments_org_status_dates",
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
            "kind",
            "confirmed_at",
        ),
        Index("ix_assessments_org_dates", "organisation_id", "submitted_at", "created_at"),
        # Peer benchmarks read the latest submitted assessment of each firm by questionnaire,
        # industry and size band (issue 14).
        Index(
            "ix_assessments_benchmark",
            "is_latest",
            "questionnaire_id",
            "questionnaire_version",
            "industry",
            "size_band",
            "overall_score",
        ),
        # The cohort table's default order: firms' latest assessments by overall score.
        Index("ix_assessments_cohort_order", "questionnaire_id", "is_latest", "overall_score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    questionnaire_id: Mapped[str] = mapped_column(String(100))
    questionnaire_version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    # The company profile as it was when the assessment was made.
    profile: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Bumped on every save so that concurrent edits are detected.
    revision: Mapped[int] = mapped_column(Integer, default=1)
    # The scored result document, written at submit. Deferred: lists never decode it.
    result: Mapped[dict[str, Any] | None] = mapped_column(JSONType, deferred=True)
    # Summary of the result, written at submit (None for drafts): what lists and charts read.
    overall_score: Mapped[float | None] = mapped_column(Float)
    overall_level: Mapped[int | None] = mapped_column(Integer)
    # The profile as aggregation keys (written at submit with the summary): cohorts and peer
    # groups are broken down by these without decoding the profile documents.
    sector: Mapped[str | None] = mapped_column(String(40))
    industry: Mapped[str | None] = mapped_column(String(40))
    size_band: Mapped[str | None] = mapped_column(String(40))
    region: Mapped[str | None] = mapped_column(String(40))
    # The organisation's latest official result of this questionnaire (submitted; an on-site
    # evaluation once confirmed; readiness.services.official), kept at submit, confirm, reopen
    # and delete under a lock on the organisation's row.
    is_latest: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    previous_assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL")
    )
    kind: Mapped[str] = mapped_column(String(20), default="self", server_default="self")
    # An on-site evaluation counts as the firm's official result once the firm confirmed it.
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation] = relationship(back_populates="assessments")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])
    previous_assessment: Mapped[Assessment | None] = relationship(remote_side=[id])
    answers: Mapped[list[Answer]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", order_by="Answer.id"
    )
    share_links: Mapped[list[ShareLink]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )
    scores: Mapped[list[AssessmentScore]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<Assessment {self.id} {self.questionnaire_id}@{self.questionnaire_version}>"


SCORE_KINDS = ("pillar", "challenge_area")


class AssessmentScore(Base):
    """One pillar's or challenge area's score and level of a submitted assessment (a summary).

    Keyed by (assessment, kind, key) because pillars differ between questionnaires; the
    (kind, key, level) index serves aggregation across assessments and organisations.
    """

    __tablename__ = "assessment_scores"
    __table_args__ = (
        CheckConstraint("kind IN ('pillar', 'challenge_area')", name="kind"),
        Index("ix_assessment_scores_kind_key_level", "kind", "key", "level"),
        # The cohort table sorted by a pillar's score reads this index in order. Key first, so
        # that a query for some assessments' pillar scores keeps to the primary key.
        Index("ix_assessment_scores_key_kind_score", "key", "kind", "score", "assessment_id"),
    )

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    score: Mapped[float | None] = mapped_column(Float)
    level: Mapped[int | None] = mapped_column(Integer)

    assessment: Mapped[Assessment] = relationship(back_populates="scores")


class Answer(Base):
    """The answer to one question of an assessment, with its status, comment and evidence."""

    __tablename__ = "answers"
    __table_args__ = (
        UniqueConstraint("assessment_id", "question_id"),
        CheckConstraint("status IN ('answered', 'not_applicable', 'dont_know')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[str] = mapped_column(String(100))
    value: Mapped[Any | None] = mapped_column(JSONType)
    status: Mapped[str] = mapped_column(String(20), default="answered")
    comment: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    # "<questionnaire>@<version>:<question>" when a crosswalk prefilled this answer from another
    # assessment; cleared once the respondent saves the page it is on (reviewed)
    prefilled_from: Mapped[str | None] = mapped_column(String(200))

    assessment: Mapped[Assessment] = relationship(back_populates="answers")
    updated_by: Mapped[User | None] = relationship()


class ShareLink(CreatedAtMixin, Base):
    """A read-only link to an assessment's report; only the token's hash is stored."""

    __tablename__ = "share_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    assessment: Mapped[Assessment] = relationship(back_populates="share_links")
    created_by: Mapped[User | None] = relationship()
