"""Peer benchmarks: percentiles among consenting firms, never for a group of fewer than 5."""

from __future__ import annotations

import pytest

from readiness.services import benchmark
from readiness.services import programmes
from tests.factories import make_org
from tests.programme_data import join_firm
from tests.programme_data import make_programme
from tests.programme_data import store_result

MACHINERY_SMALL = {"sector": "discrete", "industry": "machinery", "headcount": "20_99"}
MACHINERY_LARGE = {"sector": "discrete", "industry": "machinery", "headcount": "300_999"}
FOOD = {"sector": "process", "industry": "food", "headcount": "20_99"}


def _peers(db_session, scores, profile=MACHINERY_SMALL):
    programme = make_programme(db_session)
    firms = []
    for score in scores:
        firm, participation = join_firm(db_session, programme)
        store_result(db_session, firm, score, {"technology": score}, profile)
        firms.append((firm, participation))
    return programme, firms


def _groups(db_session, assessment):
    return {g.scope: g for g in benchmark.benchmark(db_session, assessment)}


@pytest.mark.parametrize(("peers", "visible"), [(4, False), (5, True)])
def test_a_group_needs_five_other_firms(db_session, peers, visible):
    _peers(db_session, [10.0, 20.0, 60.0, 70.0, 80.0][:peers])
    mine = store_result(db_session, make_org(db_session), 50.0, {"technology": 50.0})
    groups = _groups(db_session, mine)
    assert set(groups) == {"industry_size", "industry", "sector", "all"}
    for group in groups.values():
        assert group.firms == peers and group.shown is visible
        if visible:
            assert group.overall == 40 and group.pillars == {"technology": 40}
        else:
            assert group.overall is None and group.pillars == {"technology": None}


def test_withdrawn_and_non_consenting_firms_are_not_peers(db_session):
    _programme, firms = _peers(db_session, [10.0, 20.0, 30.0, 40.0, 60.0])
    store_result(db_session, make_org(db_session), 5.0, profile=MACHINERY_SMALL)  # no consent
    mine = store_result(db_session, make_org(db_session), 50.0)
    assert _groups(db_session, mine)["all"].overall == 80
    firm, participation = firms[0]
    programmes.set_consent(db_session, firm.memberships[0].user, firm.id, participation.id, None)
    assert _groups(db_session, mine)["all"].shown is False


def test_wider_groups_show_when_the_narrow_one_is_too_small(db_session):
    programme, _firms = _peers(db_session, [10.0, 20.0, 30.0], MACHINERY_SMALL)
    for score in (60.0, 70.0):
        firm, _p = join_firm(db_session, programme)
        store_result(db_session, firm, score, profile=MACHINERY_LARGE)
    firm, _p = join_firm(db_session, programme)
    store_result(db_session, firm, 90.0, profile=FOOD)
    mine = store_result(db_session, make_org(db_session), 50.0, profile=MACHINERY_SMALL)
    groups = _groups(db_session, mine)
    assert (groups["industry_size"].firms, groups["industry_size"].shown) == (3, False)
    assert (groups["industry"].firms, groups["industry"].overall) == (5, 60)
    assert (groups["all"].firms, groups["all"].overall) == (6, 50)


def test_only_the_latest_assessment_of_a_peer_counts(db_session):
    programme, _firms = _peers(db_session, [10.0, 20.0, 30.0, 40.0])
    firm, _p = join_firm(db_session, programme)
    store_result(db_session, firm, 90.0)
    store_result(db_session, firm, 45.0)  # its newer result replaces the 90
    mine = store_result(db_session, make_org(db_session), 50.0)
    group = _groups(db_session, mine)["all"]
    assert (group.firms, group.overall) == (5, 100)


def test_the_bins_always_equal_a_recount_of_the_pool(db_session):
    from sqlalchemy import select

    from readiness.models import PeerBin
    from readiness.services.peer_pool import _bins
    from readiness.services.peer_pool import _pool_rows

    _programme, firms = _peers(db_session, [10.0, 20.0, 30.0])
    firm, participation = firms[0]
    owner = firm.memberships[0].user
    store_result(db_session, firm, 55.0, {"technology": 50.0}, FOOD)  # a new latest, new group
    programmes.set_consent(db_session, owner, firm.id, participation.id, None)
    programmes.set_consent(db_session, owner, firm.id, participation.id, "answers")
    other, other_participation = firms[1]
    programmes.set_consent(
        db_session, other.memberships[0].user, other.id, other_participation.id, None
    )
    kept = {
        (
            b.questionnaire_id,
            b.questionnaire_version,
            b.metric,
            b.scope,
            b.group_key,
            b.bin,
        ): b.count
        for b in db_session.scalars(select(PeerBin).where(PeerBin.count != 0))
    }
    assert kept == dict(_bins(_pool_rows(db_session, None)))
    assert sum(kept.values()) == 4 * 2 * 2  # two sharing firms, two metrics, four scopes


def test_a_deleted_firm_leaves_the_pool(db_session):
    from readiness.services import deletion

    _programme, firms = _peers(db_session, [10.0, 20.0, 30.0, 40.0, 60.0])
    mine = store_result(db_session, make_org(db_session), 50.0)
    assert _groups(db_session, mine)["all"].shown
    firm, _p = firms[0]
    deletion.delete_organisation(db_session, firm.memberships[0].user, firm.id, firm.name)
    assert (_groups(db_session, mine)["all"].firms, _groups(db_session, mine)["all"].shown) == (
        4,
        False,
    )


def test_firms_of_a_deleted_operator_leave_the_pool(db_session):
    from readiness.models import User
    from readiness.services import deletion

    programme, _firms = _peers(db_session, [10.0, 20.0, 30.0, 40.0, 60.0])
    mine = store_result(db_session, make_org(db_session), 50.0)
    assert _groups(db_session, mine)["all"].firms == 5
    operator = db_session.get(User, programme.created_by_id)
    name = programme.organisation.name
    deletion.delete_organisation(db_session, operator, programme.organisation_id, name)
    assert _groups(db_session, mine)["all"].firms == 0


def test_a_sharing_firm_is_never_its_own_peer(db_session):
    """The firm's own pool entry leaves every group it falls in, also for an older result."""
    programme, firms = _peers(db_session, [10.0, 20.0, 30.0, 40.0, 60.0])
    firm, _participation = firms[0]
    older = store_result(db_session, firm, 90.0, {"technology": 90.0})
    latest = store_result(db_session, firm, 15.0, {"technology": 15.0})  # in the pool now
    for mine in (latest, older):
        groups = _groups(db_session, mine)
        assert {g.firms for g in groups.values()} == {4}
    others = _peers(db_session, [70.0], MACHINERY_SMALL)
    assert others and {g.firms for g in _groups(db_session, latest).values()} == {5}
    # 15 is below all five others (20 to 70); counting itself would lift it above 0
    assert _groups(db_session, latest)["all"].overall == 0


def test_a_group_key_of_one_scope_never_counts_in_another(db_session):
    """Bins are read for all scopes at once: an industry named like a sector stays apart."""
    odd = {"sector": "process", "industry": "discrete", "headcount": "20_99"}
    _peers(db_session, [10.0, 20.0, 30.0, 40.0, 60.0], odd)
    mine = store_result(db_session, make_org(db_session), 50.0, profile=MACHINERY_SMALL)
    groups = _groups(db_session, mine)
    assert (groups["industry"].firms, groups["sector"].firms, groups["all"].firms) == (0, 0, 5)
