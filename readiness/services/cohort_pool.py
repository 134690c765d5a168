"""A programme's cohort counts, kept up to date from each consenting firm's share.

The cohort page draws from counts (firms per rounded score, per level, per profile group, per
round). Recounting them over a large cohort takes seconds, so they are kept on the programme
(`programmes.cohort_cache`, per questionnaire) and changed in the transaction of every change
that can move them: `refresh` takes a firm's old share (kept in `cohort_members`) away and adds
its new one. A new programme starts with empty counts; those of a programme made before they
were kept are built once from all shares (`ensure_built`), the first time the cohort page
asks. `readiness.services.cohort.compute` recounts them the straightforward way; the tests
check both agree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC
from datetime import datetime
from datetime import time
from typing import Any

from sqlalchemy import Select
from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm import aliased

from readiness.models import Assessment
from readiness.models import AssessmentScore
from readiness.models import CohortMember
from readiness.models import Participation
from readiness.models import Programme
from readiness.services.locking import lock_row
from readiness.services.official import official

DIMENSIONS = ("sector", "industry", "size_band", "region")
ROUNDS = 3  # T0, T1, T2
Share = dict[str, Any]
MICRO = 1_000_000  # round sums are kept in millionths of a point: adding and taking away is exact


def consenting(programme: Programme) -> Select[Any]:
    """The IDs of the organisations that share their results with the programme now."""
    return select(Participation.organisation_id).where(
        Participation.programme_id == programme.id,
        Participation.consent.is_not(None),
        Participation.organisation_id.is_not(None),
    )


def since(programme: Programme) -> datetime:
    """The start of the programme as a UTC timestamp: assessments count from then on."""
    return datetime.combine(programme.starts_on, time.min, tzinfo=UTC)


def empty() -> dict[str, Any]:
    """The counts of a cohort without firms."""
    return {
        "firms": 0,
        "overall": {},
        "overall_levels": {},
        "parts": {},
        "part_levels": {},
        "breakdowns": {d: {} for d in DIMENSIONS},
        "rounds": {},
    }


def started(questionnaire_ids: Iterable[str]) -> dict[str, Any]:
    """The kept counts of a new programme (no firm yet): built, so changes keep them."""
    return {questionnaire_id: {"counts": empty()} for questionnaire_id in questionnaire_ids}


def _add(counts: dict[str, Any], key: Any, sign: int) -> None:
    key = str(key)
    n = counts.get(key, 0) + sign
    if n:
        counts[key] = n
    else:
        counts.pop(key, None)


def _add_nested(counts: dict[str, Any], group: str, key: Any, sign: int) -> None:
    inner = counts.setdefault(group, {})
    _add(inner, key, sign)
    if not inner:
        del counts[group]


def apply(data: dict[str, Any], share: Share | None, sign: int) -> None:
    """Add (sign=1) or take away (sign=-1) one firm's share to or from the counts."""
    if not share:
        return
    data["firms"] += sign
    score, level = share["overall"], share["level"]
    if score is not None:
        _add(data["overall"], score, sign)
        for dim, key in zip(DIMENSIONS, share["dims"], strict=True):
            _add_nested(data["breakdowns"][dim], key or "", score, sign)
    if level is not None:
        _add(data["overall_levels"], level, sign)
    for kind, key, part_score, part_level in share["parts"]:
        if part_score is not None:
            _add_nested(data["parts"], f"{kind}|{key}", part_score, sign)
        if part_level is not None:
            _add_nested(data["part_levels"], f"{kind}|{key}", part_level, sign)
    for number, round_score in enumerate(share["rounds"], start=1):
        entry = data["rounds"].setdefault(str(number), [0, 0, 0])
        entry[0] += sign
        if round_score is not None:
            entry[1] += sign
            entry[2] += sign * round(round_score * MICRO)
        if entry[0] == 0:
            del data["rounds"][str(number)]


def _share(latest: Any, parts: Iterable[Any], round_scores: list[float | None]) -> Share:
    return {
        "overall": float(latest.score) if latest.score is not None else None,
        "level": latest.overall_level,
        "dims": [getattr(latest, d) for d in DIMENSIONS],
        "parts": sorted(
            [kind, key, float(score) if score is not None else None, level]
            for kind, key, score, level in parts
        ),
        "rounds": round_scores[:ROUNDS] if len(round_scores) >= 2 else [],
    }


def _latest_query(programme: Programme, questionnaire_id: str) -> Any:
    return select(
        Assessment.id,
        Assessment.organisation_id,
        *(getattr(Assessment, d) for d in DIMENSIONS),
        func.round(Assessment.overall_score).label("score"),
        Assessment.overall_level,
    ).where(
        Assessment.is_latest.is_(True),
        Assessment.questionnaire_id == questionnaire_id,
        Assessment.submitted_at >= since(programme),
    )


def _parts_query(assessment_ids: Any) -> Any:
    scores = aliased(AssessmentScore)
    return select(
        scores.assessment_id, scores.kind, scores.key, func.round(scores.score), scores.level
    ).where(scores.assessment_id.in_(assessment_ids))


def _rounds_query(programme: Programme, questionnaire_id: str) -> Any:
    return (
        select(Assessment.organisation_id, Assessment.overall_score)
        .where(
            Assessment.status == "submitted",
            official(),
            Assessment.questionnaire_id == questionnaire_id,
            Assessment.submitted_at >= since(programme),
        )
        .order_by(Assessment.organisation_id, Assessment.submitted_at, Assessment.id)
    )


