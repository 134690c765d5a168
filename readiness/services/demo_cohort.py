"""A synthetic cohort for demos and benchmarks: firms, a programme, rounds of scored assessments.

Answers are drawn by readiness.domain.synthetic and scored by the real scoring, so the summary
columns hold what a real submit would write. Scoring costs milliseconds per assessment, so at
most `distinct` answer sets are scored (a pool ordered by maturity) and each firm's round takes
a pool entry near its maturity; rows go in with bulk inserts. Demo assessments carry no stored
answers or result documents (only summaries): they are for cohort views and benchmarks.
"""

from __future__ import annotations

import bisect
import hashlib
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy.orm import Session

from readiness.domain import synthetic
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.scoring import score
from readiness.models import Assessment
from readiness.models import AssessmentScore
from readiness.models import Membership
from readiness.models import Organisation
from readiness.models import Participation
from readiness.models import Programme
from readiness.models import User
from readiness.services import cohort_pool
from readiness.services.peer_pool import refresh_peers

BATCH = 5000
ROUND_DAYS = 180


@dataclass(frozen=True)
class Scored:
    """One pool entry: the maturity it was drawn at and its real scores."""

    maturity: float
    overall: tuple[float | None, int | None]
    parts: tuple[tuple[str, str, float | None, int | None], ...]


@dataclass(frozen=True)
class DemoCohort:
    """What was created: the operator organisation and programme, firms and assessments."""

    operator_id: int
    programme_id: int
    firms: int
    assessments: int


def scored_pool(q: Questionnaire, size: int, rng: random.Random) -> list[Scored]:
    """`size` answer sets over the range of maturity, scored by the real scoring, sorted."""
    pool = []
    for i in range(size):
        maturity = 5 * (i + rng.random()) / size
        card = score(q, synthetic.answers(rng, q, maturity))
        parts = tuple(
            (kind, key, r.score, r.level)
            for kind, results in (
                ("pillar", card.pillars),
                ("challenge_area", card.challenge_areas),
            )
            for key, r in results.items()
        )
        pool.append(Scored(maturity, (card.overall.score, card.overall.level), parts))
    return pool


def _next_id(session: Session, model: Any) -> int:
    return (session.scalar(select(func.max(model.id))) or 0) + 1


def _insert(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        session.execute(insert(model), rows[start : start + BATCH])


def _fix_sequences(session: Session) -> None:
    """PostgreSQL: move the ID sequences past the explicitly numbered rows."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in ("organisations", "assessments", "programme_participations"):
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        )


def create_demo_cohort(
    session: Session,
    q: Questionnaire,
    firms: int,
    rounds: int,
    owner: User | None = None,
    seed: int = 14,
    distinct: int = 2000,
    progress: Callable[[str], None] | None = None,
) -> DemoCohort:
    """An operator, a programme and `firms` consenting firms with `rounds` assessments each."""
    rng = random.Random(seed)
    say = progress or (lambda _message: None)
    regions = tuple(o.id for f in q.profile if f.id == "region" for o in f.options)
    pool = scored_pool(q, max(1, min(distinct, firms * rounds)), rng)
    say(f"scored {len(pool)} distinct answer sets")
    keys = [p.maturity for p in pool]
    now = datetime.now(UTC)
    start = (now - timedelta(days=ROUND_DAYS * rounds + 30)).date()
    operator = Organisation(name=f"Demo operator {seed}", profile={})
    session.add(operator)
    session.flush()
    if owner is not None:
        session.add(Membership(organisation_id=operator.id, user_id=owner.id, role="owner"))
    programme = Programme(
        organisation_id=operator.id,
        name=f"Demo programme ({firms} firms, {rounds} rounds)",
        questionnaire_ids=[q.id],
        starts_on=start,
        sector_focus="",
        repeat_after_days=ROUND_DAYS,
    )
    session.add(programme)
    session.flush()
    org_id, assessment_id = _next_id(session, Organisation), _next_id(session, Assessment)
    participation_id = _next_id(session, Participation)
    orgs, participations, assessments, scores = [], [], [], []
    for n in range(firms):
        firm = synthetic.make_firm(rng, regions)
        orgs.append(
            {
                "id": org_id,
                "name": f"Demo firm {n + 1:06d}",
                "profile": firm.profile,
                "created_at": now,
            }
        )
        consent = rng.choices(("results", "answers", None), (0.6, 0.35, 0.05))[0]
        participations.append(
            {
                "id": participation_id,
                "programme_id": programme.id,
                "organisation_id": org_id,
                "token_hash": hashlib.sha256(secrets.token_bytes(16)).hexdigest(),
                "joined_at": now,
                "consent": consent,
                "consented_at": now,
                "withdrawn_at": None if consent else now,
                "details": {},
                "created_at": now,
            }
        )
        maturity = firm.maturity
        for r in range(rounds):
            pick = pool[min(len(pool) - 1, bisect.bisect_left(keys, maturity))]
            when = datetime.combine(
                start + timedelta(days=ROUND_DAYS * r + rng.randint(1, 60)),
                datetime.min.time(),
                UTC,
            )
            assessments.append(
                {
                    "id": assessment_id,
                    "organisation_id": org_id,
                    "questionnaire_id": q.id,
                    "questionnaire_version": q.version,
                    "title": f"T{r}",
                    "status": "submitted",
                    "profile": firm.profile,
                    "revision": 2,
                    "created_at": when,
                    "updated_at": when,
                    "submitted_at": when,
                    "overall_score": pick.overall[0],
                    "overall_level": pick.overall[1],
                    "sector": firm.profile["sector"],
                    "industry": firm.profile["industry"],
                    "size_band": firm.profile["headcount"],
                    "region": firm.profile.get("region"),
                    "is_latest": r == rounds - 1,
                }
            )
            scores += [
                {"assessment_id": assessment_id, "kind": k, "key": key, "score": s, "level": lv}
                for k, key, s, lv in pick.parts
            ]
            assessment_id += 1
            maturity = synthetic.grow(rng, maturity)
        org_id += 1
        participation_id += 1
    for model, rows in (
        (Organisation, orgs),
        (Participation, participations),
        (Assessment, assessments),
        (AssessmentScore, scores),
    ):
        _insert(session, model, rows)
        say(f"inserted {len(rows)} {model.__tablename__}")
    _fix_sequences(session)
    refresh_peers(session)  # the whole benchmark pool, in two INSERT … SELECT statements
    session.commit()
    cohort_pool.ensure_built(session, programme, q.id)  # the cohort's counts (commits)
    say("built the cohort counts")
    return DemoCohort(operator.id, programme.id, firms, len(assessments))
