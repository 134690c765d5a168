"""Assessment summaries: the scores and levels written at submit, and the pages that read them.

Lists, the dashboard, history and comparison choices read these columns (overall score and
level on the assessment, one AssessmentScore row per pillar and challenge area) so that their
cost does not depend on the size of the stored result documents.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace
from datetime import UTC
from datetime import datetime
from typing import Any
from typing import NamedTuple

from sqlalchemy import Row
from sqlalchemy import bindparam
from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session

from readiness.domain.aggregation.outcomes import TreeResult
from readiness.domain.scoring import Scorecard
from readiness.models import Assessment
from readiness.models import AssessmentScore
from readiness.models import Organisation
from readiness.services import cohort_pool
from readiness.services.locking import lock_row
from readiness.services.official import official
from readiness.services.peer_pool import refresh_peers

PER_PAGE = 25  # rows of a paginated list
MAX_ID = 2**31 - 1  # the largest integer key PostgreSQL's INTEGER holds
TREND_POINTS = 24  # submitted assessments the history chart shows (the latest ones)
# Summary column -> company-profile field: the keys cohorts and peer groups are broken down by.
PROFILE_KEYS = {
    "sector": "sector",
    "industry": "industry",
    "size_band": "headcount",
    "region": "region",
}


def write_summary(session: Session, assessment: Assessment, scorecard: Scorecard) -> None:
    """Set the assessment's summary columns and rows from its scorecard (caller commits)."""
    clear_summary(session, assessment)
    assessment.overall_score = scorecard.overall.score
    assessment.overall_level = scorecard.overall.level
    profile = assessment.profile or {}
    for column, key in PROFILE_KEYS.items():
        value = profile.get(key)
        setattr(assessment, column, str(value)[:40] if value not in (None, "") else None)
    for kind, results in (
        ("pillar", scorecard.pillars),
        ("challenge_area", scorecard.challenge_areas),
    ):
        for key, result in results.items():
            session.add(
                AssessmentScore(
                    assessment_id=assessment.id,
                    kind=kind,
                    key=key,
                    score=result.score,
                    level=result.level,
                )
            )


def write_tree_summary(
    session: Session, assessment: Assessment, result: TreeResult, sections: Sequence[str]
) -> None:
    """The summary of a format-2 assessment: the root's value and level, one row per section
    (as kind "pillar"), each on its native scale (caller commits)."""
    clear_summary(session, assessment)
    assessment.overall_score = result.overall.value
    assessment.overall_level = result.overall.level
    for key in sections:
        outcome = result.nodes.get(key)
        if outcome is None:
            continue
        session.add(
            AssessmentScore(
                assessment_id=assessment.id,
                kind="pillar",
                key=key,
                score=outcome.value,
                level=outcome.level,
            )
        )


def clear_summary(session: Session, assessment: Assessment) -> None:
    """Drop the summary of a reopened (or re-submitted) assessment."""
    assessment.overall_score = None
    assessment.overall_level = None
    for column in PROFILE_KEYS:
        setattr(assessment, column, None)
    session.execute(delete(AssessmentScore).where(AssessmentScore.assessment_id == assessment.id))


def mark_latest(session: Session, organisation_id: int, questionnaire_id: str) -> None:
    """Flag the organisation's latest official result of the questionnaire (caller commits).

    Official: submitted, and not an on-site evaluation the firm has yet to confirm
    (readiness.services.official); `is_latest` is what every cohort and benchmark aggregate
    reads, so the rule applies to all of them. The organisation's row is locked first, so two
    submits at once cannot both stay flagged.
    """
    lock_row(session, Organisation, organisation_id)
    mine = (Assessment.organisation_id == organisation_id) & (
        Assessment.questionnaire_id == questionnaire_id
    )
    latest = session.scalar(
        select(Assessment.id)
        .where(mine, Assessment.status == "submitted", official())
        .order_by(Assessment.submitted_at.desc(), Assessment.id.desc())
        .limit(1)
    )
    session.execute(
        update(Assessment)
        .where(mine, Assessment.is_latest.is_(True), Assessment.id != (latest or 0))
        .values(is_latest=False, updated_at=Assessment.updated_at)
        .execution_options(synchronize_session=False)
    )
    if latest is not None:
        session.execute(
            update(Assessment)
            .where(Assessment.id == latest)
            .values(is_latest=True, updated_at=Assessment.updated_at)
            .execution_options(synchronize_session=False)
        )
    touch_programmes(session, organisation_id)
    refresh_peers(session, [organisation_id])
    session.expire_all()


