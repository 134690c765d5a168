"""The API of programmes, respondents and on-site reviews: consent, isolation, verdicts, input."""

from __future__ import annotations

from datetime import date

from readiness.models import User
from readiness.services import assessments
from readiness.services import programmes
from readiness.services import respondents
from readiness.services import tokens
from tests.api.conftest import ApiClient
from tests.factories import add_member
from tests.factories import make_user
from tests.programme_data import join_firm
from tests.programme_data import store_result
from tests.web.access_rules import flagship


def _as(client, session, user: User, org_id: int, scope: str = "write") -> ApiClient:
    _t, secret = tokens.create_token(session, user, org_id, "test", scope)
    return ApiClient(client, secret)


def test_the_operator_sees_only_what_firms_consent_to(client, db_session, team, api):
    programme = programmes.create_programme(
        db_session, team["owner"], team["org"].id, "Park", [flagship().id], date(2020, 1, 1)
    )
    sharing, p_sharing = join_firm(db_session, programme, "results")
    leaving, p_leaving = join_firm(db_session, programme, "answers")
    store_result(db_session, sharing, 31.0, {"technology": 30.0})
    store_result(db_session, leaving, 72.0, {"technology": 70.0})
    programmes.invite_firm(db_session, team["owner"], programme, "later@example.com")
    assert [p["name"] for p in api.get("/programmes").get_json()["items"]] == ["Park"]

    firms = api.get(f"/programmes/{programme.id}/firms").get_json()
    rows = {f["organisation"]: f for f in firms["items"]}
    assert (firms["total"], firms["withdrawn"]) == (3, 0)
    assert rows[sharing.name]["result"]["overall_score"] == 31.0
    assert rows[sharing.name]["result"]["pillars"] == {"technology": 30.0}
    assert rows[None]["status"] == "invited" and rows[None]["result"] is None
    assert rows[None]["invitation_expires_at"] is not None
    assert "answers" not in rows[leaving.name]["result"]  # never answers, whatever the consent
    assert api.get(f"/programmes/{programme.id}/cohort").get_json()["firms"] == 2

    firm_api = _as(client, db_session, leaving.memberships[0].user, leaving.id)
    withdrawn = firm_api.put(f"/participations/{p_leaving.id}/consent", json={"consent": None})
    assert withdrawn.status_code == 200 and withdrawn.get_json()["consent"] is None
    firms = api.get(f"/programmes/{programme.id}/firms").get_json()
    assert leaving.name not in {f["organisation"] for f in firms["items"]}
    assert (firms["total"], firms["withdrawn"]) == (2, 1)
    cohort = api.get(f"/programmes/{programme.id}/cohort").get_json()
    assert cohort["firms"] == 1 and cohort["overall"]["scores"] == [{"score": 31.0, "firms": 1}]
    [mine] = firm_api.get("/participations").get_json()["items"]
    assert (mine["programme"]["name"], mine["consent"]) == ("Park", None)

    # isolation: the firm cannot read the programme, the operator cannot set a firm's consent
    assert firm_api.get(f"/programmes/{programme.id}/firms").status_code == 404
    refused = api.put(f"/participations/{p_sharing.id}/consent", json={"consent": "answers"})
    assert refused.status_code == 404 and refused.mimetype == "application/problem+json"
    # bad input: 4xx problem documents, nothing changed
    for body in ({"consent": "everything"}, {"consent": "results", "extra": 1}, {}):
        bad = firm_api.put(f"/participations/{p_leaving.id}/consent", json=body)
        assert bad.status_code == 422 and bad.get_json()["status"] == 422
    assert api.get(f"/programmes/{programme.id}/firms?per_page=0").status_code == 400
    assert api.get(f"/programmes/{programme.id}/cohort?questionnaire_id=x").status_code == 400
    reader = _as(client, db_session, leaving.memberships[0].user, leaving.id, "read")
    assert (
        reader.put(
            f"/participations/{p_leaving.id}/consent", json={"consent": "results"}
        ).status_code
        == 403
    )


