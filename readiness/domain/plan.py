"""The action plan's rules: statuses, effort and cost bands, overdue, due soon, progress.

Pure Python: the plan page, the reports, the reminders and the comparison all apply the same rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from enum import StrEnum
from urllib.parse import urlsplit


class ActionStatus(StrEnum):
    """Where an action of the plan stands."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"

    @property
    def is_open(self) -> bool:
        """Planned or in progress: still work to do (and so it can be overdue)."""
        return self in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


class Effort(StrEnum):
    """How much work an action takes, roughly."""

    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


class CostBand(StrEnum):
    """What an action costs, roughly (bands, not budgets)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


MAX_LINKS = 20
_URL_LENGTH = 2000
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class PlanRuleError(ValueError):
    """An action breaks a rule of the plan (the message says which, in English)."""


def check_action(status: str, dropped_reason: str, start: date | None, due: date | None) -> None:
    """Raise PlanRuleError on a broken rule: dropping needs a reason; start <= due."""
    if ActionStatus(status) is ActionStatus.DROPPED and not dropped_reason.strip():
        raise PlanRuleError("a dropped action needs a reason")
    if start is not None and due is not None and start > due:
        raise PlanRuleError("the start date is after the due date")


def evidence_link_problem(url: str) -> str | None:
    """Why `url` is not an acceptable evidence link (an http(s) URL with a host), or None."""
    if len(url) > _URL_LENGTH:
        return "too long"
    if _CONTROL.search(url) or " " in url:
        return "contains spaces or control characters"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "not an http:// or https:// address"
    return None


def is_overdue(due: date | None, status: str, today: date) -> bool:
    """Whether an open action is past its due date."""
    return due is not None and ActionStatus(status).is_open and due < today


def needs_reminder(due: date | None, status: str, today: date, days: int) -> bool:
    """Whether an open action is overdue or due within `days` days from `today`."""
    return due is not None and ActionStatus(status).is_open and due <= today + timedelta(days=days)


@dataclass(frozen=True)
class MeasureProgress:
    """How far the plan's actions for one measure have come."""

    measure: str | None  # None: actions not linked to a measure
    total: int
    done: int
    in_progress: int
    dropped: int

    @property
    def percent(self) -> int:
        """Done as a share of the actions not dropped, in whole percent (0 when none are left)."""
        counted = self.total - self.dropped
        return 0 if counted <= 0 else round(100 * self.done / counted)


def progress_by_measure(items: Iterable[tuple[str | None, str]]) -> list[MeasureProgress]:
    """Progress per measure from (measure, status) pairs, measures in ID order, unlinked last."""
    counts: dict[str | None, list[int]] = {}
    for measure, status in items:
        row = counts.setdefault(measure, [0, 0, 0, 0])
        row[0] += 1
        kind = ActionStatus(status)
        if kind is ActionStatus.DONE:
            row[1] += 1
        elif kind is ActionStatus.IN_PROGRESS:
            row[2] += 1
        elif kind is ActionStatus.DROPPED:
            row[3] += 1
    order = sorted(counts, key=lambda m: (m is None, _measure_key(m or "")))
    return [MeasureProgress(m, *counts[m]) for m in order]


def _measure_key(measure_id: str) -> tuple:
    """Sort "6.10" after "6.9": numeric parts as numbers."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"[.]", measure_id))