def touch_programmes(session: Session, organisation_id: int) -> None:
    """The firm's results changed: bring its share of every programme's cohort up to date."""
    cohort_pool.refresh(session, organisation_id)


class Paged:
    """The neighbours of a page of a list, for its pager (`number` from 1, of `pages`)."""

    number: int
    pages: int

    @property
    def previous(self) -> int | None:
        """The previous page's number, if any."""
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        """The next page's number, if any."""
        return self.number + 1 if self.number < self.pages else None


@dataclass(frozen=True)
class Page(Paged):
    """One page of a list: its items, the page number (from 1) and how many pages there are."""

    items: list[Any]  # Assessment, or ListRow for the assessment list
    number: int
    pages: int
    total: int


def _count(session: Session, organisation_id: int) -> int:
    return session.execute(_COUNT, {"organisation_id": organisation_id}).scalar() or 0


# The columns of ListRow, most recently changed first, from the covering index; built once.
LIST_ROWS = (
    select(
        Assessment.id,
        Assessment.title,
        Assessment.questionnaire_id,
        Assessment.questionnaire_version,
        Assessment.status,
        Assessment.updated_at,
        Assessment.kind,
        Assessment.confirmed_at,
    )
    .where(Assessment.organisation_id == bindparam("organisation_id"))
    .order_by(Assessment.updated_at.desc(), Assessment.id.desc())
    .limit(bindparam("limit"))
    .offset(bindparam("offset"))
)


@dataclass(frozen=True)
class ListRow:
    """One row of the assessment list: only what the list shows, read from its covering index."""

    id: int
    title: str
    questionnaire_id: str
    questionnaire_version: int
    status: str
    updated_at: datetime | None
    kind: str
    confirmed_at: datetime | None


def assessment_page(
    session: Session, organisation_id: int, number: int = 1, per_page: int = PER_PAGE
) -> Page:
    """A page of the organisation's assessments (as ListRow), most recently changed first.

    Its rows are read from the (organisation, updated, id, …) covering index, never from the
    table, whose rows carry the large result documents.
    """
    total = _count(session, organisation_id)
    pages = max(1, math.ceil(total / per_page))
    number = min(max(1, number), pages)
    params = {"organisation_id": organisation_id, "limit": per_page}
    rows = session.execute(LIST_ROWS, {**params, "offset": (number - 1) * per_page})
    return Page([ListRow(*row) for row in rows], number, pages, total)


def recent_rows(session: Session, organisation_id: int, limit: int = 5) -> list[ListRow]:
    """The organisation's most recently changed assessments (the dashboard's list)."""
    params = {"organisation_id": organisation_id, "limit": limit, "offset": 0}
    return [ListRow(*row) for row in session.execute(LIST_ROWS, params)]


