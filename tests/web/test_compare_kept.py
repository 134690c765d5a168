"""The kept history and comparison pages follow every change they show; bad IDs get a message.

Both pages are kept whole under the rows they read (compare.py); each test keeps a page, changes
one thing it shows (submit, reopen, resubmit, a new title, a deletion, the plan, the role, the
language, the page number) and checks the next page shows the change. They also hold the pages'
statement counts, which must not grow with the organisation's assessments.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from readiness.models import Assessment
from readiness.models import PlanAction
from readiness.services import assessments as svc
from tests.assessment_data import write_questionnaires
from tests.conftest import TEST_PASSWORD
from tests.conftest import test_config
from tests.web.statements import page_statements

LOW = {"technology.rd": 1, "technology.patents": False, "data.governance": "nobody"}
HIGH = {"technology.rd": 4, "technology.patents": True, "data.governance": "owner_named"}


@pytest.fixture
def app_config(database_url: str, tmp_path: Any) -> dict[str, Any]:
    directory = write_questionnaires(tmp_path / "questionnaires", extra_questions=0)
    return test_config(database_url, QUESTIONNAIRE_DIR=str(directory))


@pytest.fixture
def team(make_user: Any, make_org: Any) -> dict[str, Any]:
    owner, viewer, stranger = (make_user(name=n) for n in ("Olga", "Vera", "Sam"))
    org = make_org(owner=owner, name="Acme", members={viewer: "viewer"})
    other = make_org(owner=stranger, name="Other")
    return {"org": org, "other": other, "owner": owner, "viewer": viewer, "stranger": stranger}


@pytest.fixture
def submitted(app: Flask, db_session: Session, team: dict[str, Any]) -> Callable[..., int]:
    def make(answers: dict[str, Any], when: datetime, title: str, org: str = "org") -> int:
        q = app.extensions["catalogue"].get("mini", 1)
        user = team["owner"] if org == "org" else team["stranger"]
        assessment = svc.start_assessment(db_session, team[org], q, user, title)
        page = {qid: svc.PageAnswer("answered", v) for qid, v in answers.items()}
        svc.save_answers(db_session, assessment, q, page, assessment.revision, user)
        svc.submit(db_session, assessment, q, user, confirm_incomplete=True)
        assessment.submitted_at = when
        db_session.commit()
        return assessment.id

    return make


def _chart(html: str) -> str:
    found = re.search(r'<svg xmlns="http://www.w3.org/2000/svg" class="trend".*?</svg>', html, re.S)
    return found.group(0) if found else ""


def _statements(app: Flask, client: FlaskClient, path: str) -> int:
    return len(page_statements(app, client, path))


def test_history_follows_reopen_resubmit_a_new_title_and_the_role(
    app, login, submitted, team, db_session
) -> None:
    first = submitted(LOW, datetime(2025, 1, 10, tzinfo=UTC), "Spring")
    second = submitted(HIGH, datetime(2025, 6, 10, tzinfo=UTC), "Summer")
    owner, viewer = login("owner"), login("viewer")
    page = owner.get("/compare/history").text
    assert f'id="pick-{second}"' in page and "Jun 10, 2025" in _chart(page)
    assert "Repeat the assessment" in page
    assert "Repeat the assessment" not in viewer.get("/compare/history").text  # the role
    assert owner.post(f"/assessments/{second}/reopen").status_code == 302
    page = owner.get("/compare/history").text
    assert f'id="pick-{second}"' not in page and f'id="pick-{first}"' in page
    assert "Jun 10, 2025" not in _chart(page) and "Jan 10, 2025" in _chart(page)
    q = app.extensions["catalogue"].get("mini", 1)
    assessment = db_session.get(Assessment, second)
    svc.submit(db_session, assessment, q, team["owner"], confirm_incomplete=True)
    page = owner.get("/compare/history").text
    assert f'id="pick-{second}"' in page  # submitted again (now): a tick box and a point
    assert len(re.findall(r"<text[^>]*>[A-Z][a-z]{2} \d+, \d{4}</text>", _chart(page))) == 2
    assessment.title = "Summer, checked again"
    db_session.commit()
    assert "Summer, checked again" in owner.get("/compare/history").text
    assert "Summer, checked again" in viewer.get("/compare/history").text


def test_history_follows_the_repeat_offer_pages_and_language(
    app, login, submitted, team, db_session
) -> None:
    ids = [submitted(LOW, datetime(2020, 1, n, tzinfo=UTC), f"Round {n}") for n in range(1, 28)]
    owner = login("owner")
    last = owner.get("/compare/history").text  # the latest page: 25 per page, two pages
    assert "Page 2 of 2" in last and f'id="pick-{ids[-1]}"' in last
    assert f'id="pick-{ids[0]}"' not in last
    first = owner.get("/compare/history?page=1").text
    assert "Page 1 of 2" in first and f'id="pick-{ids[0]}"' in first
    for bad in ("0", "-3", "abc", "99"):  # clamped to a page that exists, never a 500
        assert owner.get(f"/compare/history?page={bad}").status_code == 200
    assert "Page 2 of 2" in owner.get("/compare/history?page=99").text
    # the chart shows the latest: it follows a change on another page
    assert "Jan 27, 2020" in _chart(first)
    assert owner.post(f"/assessments/{ids[-1]}/reopen").status_code == 302
    again = owner.get("/compare/history?page=1").text
    assert "Jan 27, 2020" not in _chart(again) and "Jan 26, 2020" in _chart(again)
    assert "第 2 页，共 2 页" in owner.get("/compare/history?lang=zh").text
    assert "Page 2 of 2" in owner.get("/compare/history?lang=en").text
    response = owner.post("/compare/repeat", data={"title": "Round 28"})
    assert response.status_code == 302
    page = owner.get("/compare/history").text
    assert "Continue the repeat “Round 28”" in page and 'action="/compare/repeat"' not in page
    assert "Page 2 of 2" in page and "Round 28" in page  # the draft is a row too
    assert "Continue the repeat “Round 28”" in owner.get("/compare/history?page=1").text
    draft = db_session.query(Assessment).filter_by(title="Round 28").one()
    draft.title = "Round 28, again"  # the draft is on page 2: page 1 shows it only in the offer
    db_session.commit()
    assert "Continue the repeat “Round 28, again”" in owner.get("/compare/history?page=1").text
    db_session.delete(draft)
    db_session.commit()
    page = owner.get("/compare/history").text
    assert "Continue the repeat" not in page and 'action="/compare/repeat"' in page


def test_comparison_follows_the_plan_titles_and_resubmission(
    app, login, submitted, team, db_session
) -> None:
    first = submitted(LOW, datetime(2025, 1, 10, tzinfo=UTC), "Spring")
    second = submitted(HIGH, datetime(2025, 6, 10, tzinfo=UTC), "Summer")
    owner, viewer = login("owner"), login("viewer")
    pair = f"/compare/?ids={first}&ids={second}"
    assert "Action plan: did it help?" not in owner.get(pair).text
    adopt = f"/organisations/{team['org'].id}/plan/adopt/{first}"
    assert owner.post(adopt, data={"keys": ["6.1|budget"]}).status_code == 302
    page = owner.get(pair).text
    assert "Set an R&amp;D budget line. (Planned)" in page
    action = db_session.query(PlanAction).one()
    status = f"/organisations/{team['org'].id}/plan/{action.id}/status"
    form = {"status": "in_progress", "base_revision": str(action.revision)}
    assert owner.post(status, data=form).status_code == 302
    assert "Set an R&amp;D budget line. (In progress)" in viewer.get(pair).text
    db_session.expire_all()
    db_session.get(PlanAction, action.id).title = "A budget line for R&D"
    db_session.commit()
    assert "A budget line for R&amp;D (In progress)" in owner.get(pair).text
    db_session.get(Assessment, first).title = "Early spring"
    db_session.commit()
    assert "“Early spring” compared with “Summer”" in owner.get(pair).text
    assert "“Early spring”" in owner.get(f"/compare/?ids={second}&ids={first}").text
    before = re.search(r"Overall[^<]*</th>\s*<td[^>]*><span class=\"nowrap\">([\d.]+)", page)
    assert owner.post(f"/assessments/{first}/reopen").status_code == 302
    response = owner.get(pair, follow_redirects=True)  # a draft now: back with the reason
    assert "Choose submitted assessments of this organisation to compare." in response.text
    q = app.extensions["catalogue"].get("mini", 1)
    assessment = db_session.get(Assessment, first)
    answers = {qid: svc.PageAnswer("answered", v) for qid, v in HIGH.items()}
    svc.save_answers(db_session, assessment, q, answers, assessment.revision, team["owner"])
    svc.submit(db_session, assessment, q, team["owner"], confirm_incomplete=True)
    page = owner.get(f"/compare/?ids={second}&ids={first}").text  # the resubmitted is newer
    after = re.search(r"Overall[^<]*</th>\s*<td[^>]*><span class=\"nowrap\">([\d.]+)", page)
    assert before and after and float(after.group(1)) > float(before.group(1))
    assert "“Summer” compared with “Early spring”" in page


def test_bad_ids_get_a_clear_answer(app, login, submitted, team) -> None:
    ids = [submitted(LOW, datetime(2025, 1, n, tzinfo=UTC), f"Day {n}") for n in range(1, 14)]
    theirs = submitted(HIGH, datetime(2025, 6, 10, tzinfo=UTC), "Theirs", org="other")
    owner = login("owner")

    def message(query: str) -> str:
        response = owner.get(f"/compare/?{query}", follow_redirects=True)
        assert response.status_code == 200
        return response.text

    assert "Choose at least two assessments" in message(f"ids={ids[0]}&ids={ids[0]}")
    assert "Choose submitted assessments of this" in message(f"ids={ids[0]}&ids=abc")
    assert "Choose at least two assessments" in message("")
    assert "Choose at most 12 assessments" in message("&".join(f"ids={i}" for i in ids))
    assert "3 assessments over time" in message("&".join(f"ids={i}" for i in ids[:3]))
    chinese = owner.get(f"/compare/?ids={ids[0]}&lang=zh", follow_redirects=True).text
    assert "请至少选择两次评估进行对比。" in chinese
    for query in (f"ids={ids[0]}&ids={theirs}", "ids=99999999999&ids=1", "ids=0&ids=-1"):
        assert owner.get(f"/compare/?{query}").status_code == 404
    many = "&".join(f"ids={i}" for i in range(100000, 100040))
    assert owner.get(f"/compare/?{many}").status_code == 404


def test_statements_stay_few_and_flat(app, login, submitted) -> None:
    first = submitted(LOW, datetime(2025, 1, 1, tzinfo=UTC), "First")
    second = submitted(HIGH, datetime(2025, 1, 2, tzinfo=UTC), "Second")
    owner = login("owner")
    pair = f"/compare/?ids={first}&ids={second}"
    for path in ("/compare/history", pair):
        _statements(app, owner, path)  # the first time renders and keeps the page
    few = {path: _statements(app, owner, path) for path in ("/compare/history", pair)}
    # the signed-in user with their memberships, then: the trend (with the count and the open
    # repeat), the drafts, the page's submitted ones
    assert few["/compare/history"] <= 4, few
    assert few[pair] <= 3, few  # the user with memberships, the chosen assessments, the plan
    for n in range(3, 40):
        submitted(LOW, datetime(2024, 1, 1, tzinfo=UTC), f"Older {n}")
    for path in ("/compare/history", pair):
        _statements(app, owner, path)
        assert _statements(app, owner, path) == few[path]


def test_the_kept_history_carries_each_readers_csrf_token(app, make_app, team, submitted) -> None:
    submitted(LOW, datetime(2025, 1, 10, tzinfo=UTC), "Spring")
    production = make_app(WTF_CSRF_ENABLED=True, QUESTIONNAIRE_DIR=app.config["QUESTIONNAIRE_DIR"])
    readers = []
    for _ in range(2):  # the owner twice: two sessions, two tokens, one kept page
        client = production.test_client()
        login_page = client.get("/login").text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
        form = {"email": team["owner"].email, "password": TEST_PASSWORD, "csrf_token": token}
        assert client.post("/login", data=form).status_code == 302
        page = client.get("/compare/history").text
        shown = set(re.findall(r'name="csrf_token" type="hidden" value="([^"]+)"', page))
        assert len(shown) == 1 and "__csrf_" not in page
        title = re.search(
            r'action="/compare/repeat".*?name="title"[^>]*value="([^"]+)"', page, re.S
        )
        readers.append((client, shown.pop(), title.group(1)))
    assert readers[0][1] != readers[1][1]
    client, token, title = readers[1]  # the page served from the kept copy
    assert client.post("/compare/repeat", data={"title": title}).status_code == 400
    assert (
        client.post("/compare/repeat", data={"title": title, "csrf_token": token}).status_code
        == 302
    )
