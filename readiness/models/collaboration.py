"""Tables for assessments made by several people: on-site reviews, respondents, settlements."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint
from sqlalchemy import ForeignKey
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from readiness.models.accounts import User
from readiness.models.base import Base
from readiness.models.base import CreatedAtMixin
from readiness.models.base import JSONType
from readiness.models.base import UTCDateTime
from readiness.models.base import utcnow

REVIEW_VERDICTS = ("confirmed", "disputed")


class OnSiteReview(Base):
    """The firm's verdict on one answer of an on-site evaluation: confirmed, or disputed."""

    __tablename__ = "onsite_reviews"
    __table_args__ = (
        UniqueConstraint("assessment_id", "question_id"),
        CheckConstraint("verdict IN ('confirmed', 'disputed')", name="verdict"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[str] = mapped_column(String(100))
    verdict: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    reviewed_by: Mapped[User | None] = relationship()


class Respondent(CreatedAtMixin, Base):
    """A member asked to answer an assessment on their own (all pillars, or the listed ones)."""

    __tablename__ = "respondents"
    __table_args__ = (UniqueConstraint("assessment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    pillars: Mapped[list[str] | None] = mapped_column(JSONType)  # None: every pillar
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Bumped on every save of the respondent's answers (conflict detection, as for assessments).
    revision: Mapped[int] = mapped_column(Integer, default=1)

    user: Mapped[User] = relationship()
    answers: Mapped[list[RespondentAnswer]] = relationship(
        back_populates="respondent", cascade="all, delete-orphan", passive_deletes=True
    )


class RespondentAnswer(Base):
    """One respondent's own answer to one question, invisible to others until they submit."""

    __tablename__ = "respondent_answers"
    __table_args__ = (
        UniqueConstraint("respondent_id", "question_id"),
        CheckConstraint("status IN ('answered', 'not_applicable', 'dont_know')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    respondent_id: Mapped[int] = mapped_column(
        ForeignKey("respondents.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[str] = mapped_column(String(100))
    value: Mapped[Any | None] = mapped_column(JSONType)
    status: Mapped[str] = mapped_column(String(20), default="answered")
    comment: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    revision: Mapped[int] = mapped_column(Integer, default=1)

    respondent: Mapped[Respondent] = relationship(back_populates="answers")


class Settlement(Base):
    """How the owner settled one question of a several-respondent assessment, with a note."""

    __tablename__ = "settlements"
    __table_args__ = (
        UniqueConstraint("assessment_id", "question_id"),
        CheckConstraint("status IN ('answered', 'not_applicable', 'dont_know')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default="answered")
    value: Mapped[Any | None] = mapped_column(JSONType)
    note: Mapped[str] = mapped_column(Text, default="")
    settled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    settled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    settled_by: Mapped[User | None] = relationship()