# The history's and the comparison's reads are built once (the table's columns, not the
# ORM's attributes): building a select() per request costs more than running it. Their rows
# (SQLAlchemy Rows: named, hashable tuples) are what the pages show and are kept under.
_A = Assessment.__table__.c
_ORG = bindparam("organisation_id")
_COUNT = select(func.count(_A.id)).where(_A.organisation_id == _ORG)
_HISTORY = select(
    _A.id,
    _A.organisation_id,
    _A.title,
    _A.status,
    _A.questionnaire_id,
    _A.questionnaire_version,
    _A.submitted_at,
    _A.created_at,
    _A.overall_level,
    _A.kind,
    _A.confirmed_at,
).where(_A.organisation_id == _ORG)
_HISTORY_DRAFTS = _HISTORY.where(_A.status == "draft")
_SUBMITTED = _HISTORY.where(_A.status == "submitted")
_LIMIT, _OFFSET = bindparam("limit"), bindparam("offset")
_HISTORY_SUBMITTED = _SUBMITTED.order_by(_A.submitted_at, _A.id).limit(_LIMIT).offset(_OFFSET)
# The same rows counted from the latest: a page near the end (the default, the last one) skips
# few entries instead of walking the index past all the earlier ones (an OFFSET is a walk).
_HISTORY_SUBMITTED_BACK = (
    _SUBMITTED.order_by(_A.submitted_at.desc(), _A.id.desc()).limit(_LIMIT).offset(_OFFSET)
)
_CHOSEN_MAX = 12  # up to this many IDs, a statement per count (an expanding IN is re-rendered)
_CHOSEN = [
    _HISTORY.where(_A.id.in_([bindparam(f"id{i}") for i in range(n)]))
    for n in range(1, _CHOSEN_MAX + 1)
]
_CHOSEN_MANY = _HISTORY.where(_A.id.in_(bindparam("ids", expanding=True)))
_OFFICIAL = (_A.organisation_id == _ORG, _A.status == "submitted", official(_A))
_NEWEST = (_A.submitted_at.desc(), _A.id.desc())
# The open repeat of the latest official submission (read once per statement: uncorrelated).
_d, _latest = Assessment.__table__.alias("d"), Assessment.__table__.alias("latest")
_OPEN_REPEAT = select(_d).where(
    _d.c.organisation_id == _ORG,
    _d.c.status == "draft",
    _d.c.previous_assessment_id
    == select(_latest.c.id)
    .where(
        _latest.c.organisation_id == _ORG,
        _latest.c.status == "submitted",
        official(_latest.c),
    )
    .order_by(_latest.c.submitted_at.desc(), _latest.c.id.desc())
    .limit(1)
    .scalar_subquery(),
)
_TREND = (
    select(
        _A.id,
        _A.questionnaire_id,
        _A.questionnaire_version,
        _A.submitted_at,
        _A.overall_score,
        _COUNT.scalar_subquery().label("total"),  # all the organisation's: the history's pages
        *(
            _OPEN_REPEAT.with_only_columns(column)
            .order_by(_d.c.id.desc())
            .limit(1)
            .scalar_subquery()
            .label(f"repeat_{column.name}")
            for column in (_d.c.id, _d.c.title)
        ),
    )
    .where(*_OFFICIAL)
    .order_by(*_NEWEST)
    .limit(bindparam("limit"))
)


class OpenRepeat(NamedTuple):
    """The draft repeating the organisation's latest official submission."""

    id: int
    title: str


def _dated(item: Row[Any]) -> tuple[datetime, int]:
    """The history order: the date it stands for (submission, else creation), then its ID."""
    when = item.submitted_at if item.submitted_at is not None else item.created_at
    return (when or datetime.min.replace(tzinfo=UTC), item.id)


def history_page(
    session: Session,
    organisation_id: int,
    number: int | None = None,
    per_page: int = PER_PAGE,
    total: int | None = None,
) -> Page:
    """A page of the organisation's assessments by the date they stand for.

    Its items are rows of id, organisation_id, title, status, questionnaire_id,
    questionnaire_version, submitted_at, created_at, overall_level, kind and confirmed_at.

    Oldest first; without a page number, the last page (the latest assessments). Submitted
    assessments are ranked by submission through the (organisation, status, submitted, …)
    covering index, so only the drafts (few) and a window of submitted ones around the page are
    read, never a table row: the page costs the same whatever the organisation holds.
    `total`: how many assessments the organisation holds, if the caller has read it
    (`trend_rows` does).
    """
    if total is None:
        total = _count(session, organisation_id)
    pages = max(1, math.ceil(total / per_page))
    number = pages if number is None else min(max(1, number), pages)
    first = (number - 1) * per_page
    org = {"organisation_id": organisation_id}
    rows = session.execute(_HISTORY_DRAFTS, org)
    drafts = sorted(((_dated(r), r) for r in rows), key=lambda p: p[0])
    # A submitted assessment's place is its rank among the submitted ones plus the drafts dated
    # before it; with d drafts, those landing on this page rank from first - d to first + per_page.
    skip = max(0, first - len(drafts))
    # Only drafts and submitted ones exist (a check constraint): the rest of `total` is submitted.
    submitted, limit = total - len(drafts), per_page + len(drafts)
    end = min(skip + limit, submitted)
    if submitted - end < skip:  # nearer the latest: read backwards, then turn the rows round
        params = {**org, "limit": max(0, end - skip), "offset": max(0, submitted - end)}
        rows = session.execute(_HISTORY_SUBMITTED_BACK, params).all()[::-1]
    else:
        rows = session.execute(_HISTORY_SUBMITTED, {**org, "limit": limit, "offset": skip}).all()
    window = [(_dated(r), r) for r in rows]
    draft_dates = [when for when, _draft in drafts]
    window_dates = sorted(when for when, _item in window)
    placed = []
    for rank, (when, item) in enumerate(window, start=skip):
        placed.append((rank + bisect_left(draft_dates, when), item))  # drafts dated before
    for rank, (when, draft) in enumerate(drafts):
        # Exact for a draft dated within or after the window; one dated before it is counted
        # before `first` either way (its rank is below d, the submitted before it at most skip).
        placed.append((rank + skip + bisect_left(window_dates, when), draft))
    items = [item for place, item in sorted(placed, key=lambda p: p[0]) if first <= place]
    return Page(items[:per_page], number, pages, total)


