"""Races of programmes on SQLite and PostgreSQL: one link, consents at once, deletion amid them."""

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
DELETE_TRIALS = 5  # three racers per trial; the old lock order deadlocked in the first ones


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


def test_deleting_a_programme_while_firms_join_and_change_consent(app, db_session):
    """Whatever commits first, no firm stays in the benchmark pool of a deleted programme and
    every firm that had joined is told it ended; no deadlock (one lock order: programme first)."""
    from readiness.services import programme_admin
    from readiness.services.peer_pool import refresh_peers

    for _trial in range(DELETE_TRIALS):
        programme = make_programme(db_session)
        operator_id, pid = programme.created_by_id, programme.id
        sharing, shared = join_firm(db_session, programme, "results")
        store_result(db_session, sharing, 50.0)
        refresh_peers(db_session, [sharing.id])  # in the pool while it shares
        db_session.commit()
        owner = make_user(db_session)
        newcomer = make_org(db_session, owner=owner)
        store_result(db_session, newcomer, 60.0)
        operator = db_session.get(User, operator_id)
        _p, token = programmes.invite_firm(db_session, operator, programme)
        ids = (sharing.memberships[0].user_id, sharing.id, shared.id, owner.id, newcomer.id)

        def deleting(session, org_id=programme.organisation_id, pid=pid, by=operator_id):
            user = session.get(User, by)
            return lambda: programme_admin.delete_programme(
                session, user, org_id, pid, "Pilot park"
            )

        def consenting(session, ids=ids):
            user = session.get(User, ids[0])
            return lambda: programmes.set_consent(session, user, ids[1], ids[2], "answers")

        def joining(session, ids=ids, token=token):
            user = session.get(User, ids[3])
            return lambda: programmes.join(session, user, token, ids[4], "results")

        assert _pooled(db_session, sharing.id, newcomer.id) == 1
        deleted, consent, joined = run_together(app, deleting, consenting, joining)
        assert isinstance(deleted, int), deleted
        assert isinstance(consent, Participation | accounts.NotFound), consent
        assert isinstance(joined, Participation | accounts.InvalidToken), joined
        db_session.expire_all()
        assert _pooled(db_session, sharing.id, newcomer.id) == 0
        told = {e.name for e in programme_admin.ended_programmes(db_session, newcomer.id)}
        assert told == ({"Pilot park"} if isinstance(joined, Participation) else set())
        assert deleted == (2 if isinstance(joined, Participation) else 1)


def _pooled(session, *organisation_ids: int) -> int:
    """How many benchmark pool rows these organisations have."""
    from readiness.models import PeerScore

    return session.scalar(
        select(func.count())
        .select_from(PeerScore)
        .where(PeerScore.organisation_id.in_(organisation_ids))
    )
