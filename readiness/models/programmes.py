"""Programme tables: an operator's programme of firms, and each firm's participation and consent."""

from __future__ import annotations

from datetime import date
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint
from sqlalchemy import Date
from sqlalchemy import Float
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from readiness.models.accounts import Organisation
from readiness.models.base import Base
from readiness.models.base import CreatedAtMixin
from readiness.models.base import JSONType
from readiness.models.base import UTCDateTime

# What a firm shares with a programme: its results (scores and levels) or also its answers.
CONSENTS = ("results", "answers")


class Programme(CreatedAtMixin, Base):
    """An operator organisation's programme: firms invited to assess themselves in a period."""

    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    questionnaire_ids: Mapped[list[str]] = mapped_column(JSONType, default=list)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    sector_focus: Mapped[str] = mapped_column(String(200), default="")
    # A firm whose latest submission is older than this is due to repeat (T1, T2 …).
    repeat_after_days: Mapped[int] = mapped_column(Integer, default=180)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Bumped whenever what the cohort shows may change (a consent, a member firm's submitted
    # results). The cohort's counts per questionnaire, kept up to date in the transaction of
    # every such change from each firm's share (CohortMember; readiness.services.cohort_pool).
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    cohort_cache: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict, deferred=True)

    organisation: Mapped[Organisation] = relationship()
    participations: Mapped[list[Participation]] = relationship(
        back_populates="programme", cascade="all, delete-orphan", passive_deletes=True
    )


class Participation(CreatedAtMixin, Base):
    """A firm invited to a programme: its invitation, the organisation it joined with, its consent.

    `consent` is what the firm shares now (None: nothing, before joining or after withdrawing);
    the operator's every query filters on it, so withdrawing takes effect at once.
    """

    __tablename__ = "programme_participations"
    __table_args__ = (
        UniqueConstraint("programme_id", "organisation_id"),
        CheckConstraint("consent IS NULL OR consent IN ('results', 'answers')", name="consent"),
        Index("ix_programme_participations_org_consent", "organisation_id", "consent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE")
    )
    email: Mapped[str | None] = mapped_column(String(254))  # whom the invitation was sent to
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The invitation link works until then (None: links made before invitations expired);
    # revoked_at: the operator withdrew the link. Neither matters once the firm has joined.
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consent: Mapped[str | None] = mapped_column(String(10))
    consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    details: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)

    programme: Mapped[Programme] = relationship(back_populates="participations")
    organisation: Mapped[Organisation | None] = relationship()


class ParticipationRecord(CreatedAtMixin, Base):
    """A programme participation that arrived with an imported organisation: a record only.

    It names the programme and its operator as the exporting installation knew them and keeps
    what the firm agreed to share and when; it is linked to no programme here, so it gives no
    operator any access (the firm joins a programme of this installation with a new invitation).
    `programme` holds name, operator, questionnaire_ids, starts_on, ends_on and sector_focus;
    `history` the consent events (at, event, from, to, by).
    """

    __tablename__ = "participation_records"
    __table_args__ = (
        CheckConstraint("consent IS NULL OR consent IN ('results', 'answers')", name="consent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    programme: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    status: Mapped[str] = mapped_column(String(20))
    consent: Mapped[str | None] = mapped_column(String(10))
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    history: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)


class PeerScore(Base):
    """One score of a firm's latest assessment in the benchmark pool (only while it shares).

    Rows exist only for organisations that share their results with at least one programme, so
    peer benchmarks count index ranges of this table and never look up consent or assessments.
    `metric` is "overall" or "pillar:<key>".
    """

    __tablename__ = "peer_scores"
    __table_args__ = (
        Index(
            "ix_peer_scores_all",
            "questionnaire_id",
            "questionnaire_version",
            "metric",
            "score",
            "organisation_id",
        ),
        Index(
            "ix_peer_scores_sector",
            "questionnaire_id",
            "questionnaire_version",
            "metric",
            "sector",
            "score",
            "organisation_id",
        ),
        Index(
            "ix_peer_scores_industry_size",
            "questionnaire_id",
            "questionnaire_version",
            "metric",
            "industry",
            "size_band",
            "score",
            "organisation_id",
        ),
    )

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True
    )
    metric: Mapped[str] = mapped_column(String(110), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    questionnaire_id: Mapped[str] = mapped_column(String(100))
    questionnaire_version: Mapped[int] = mapped_column(Integer)
    sector: Mapped[str | None] = mapped_column(String(40))
    industry: Mapped[str | None] = mapped_column(String(40))
    size_band: Mapped[str | None] = mapped_column(String(40))
    score: Mapped[float] = mapped_column(Float)


class PeerBin(Base):
    """How many pool scores of one metric fall in one 0.1-point bin, per peer group.

    Kept with `peer_scores` (readiness.services.peer_pool), so that a percentile sums at most
    a thousand bins of the firm's group instead of counting every peer. `scope` is
    industry_size, industry, sector or all; `group_key` the group's value(s), "" for all.
    """

    __tablename__ = "peer_bins"

    questionnaire_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    questionnaire_version: Mapped[int] = mapped_column(Integer, primary_key=True)
    metric: Mapped[str] = mapped_column(String(110), primary_key=True)
    scope: Mapped[str] = mapped_column(String(20), primary_key=True)
    group_key: Mapped[str] = mapped_column(String(90), primary_key=True)
    bin: Mapped[int] = mapped_column(Integer, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class CohortMember(Base):
    """What one consenting firm adds to a programme's kept cohort counts for one questionnaire.

    Kept so that a change (a new latest result, a withdrawal) can take the firm's old share
    away from the counts without reading its old results again (a reopened assessment loses
    its summary). `share` is the firm's rounded scores, levels and profile keys.
    """

    __tablename__ = "cohort_members"

    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    questionnaire_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    share: Mapped[dict[str, Any]] = mapped_column(JSONType)
