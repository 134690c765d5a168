"""Two owners deleting their accounts at the same moment never leave an organisation ownerless."""

from __future__ import annotations

import threading

from sqlalchemy import func
from sqlalchemy import select

from readiness.db import get_sessionmaker
from readiness.models import Membership
from readiness.models import User
from readiness.services import accounts
from readiness.services import deletion
from tests import factories

TRIALS = 10


def _delete(app, user_id: int, barrier: threading.Barrier, outcomes: list[str]) -> None:
    with get_sessionmaker(app)() as session:
        user = session.get(User, user_id)
        barrier.wait()
        try:
            deletion.delete_account(session, user, factories.DEFAULT_PASSWORD)
        except accounts.LastOwner:
            outcomes.append("refused")
        else:
            outcomes.append("deleted")


def test_concurrent_owners_leave_one_owner(app, db_session) -> None:
    for _trial in range(TRIALS):
        first, second = factories.make_user(db_session), factories.make_user(db_session)
        org = factories.make_org(db_session, first, members={second: "owner"})
        barrier, outcomes = threading.Barrier(2), []
        threads = [
            threading.Thread(target=_delete, args=(app, u.id, barrier, outcomes))
            for u in (first, second)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert sorted(outcomes) == ["deleted", "refused"]
        owners = db_session.scalar(
            select(func.count())
            .select_from(Membership)
            .where(Membership.organisation_id == org.id, Membership.role == "owner")
        )
        assert owners == 1
        db_session.expunge_all()  # SQLite may reuse the deleted user's ID in the next trial
