"""Races of programmes on SQLite and PostgreSQL: one invitation link, two firms joining at once."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy import select

from readiness.models import Participation
from readiness.models import User
from readiness.services import accounts
from readiness.services import cohort
from readiness.services import programmes
from tests.factories import make_org
from tests.factories import make_user
from tests.programme_data import QUESTIONNAIRE
from tests.programme_data import join_firm
from tests.programme_data import make_programme
from tests.programme_data import store_result
from tests.services.test_races import run_together

TRIALS = 10


def test_one_link_lets_exactly_one_firm_join(app, db_session):
    programme = make_programme(db_session)
    operator = db_session.get(User, programme.created_by_id)
    for _trial in range(TRIALS):
        _p, token = programmes.invite_firm(db_session, operator, programme)
        firms = []
        for _ in range(2):
            owner = make_user(db_session)
            firms.append((owner.id, make_org(db_session, owner=owner).id))

        def joining(owner_id: int, org_id: int, token: str = token):
            def prepare(session):
                owner = session.get(User, owner_id)
                return lambda: programmes.join(session, owner, token, org_id, "results")

            return prepare

        outcomes = run_together(app, *(joining(o, f) for o, f in firms))
        joined = [r for r in outcomes if isinstance(r, Participation)]
        refused = [r for r in outcomes if isinstance(r, accounts.InvalidToken)]
        assert (len(joined), len(refused)) == (1, 1), outcomes
    total = db_session.scalar(
        select(func.count())
        .select_from(Participation)
        .where(Participation.organisation_id.is_not(None))
    )
    assert total == TRIALS


def test_firms_changing_consent_at_once_keep_the_cohort_counts_exact(app, db_session):
    programme = make_programme(db_session)
    firms = []
    for score in (30.0, 50.0, 70.0, 90.0):
        firm, participation = join_firm(db_session, programme)
        store_result(db_session, firm, score, {"technology": score})
        firms.append((firm.id, firm.memberships[0].user.id, participation.id))
    assert cohort.cohort(db_session, programme, QUESTIONNAIRE).firms == 4  # counts built

    def changing(firm_id: int, owner_id: int, participation_id: int, consent: str | None):
        def prepare(session):
            owner = session.get(User, owner_id)
            return lambda: programmes.set_consent(
                session, owner, firm_id, participation_id, consent
            )

        return prepare

    for trial in range(6):  # withdraw, give consent again … ending with consent
        consent = "results" if trial % 2 else None
        outcomes = run_together(app, *(changing(*firm, consent) for firm in firms))
        assert all(isinstance(r, Participation) for r in outcomes), outcomes
    db_session.expire_all()
    kept = cohort.cohort(db_session, programme, QUESTIONNAIRE)
    assert kept == cohort.compute(db_session, programme, QUESTIONNAIRE)
    assert kept.overall == {30.0: 1, 50.0: 1, 70.0: 1, 90.0: 1}