def firm_share(
    session: Session, programme: Programme, organisation_id: int, questionnaire_id: str
) -> Share | None:
    """What the firm adds to the programme's counts now (None: nothing, e.g. it withdrew)."""
    shares = session.scalar(
        select(Participation.id).where(
            Participation.programme_id == programme.id,
            Participation.organisation_id == organisation_id,
            Participation.consent.is_not(None),
        )
    )
    if shares is None:
        return None
    query = _latest_query(programme, questionnaire_id)
    latest = session.execute(query.where(Assessment.organisation_id == organisation_id)).first()
    if latest is None:
        return None
    parts = [row[1:] for row in session.execute(_parts_query([latest.id]))]
    round_scores = list(
        session.scalars(
            _rounds_query(programme, questionnaire_id)
            .with_only_columns(Assessment.overall_score)
            .where(Assessment.organisation_id == organisation_id)
            .limit(ROUNDS)
        )
    )
    return _share(latest, parts, round_scores)


def all_shares(session: Session, programme: Programme, questionnaire_id: str) -> dict[int, Share]:
    """Every consenting firm's share, read in three queries (building the counts)."""
    query = _latest_query(programme, questionnaire_id).where(
        Assessment.organisation_id.in_(consenting(programme))
    )
    latest = {row.organisation_id: row for row in session.execute(query)}
    ids = select(query.subquery().c.id)
    parts: dict[int, list[Any]] = defaultdict(list)
    for assessment_id, *part in session.execute(_parts_query(ids)):
        parts[assessment_id].append(part)
    rounds: dict[int, list[float | None]] = defaultdict(list)
    for organisation_id, score in session.execute(
        _rounds_query(programme, questionnaire_id).where(
            Assessment.organisation_id.in_(consenting(programme))
        )
    ):
        rounds[organisation_id].append(score)
    return {org: _share(row, parts[row.id], rounds[org]) for org, row in latest.items()}


def _cache(session: Session, programme_id: int) -> dict[str, Any]:
    return dict(
        session.scalar(select(Programme.cohort_cache).where(Programme.id == programme_id)) or {}
    )


def _store(session: Session, programme_id: int, cache: dict[str, Any]) -> None:
    session.execute(
        update(Programme)
        .where(Programme.id == programme_id)
        .values(cohort_cache=cache)
        .execution_options(synchronize_session=False)
    )


def built(cache: dict[str, Any], questionnaire_id: str) -> dict[str, Any] | None:
    """The kept counts of the questionnaire, if they have been built."""
    entry = cache.get(questionnaire_id)
    return entry.get("counts") if isinstance(entry, dict) else None


def ensure_built(session: Session, programme: Programme, questionnaire_id: str) -> dict[str, Any]:
    """The questionnaire's kept counts, built from every share first if need be (commits then)."""
    counts = built(_cache(session, programme.id), questionnaire_id)
    if counts is not None:
        return counts
    lock_row(session, Programme, programme.id)
    cache = _cache(session, programme.id)
    counts = built(cache, questionnaire_id)
    if counts is None:
        shares = all_shares(session, programme, questionnaire_id)
        counts = empty()
        for share in shares.values():
            apply(counts, share, 1)
        session.execute(
            delete(CohortMember).where(
                CohortMember.programme_id == programme.id,
                CohortMember.questionnaire_id == questionnaire_id,
            )
        )
        rows = [
            {
                "programme_id": programme.id,
                "organisation_id": org,
                "questionnaire_id": questionnaire_id,
                "share": share,
            }
            for org, share in shares.items()
        ]
        for start in range(0, len(rows), 5000):
            session.execute(insert(CohortMember), rows[start : start + 5000])
        cache[questionnaire_id] = {"counts": counts}
        _store(session, programme.id, cache)
    session.commit()
    return counts


def refresh(session: Session, organisation_id: int) -> None:
    """Bring the firm's shares in every programme it is (or was) in up to date (caller commits).

    Bumps those programmes' revisions first: the UPDATE locks their rows until the commit, so
    one programme's counts are changed by one transaction at a time.
    """
    programme_ids = (
        select(Participation.programme_id)
        .where(Participation.organisation_id == organisation_id)
        .union(
            select(CohortMember.programme_id).where(CohortMember.organisation_id == organisation_id)
        )
    )
    chosen = sorted(session.scalars(programme_ids))
    if not chosen:
        return
    for programme_id in chosen:  # one at a time, in ID order: no deadlock between two firms
        session.execute(
            update(Programme)
            .where(Programme.id == programme_id)
            .values(revision=Programme.revision + 1)
            .execution_options(synchronize_session=False)
        )
    for programme in session.scalars(select(Programme).where(Programme.id.in_(chosen))):
        cache = _cache(session, programme.id)
        changed = False
        for questionnaire_id in list(cache):
            counts = built(cache, questionnaire_id)
            if counts is None:
                continue
            old = session.scalar(
                select(CohortMember.share).where(
                    CohortMember.programme_id == programme.id,
                    CohortMember.organisation_id == organisation_id,
                    CohortMember.questionnaire_id == questionnaire_id,
                )
            )
            new = firm_share(session, programme, organisation_id, questionnaire_id)
            if old == new:
                continue
            apply(counts, old, -1)
            apply(counts, new, 1)
            mine = (
                CohortMember.programme_id == programme.id,
                CohortMember.organisation_id == organisation_id,
                CohortMember.questionnaire_id == questionnaire_id,
            )
            if new is None:
                session.execute(delete(CohortMember).where(*mine))
            elif old is None:
                session.add(
                    CohortMember(
                        programme_id=programme.id,
                        organisation_id=organisation_id,
                        questionnaire_id=questionnaire_id,
                        share=new,
                    )
                )
            else:
                session.execute(update(CohortMember).where(*mine).values(share=new))
            changed = True
        if changed:
            session.flush()
            _store(session, programme.id, cache)
