"""Action-plan tables: an organisation's plan actions and the recorded history of their changes."""

from __future__ import annotations

from datetime import date
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint
from sqlalchemy import Date
from sqlalchemy import ForeignKey
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from readiness.models.accounts import Organisation
from readiness.models.accounts import User
from readiness.models.base import Base
from readiness.models.base import JSONType
from readiness.models.base import TimestampMixin
from readiness.models.base import UTCDateTime
from readiness.models.base import utcnow

ACTION_STATUSES = ("planned", "in_progress", "done", "dropped")
EFFORTS = ("small", "medium", "large")
COST_BANDS = ("low", "medium", "high")


def _in(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    listed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({listed})", name=name)


class PlanAction(TimestampMixin, Base):
    """One action of an organisation's plan, linked to the measure and questions it should move."""

    __tablename__ = "plan_actions"
    __table_args__ = (
        _in("status", ACTION_STATUSES, "status"),
        _in("effort", EFFORTS, "effort"),
        _in("cost_band", COST_BANDS, "cost_band"),
        CheckConstraint("status != 'dropped' OR dropped_reason != ''", name="dropped_reason"),
        # An action adopted from a recommendation is adopted once (own actions have no key).
        UniqueConstraint("organisation_id", "source_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    # Links: the measure (§6.x), challenge area, pillar and the questions it should move, with
    # the questionnaire version those question IDs belong to.
    measure_id: Mapped[str | None] = mapped_column(String(20))
    challenge_area: Mapped[str | None] = mapped_column(String(20))
    pillar: Mapped[str | None] = mapped_column(String(100))
    question_ids: Mapped[list[str]] = mapped_column(JSONType, default=list)
    questionnaire_id: Mapped[str | None] = mapped_column(String(100))
    questionnaire_version: Mapped[int | None] = mapped_column(Integer)
    # Where it was adopted from: the recommended action's ID (if any) and texts in each language.
    source_key: Mapped[str | None] = mapped_column(String(400))
    source_id: Mapped[str | None] = mapped_column(String(100))
    source_texts: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    source_assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL")
    )
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    owner_name: Mapped[str] = mapped_column(String(120), default="")  # a person outside the app
    owner_email: Mapped[str] = mapped_column(String(254), default="")
    start_date: Mapped[date | None] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    dropped_reason: Mapped[str] = mapped_column(Text, default="")
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    effort: Mapped[str | None] = mapped_column(String(10))
    cost_band: Mapped[str | None] = mapped_column(String(10))
    indicator: Mapped[str] = mapped_column(String(300), default="")
    baseline: Mapped[str] = mapped_column(String(120), default="")
    target: Mapped[str] = mapped_column(String(120), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    evidence_links: Mapped[list[str]] = mapped_column(JSONType, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Bumped on every change, so that a change made from a stale form is refused.
    revision: Mapped[int] = mapped_column(Integer, default=1)

    organisation: Mapped[Organisation] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    changes: Mapped[list[PlanActionChange]] = relationship(
        back_populates="action",
        cascade="all, delete-orphan",
        order_by="PlanActionChange.id",
        passive_deletes=True,
    )

    @property
    def owner_label(self) -> str:
        """Who owns the action: the member's name, else the outside person's name ("" if nobody)."""
        return self.owner.name if self.owner is not None else self.owner_name

    def __repr__(self) -> str:
        return f"<PlanAction {self.id} {self.status} {self.title[:30]!r}>"


class PlanActionChange(Base):
    """One recorded change to a plan action: who, when and what (field -> [before, after])."""

    __tablename__ = "plan_action_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("plan_actions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    kind: Mapped[str] = mapped_column(String(20))  # created, adopted, updated
    changes: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)

    action: Mapped[PlanAction] = relationship(back_populates="changes")
    user: Mapped[User | None] = relationship()