@dataclass(frozen=True)
class TrendPoint:
    """One submitted assessment on the history chart: its date, overall and pillar scores."""

    assessment_id: int
    questionnaire_id: str
    questionnaire_version: int
    when: datetime
    overall: float | None
    pillars: dict[str, float | None]


def trend_rows(session: Session, organisation_id: int, limit: int = TREND_POINTS) -> list[Row[Any]]:
    """The latest `limit` official submissions, oldest first, in one query: rows of id,
    questionnaire_id, questionnaire_version, submitted_at and overall_score (a page's key),
    `total`, how many assessments the organisation holds (drafts included), and `repeat_id`
    and `repeat_title` of the draft repeating the latest one (see `open_repeat`)."""
    return session.execute(_TREND, {"organisation_id": organisation_id, "limit": limit}).all()[::-1]


def trend(
    session: Session,
    organisation_id: int,
    limit: int = TREND_POINTS,
    pillars: bool = True,
    rows: Sequence[Row[Any]] | None = None,
) -> list[TrendPoint]:
    """The latest `limit` submitted assessments' scores, oldest first, in two small queries.

    With `pillars=False`, one query and no pillar scores (add them with `with_pillar_scores`);
    `rows`: the `trend_rows` already read (then no query but the pillar scores').
    """
    latest = trend_rows(session, organisation_id, limit) if rows is None else rows
    return with_pillar_scores(session, _points(latest)) if pillars else _points(latest)


def _points(rows: Sequence[Row[Any]]) -> list[TrendPoint]:
    return [
        TrendPoint(
            r.id, r.questionnaire_id, r.questionnaire_version, r.submitted_at, r.overall_score, {}
        )
        for r in rows
    ]


def with_pillar_scores(session: Session, points: list[TrendPoint]) -> list[TrendPoint]:
    """The trend points with their pillar scores, read in one query."""
    pillars: dict[int, dict[str, float | None]] = {p.assessment_id: {} for p in points}
    if pillars:
        for assessment_id, key, value in session.execute(
            select(AssessmentScore.assessment_id, AssessmentScore.key, AssessmentScore.score).where(
                AssessmentScore.assessment_id.in_(list(pillars)), AssessmentScore.kind == "pillar"
            )
        ):
            pillars[assessment_id][key] = value
    return [replace(p, pillars=pillars[p.assessment_id]) for p in points]


def assessments_of(
    session: Session, organisation_id: int, ids: Sequence[int]
) -> dict[int, Row[Any]]:
    """The organisation's assessments among `ids` (drafts included), by ID, in one query.

    Rows with the columns of `history_page`'s items."""
    # larger ones cannot exist (nor be bound)
    possible = list(dict.fromkeys(i for i in ids if 0 < i <= MAX_ID))
    if not possible:
        return {}
    params: dict[str, Any] = {"organisation_id": organisation_id}
    if len(possible) > _CHOSEN_MAX:
        rows = session.execute(_CHOSEN_MANY, {**params, "ids": possible})
    else:
        params.update((f"id{n}", i) for n, i in enumerate(possible))
        rows = session.execute(_CHOSEN[len(possible) - 1], params)
    return {r.id: r for r in rows}


def open_repeat(points: Sequence[Row[Any]]) -> OpenRepeat | None:
    """The open repeat of the latest official submission, as `trend_rows` read it."""
    latest = points[-1] if points else None
    if latest is None or latest.repeat_id is None:
        return None
    return OpenRepeat(latest.repeat_id, latest.repeat_title)
