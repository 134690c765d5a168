"""Test data for programmes: an operator with a programme, and firms with stored results.

Results are written straight into the summary columns (what every aggregate reads), so that a
test states each firm's scores; tests/services/test_programmes.py also checks that a real
submit fills the same columns.
"""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from readiness.models import Assessment
from readiness.models import AssessmentScore
from readiness.models import Organisation
from readiness.models import User
from readiness.services import programmes
from readiness.services.summaries import mark_latest
from tests.factories import make_org
from tests.factories import make_user

QUESTIONNAIRE = "smart-manufacturing-readiness"


def make_programme(session: Session, operator: User | None = None) -> Any:
    """A programme of a new operator organisation (owned by `operator`, a new user if None)."""
    operator = operator or make_user(session)
    org = make_org(session, owner=operator, name="Park operator")
    return programmes.create_programme(
        session, operator, org.id, "Pilot park", [QUESTIONNAIRE], date(2020, 1, 1)
    )


def store_result(
    session: Session,
    org: Organisation,
    overall: float,
    pillars: dict[str, float | None] | None = None,
    profile: dict[str, str] | None = None,
    when: datetime | None = None,
    version: int = 2,
    kind: str = "self",
) -> Assessment:
    """A submitted assessment of `org` with these scores (levels by 20-point bands).

    kind="on_site": an on-site evaluation the firm has not confirmed yet.
    """
    profile = profile or {"sector": "discrete", "industry": "machinery", "headcount": "20_99"}
    assessment = Assessment(
        organisation_id=org.id,
        questionnaire_id=QUESTIONNAIRE,
        questionnaire_version=version,
        title="Stored",
        status="submitted",
        profile=profile,
        submitted_at=when or datetime.now(UTC),
        overall_score=overall,
        overall_level=int(overall // 20),
        sector=profile.get("sector"),
        industry=profile.get("industry"),
        size_band=profile.get("headcount"),
        region=profile.get("region"),
        kind=kind,
    )
    session.add(assessment)
    session.flush()
    for key, score in (pillars or {}).items():
        session.add(
            AssessmentScore(
                assessment_id=assessment.id,
                kind="pillar",
                key=key,
                score=score,
                level=int(score // 20) if score is not None else None,
            )
        )
    mark_latest(session, org.id, QUESTIONNAIRE)
    session.commit()
    return assessment


def join_firm(
    session: Session, programme: Any, consent: str = "results", owner: User | None = None
) -> tuple[Organisation, Any]:
    """A new firm that was invited to the programme and joined it with `consent`."""
    operator = session.get(User, programme.created_by_id)
    owner = owner or make_user(session)
    firm = make_org(session, owner=owner)
    _invitation, token = programmes.invite_firm(session, operator, programme)
    participation = programmes.join(session, owner, token, firm.id, consent)
    return firm, participation