def test_respondents_and_on_site_verdicts_through_the_api(client, db_session, team, api_as):
    q, org, owner = flagship(), team["org"], team["owner"]
    several = assessments.start_assessment(db_session, org, q, owner, "R", kind="respondents")
    respondents.assign(db_session, several, owner, {owner.id: None, team["viewer"].id: ["data"]})
    respondents.submit_part(
        db_session, respondents.respondent_for(db_session, several, owner), owner
    )
    viewer = api_as("viewer", "read")
    listed = viewer.get(f"/assessments/{several.id}/respondents").get_json()["respondents"]
    assert [(r["user_id"], r["pillars"], r["submitted"]) for r in listed] == [
        (owner.id, None, True),
        (team["viewer"].id, ["data"], False),
    ]

    consultant = make_user(db_session)
    add_member(db_session, org, consultant, "editor")
    visit = assessments.start_assessment(db_session, org, q, consultant, "V", kind="on_site")
    kind = q.questions[0].type
    first, second = [question.id for question in q.questions if question.type == kind][:2]
    page = {qid: assessments.PageAnswer(assessments.ANSWERED, 2) for qid in (first, second)}
    assessments.save_answers(db_session, visit, q, page, visit.revision, consultant)
    assessments.submit(db_session, visit, q, consultant, confirm_incomplete=True)
    assert viewer.get(f"/assessments/{several.id}/reviews").status_code == 403
    assert viewer.get(f"/assessments/{visit.id}/respondents").status_code == 404  # other kind

    editor = api_as("editor")
    reviews = editor.get(f"/assessments/{visit.id}/reviews").get_json()
    assert (reviews["official"], reviews["pending"]) == (False, sorted([first, second]))
    early = editor.post(f"/assessments/{visit.id}/confirm")
    assert early.status_code == 409 and sorted(early.get_json()["questions"]) == sorted(
        [first, second]
    )
    url = f"/assessments/{visit.id}/reviews/"
    assert editor.put(url + first, json={"verdict": "disputed"}).status_code == 422  # no note
    assert editor.put(url + "no.such", json={"verdict": "confirmed"}).status_code == 404
    disputed = editor.put(url + first, json={"verdict": "disputed", "note": "Only one line."})
    assert disputed.status_code == 200 and disputed.get_json()["note"] == "Only one line."
    evaluator = ApiClient(
        client, tokens.create_token(db_session, consultant, org.id, "c", "write")[1]
    )
    assert evaluator.put(url + second, json={"verdict": "confirmed"}).status_code == 403
    assert editor.put(url + second, json={"verdict": "confirmed"}).status_code == 200
    assert editor.post(f"/assessments/{visit.id}/confirm").status_code == 200
    reviews = editor.get(f"/assessments/{visit.id}/reviews").get_json()
    assert reviews["official"] and reviews["pending"] == [] and reviews["confirmed_by"]
    assert [r["verdict"] for r in reviews["reviews"]] == [
        "disputed" if qid == first else "confirmed" for qid in sorted([first, second])
    ]
    assert editor.put(url + second, json={"verdict": "disputed", "note": "x"}).status_code == 409


def test_programmes_and_their_firms_come_a_page_at_a_time(db_session, team, api):
    made = [
        programmes.create_programme(
            db_session, team["owner"], team["org"].id, name, [flagship().id], date(2020, 1, day)
        )
        for day, name in ((1, "Older"), (2, "Middle"), (3, "Newest"))
    ]
    pages = [api.get(f"/programmes?per_page=2&page={n}").get_json() for n in (1, 2, 3)]
    assert [[p["name"] for p in page["items"]] for page in pages] == [
        ["Newest", "Middle"],
        ["Older"],
        [],
    ]
    assert {page["total"] for page in pages} == {3}
    firms = [join_firm(db_session, made[0], "results")[0] for _ in range(3)]
    url = f"/programmes/{made[0].id}/firms?per_page=2"
    first, second = api.get(url).get_json(), api.get(url + "&page=2").get_json()
    names = [f["organisation"] for f in first["items"] + second["items"]]
    assert names == [f.name for f in firms] and first["total"] == second["total"] == 3
