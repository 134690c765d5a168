"""Who may call which API operation: missing, revoked and expired tokens, organisations, roles."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from readiness.models.base import utcnow
from readiness.services import assessments
from readiness.services import organisations
from readiness.services import plans
from readiness.services import tokens
from tests.api.access_table import API_RULES
from tests.api.access_table import ApiRule
from tests.api.access_table import placeholders
from tests.api.document import check_response
from tests.web.access_rules import flagship

ROLE_RANK = {"viewer": 0, "editor": 1, "owner": 2}


@pytest.fixture
def world() -> dict[str, Any]:
    """The IDs a rule's path names, filled in by _complete for that rule only (scoring the
    submitted assessments is most of a test's time, and most operations need none)."""
    return {}


def _basics(session, team, world) -> None:
    """{draft}, {submitted}, {submitted2}: assessments of the team's organisation; {action}: a
    plan action of it."""
    db_session = session
    q, org, owner = flagship(), team["org"], team["owner"]
    draft = assessments.start_assessment(db_session, org, q, owner, "Draft")
    ids = []
    for title in ("Done", "Again"):
        done = assessments.start_assessment(db_session, org, q, owner, title)
        assessments.submit(db_session, done, q, owner, confirm_incomplete=True)
        ids.append(done.id)
    action = plans.create_action(db_session, org, owner, plans.ActionFields("Pilot"))
    world.update(draft=draft.id, submitted=ids[0], submitted2=ids[1], action=action.id)


def _programmes(session, team, world) -> None:
    """{programme}: run by the team's organisation, a firm sharing results; {joined}: the team's
    organisation in another operator's programme."""
    from datetime import date

    from readiness.models import User
    from readiness.services import programmes
    from tests.programme_data import join_firm
    from tests.programme_data import make_programme
    from tests.programme_data import store_result

    operated = programmes.create_programme(
        session, team["owner"], team["org"].id, "Own park", [flagship().id], date(2020, 1, 1)
    )
    firm, _p = join_firm(session, operated, "results")
    store_result(session, firm, 44.0, {"technology": 40.0})
    elsewhere = make_programme(session)
    operator = session.get(User, elsewhere.created_by_id)
    _p, token = programmes.invite_firm(session, operator, elsewhere)
    joined = programmes.join(session, team["owner"], token, team["org"].id, "results")
    world.update(programme=operated.id, joined=joined.id)


def _collaboration(session, team, world) -> None:
    """{resp}: several respondents (owner, viewer); {onsite}: a consultant's evaluation whose
    answer {qid} the owner has confirmed."""
    from readiness.services import onsite
    from readiness.services import respondents
    from tests.factories import add_member
    from tests.factories import make_user

    q, org, owner = flagship(), team["org"], team["owner"]
    resp = assessments.start_assessment(session, org, q, owner, "R", kind="respondents")
    respondents.assign(session, resp, owner, {owner.id: None, team["viewer"].id: ["data"]})
    consultant = make_user(session)
    add_member(session, org, consultant, "editor")
    visit = assessments.start_assessment(session, org, q, consultant, "V", kind="on_site")
    qid = q.questions[0].id
    page = {qid: assessments.PageAnswer(assessments.ANSWERED, 3)}
    assessments.save_answers(session, visit, q, page, visit.revision, consultant)
    assessments.submit(session, visit, q, consultant, confirm_incomplete=True)
    onsite.review_answer(session, visit, owner, qid, "confirmed", "")
    world.update(resp=resp.id, onsite=visit.id, qid=qid)


def _complete(session, team, world, rule: ApiRule) -> dict[str, Any]:
    """The world with what the rule's path needs beyond the basics (built only then)."""
    needed = placeholders(rule.path)
    if needed & {"draft", "submitted", "submitted2", "action"}:
        _basics(session, team, world)
    if needed & {"programme", "joined"}:
        _programmes(session, team, world)
    if needed & {"resp", "onsite"}:
        _collaboration(session, team, world)
    return world


def _call(client, rule: ApiRule, world: dict, token: str | None):
    headers = dict(rule.headers)
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    url = rule.url(world)
    response = client.open(url, method=rule.method, json=rule.body, headers=headers)
    check_response(rule.method, url, response)
    return response


def test_every_api_endpoint_is_in_the_table(app) -> None:
    api_endpoints = {e for e in app.view_functions if e.startswith("api.")}
    public = {"api.openapi_json", "api.docs"}
    assert api_endpoints - public == {r.endpoint for r in API_RULES}


def test_every_documented_operation_is_in_the_table() -> None:
    from readiness.web.api.document import openapi_document
    from readiness.web.api.document import operations

    ops = {(op["method"], op["path"]) for op in operations(openapi_document())}
    tested = set()
    for rule in API_RULES:
        from tests.api.document import operation_of

        template, _op = operation_of(
            rule.method, rule.url(dict.fromkeys(placeholders(rule.path), 1))
        )
        tested.add((rule.method, template))
    assert ops == tested


@pytest.mark.parametrize("rule", API_RULES, ids=lambda r: r.id)
def test_access(client, db_session, team, make_token, world, rule) -> None:
    """One world per operation: every refusal first, then the calls that may succeed."""
    world = _complete(db_session, team, world, rule)
    assert _call(client, rule, world, None).status_code == 401
    assert _call(client, rule, world, "rdy_not-a-real-token").status_code == 401
    owner, org = team["owner"], team["org"]
    revoked, secret = tokens.create_token(db_session, owner, org.id, "r", "write")
    tokens.revoke_token(db_session, owner, revoked.id)
    assert _call(client, rule, world, secret).status_code == 401, "revoked"
    _old, stale = tokens.create_token(
        db_session, owner, org.id, "e", "write", days=1, now=utcnow() - timedelta(days=2)
    )
    assert _call(client, rule, world, stale).status_code == 401, "expired"
    if rule.org_scoped:
        other = team["other"]
        outsider = other.memberships[0].user
        _t, foreign = tokens.create_token(db_session, outsider, other.id, "o", "write")
        assert _call(client, rule, world, foreign).status_code == 404, "other organisation"
    for role in ("viewer", "editor"):
        if ROLE_RANK[role] < ROLE_RANK[rule.role]:
            assert _call(client, rule, world, make_token(role, "write")).status_code == 403, role
    read_status = _call(client, rule, world, make_token("owner", "read")).status_code
    if rule.write:
        assert read_status == 403, "a read token wrote"
        allowed = _call(client, rule, world, make_token(rule.role, "write")).status_code
        assert 200 <= allowed < 300, f"{rule.role} with a write token: {allowed}"
    else:
        assert 200 <= read_status < 300
        for role in ("viewer", "editor"):
            if ROLE_RANK[role] >= ROLE_RANK[rule.role]:
                status = _call(client, rule, world, make_token(role, "read")).status_code
                assert 200 <= status < 300, role


def test_token_of_a_member_who_left_stops_working(client, db_session, team, world) -> None:

    _t, secret = tokens.create_token(db_session, team["editor"], team["org"].id, "x", "read")
    rule = API_RULES[2]
    assert _call(client, rule, world, secret).status_code == 200
    organisations.remove_member(db_session, team["editor"], team["org"].id, team["editor"].id)
    assert _call(client, rule, world, secret).status_code == 401
