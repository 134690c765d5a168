"""What the plan page shows: the list, the board by status, progress per measure, the timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from readiness.domain.plan import ActionStatus
from readiness.domain.plan import MeasureProgress
from readiness.domain.plan import progress_by_measure
from readiness.domain.plan_timeline import Bar
from readiness.domain.plan_timeline import timeline_svg
from readiness.services.plan_export import PlanRow
from readiness.services.plan_export import plan_rows
from readiness.services.plans import PlanFilter
from readiness.services.plans import list_actions
from readiness.services.plans import owners_in_use


@dataclass(frozen=True)
class PlanPage:
    """The plan page's content, texts in one language."""

    rows: tuple[PlanRow, ...]
    board: tuple[tuple[str, tuple[PlanRow, ...]], ...]  # (status, rows) in workflow order
    progress: tuple[MeasureProgress, ...]
    timeline: str
    owners: tuple[tuple[str, str], ...]
    measures: tuple[str, ...]
    pillars: tuple[str, ...]
    total: int  # actions in the plan before filtering
    overdue: int


def plan_page(
    session: Session, organisation_id: int, plan_filter: PlanFilter, lang: str, today: date
) -> PlanPage:
    """Build the plan page for the filter; the filter choices come from the whole plan."""
    everything = list_actions(session, organisation_id, today=today)
    chosen = list_actions(session, organisation_id, plan_filter, today=today)
    rows = plan_rows(chosen, lang, today)
    board = tuple(
        (status.value, tuple(r for r in rows if r.status == status.value))
        for status in ActionStatus
    )
    bars = [
        Bar(r.title, r.start, r.due, r.status, r.overdue)
        for r in rows
        if r.status != ActionStatus.DROPPED
    ]
    return PlanPage(
        rows=tuple(rows),
        board=board,
        progress=tuple(progress_by_measure((a.measure_id, a.status) for a in chosen)),
        timeline=timeline_svg(bars, today, _("Timeline of the plan's actions"), _("today")),
        owners=tuple(owners_in_use(everything)),
        measures=tuple(sorted({a.measure_id for a in everything if a.measure_id})),
        pillars=tuple(sorted({a.pillar for a in everything if a.pillar})),
        total=len(everything),
        overdue=sum(1 for r in plan_rows(everything, lang, today) if r.overdue),
    )
