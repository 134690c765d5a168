"""Kept page bodies (results, comparison, history, list) follow every change they show.

The bodies are rendered once and kept under a key naming what they show; these tests change
each of those things after a page was kept and check that the next page shows the change:
reopen and resubmit, a plan change, a language switch, a role, a deletion, new rows. They also
check that a kept page reads no result document and carries each reader's own CSRF token.
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

from readiness.services import assessments as svc
from readiness.web.page_cache import CSRF_SLOT
from tests.assessment_data import write_questionnaires
from tests.conftest import TEST_PASSWORD
from tests.conftest import test_config
from tests.web.statements import page_statements

LOW = {
    "technology.rd": 1,
    "technology.patents": False,
    "data.governance": "nobody",
    "talent.training_hours": 30,
}
HIGH = {
    "technology.rd": 4,
    "technology.patents": True,
    "data.governance": "nobody",
    "talent.training_hours": 30,
}


@pytest.fixture
def app_config(database_url: str, tmp_path: Any) -> dict[str, Any]:
    directory = write_questionnaires(tmp_path / "questionnaires", extra_questions=0)
    return test_config(database_url, QUESTIONNAIRE_DIR=str(directory))


@pytest.fixture
def team(make_user: Any, make_org: Any) -> dict[str, Any]:
    owner, editor, viewer = (make_user(name=n) for n in ("Olga", "Eddie", "Vera"))
    org = make_org(owner=owner, name="Acme", members={editor: "editor", viewer: "viewer"})
    return {"org": org, "owner": owner, "editor": editor, "viewer": viewer}


@pytest.fixture
def submitted(app: Flask, db_session: Session, team: dict[str, Any]) -> Callable[..., int]:
    def make(answers: dict[str, Any], when: datetime, title: str = "Check") -> int:
        q = app.extensions["catalogue"].get("mini", 1)
        assessment = svc.start_assessment(db_session, team["org"], q, team["owner"], title)
        page = {qid: svc.PageAnswer("answered", v) for qid, v in answers.items()}
        svc.save_answers(db_session, assessment, q, page, assessment.revision, team["owner"])
        svc.submit(db_session, assessment, q, team["owner"], confirm_incomplete=True)
        assessment.submitted_at = when
        db_session.commit()
        return assessment.id

    return make


def _overall(html: str) -> str:
    return re.search(r'aria-label="Overall score">([\d.]+)<', html).group(1)


def _statements(app: Flask, client: FlaskClient, path: str) -> list[str]:
    return page_statements(app, client, path)


def test_a_kept_results_page_reads_no_result_document(app, login, submitted) -> None:
    done = submitted(LOW, datetime(2025, 1, 10, tzinfo=UTC))
    editor = login("editor")
    first = _statements(app, editor, f"/assessments/{done}/results")
    assert any("assessments.result" in s for s in first), "the first page reads the document"
    again = _statements(app, editor, f"/assessments/{done}/results")
    assert not any("assessments.result" in s for s in again)
    assert len(again) < len(first)
    assert len(_statements(app, editor, f"/assessments/{done}/results")) == len(again)


def test_results_follow_the_plan_the_role_and_the_language(app, login, submitted, team) -> None:
    done = submitted(LOW, datetime(2025, 1, 10, tzinfo=UTC))
    editor, viewer = login("editor"), login("viewer")
    page = editor.get(f"/assessments/{done}/results").text
    assert 'name="keys" value="6.1|budget"' in page and "In the plan" not in page
    assert 'name="keys"' not in viewer.get(f"/assessments/{done}/results").text  # role
    adopt = f"/organisations/{team['org'].id}/plan/adopt/{done}"
    assert editor.post(adopt, data={"keys": ["6.1|budget"]}).status_code == 302
    page = editor.get(f"/assessments/{done}/results").text
    assert "In the plan: Planned" in page  # the plan changed: rendered anew
    assert 'name="keys" value="6.1|budget"' not in page
    assert "In the plan: Planned" in viewer.get(f"/assessments/{done}/results").text
    chinese = editor.get(f"/assessments/{done}/results?lang=zh").text
    assert "总体就绪度" in chinese and "Overall readiness" not in chinese
    english = editor.get(f"/assessments/{done}/results?lang=en").text
    assert "Overall readiness" in english and "总体就绪度" not in english


def test_results_follow_reopen_and_resubmit(app, login, submitted, team, db_session) -> None:
    done = submitted(LOW, datetime(2025, 1, 10, tzinfo=UTC))
    owner = login("owner")
    before = _overall(owner.get(f"/assessments/{done}/results").text)
    assert owner.post(f"/assessments/{done}/reopen").status_code == 302
    q = app.extensions["catalogue"].get("mini", 1)
    assessment = svc.get_assessment(db_session, team["owner"], done, "owner")
    page = {qid: svc.PageAnswer("answered", v) for qid, v in HIGH.items()}
    svc.save_answers(db_session, assessment, q, page, assessment.revision, team["owner"])
    svc.submit(db_session, assessment, q, team["owner"], confirm_incomplete=True)
    after = _overall(owner.get(f"/assessments/{done}/results").text)
    assert float(after) > float(before)


def test_a_deleted_assessment_is_not_served_from_the_cache(login, submitted) -> None:
    done = submitted(LOW, datetime(2025, 1, 10, tzinfo=UTC))
    other = submitted(HIGH, datetime(2025, 6, 10, tzinfo=UTC))
    owner = login("owner")
    assert owner.get(f"/assessments/{done}/results").status_code == 200
    assert owner.get(f"/compare/?ids={done}&ids={other}").status_code == 200
    assert "Check" in owner.get("/compare/history").text
    response = owner.post(f"/assessments/{done}/delete", data={"confirm": "y"})
    assert response.status_code == 302
    assert owner.get(f"/assessments/{done}/results").status_code == 404
    assert owner.get(f"/compare/?ids={done}&ids={other}").status_code == 404
    history = owner.get("/compare/history").text
    assert f"pick-{done}" not in history and f"pick-{other}" in history
    assert f"/assessments/{done}/" not in owner.get("/assessments/").text


def test_each_reader_gets_their_own_csrf_token(app, make_app, team, submitted, db_session) -> None:
    done = submitted(LOW, datetime(2025, 1, 10, tzinfo=UTC))
    q = app.extensions["catalogue"].get("mini", 1)
    draft = svc.start_assessment(db_session, team["org"], q, team["owner"], "Draft")
    fill = f"/assessments/{draft.id}/pillars/{q.pillars[0].id}"
    production = make_app(WTF_CSRF_ENABLED=True, QUESTIONNAIRE_DIR=app.config["QUESTIONNAIRE_DIR"])
    tokens = []
    for who in ("editor", "owner", "owner"):  # the owner twice: two sessions, two tokens
        client = production.test_client()
        login_page = client.get("/login").text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
        form = {"email": team[who].email, "password": TEST_PASSWORD, "csrf_token": token}
        assert client.post("/login", data=form).status_code == 302
        page = client.get(f"/assessments/{done}/results").text
        assert CSRF_SLOT not in page
        adopt = re.search(r'id="adopt-form".*?name="csrf_token" value="([^"]+)"', page, re.S)
        tokens.append(adopt.group(1))
        # every form on the page (header, the top's reopen and repeat forms) carries that token
        shown = set(re.findall(r'name="csrf_token" type="hidden" value="([^"]+)"', page))
        assert shown == {tokens[-1]}, "forms in kept fragments carry the reader's own token"
        page = client.get(fill).text  # the questionnaire page's kept form controls too
        on_fill = re.findall(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        # signed anew per request (the time differs), the session's token inside is the same
        assert {t.split(".")[0] for t in on_fill} == {tokens[-1].split(".")[0]}
        url = f"/organisations/{team['org'].id}/plan/adopt/{done}"
        keys = [{0: "6.1|budget", 1: "6.2|pilot"}.get(len(tokens) - 1, "6.1|skills")]
        assert client.post(url, data={"keys": keys}).status_code == 400  # no token: refused
        response = client.post(url, data={"keys": keys, "csrf_token": tokens[-1]})
        assert response.status_code == 302, "the kept page's form carries a working token"
    assert len(set(tokens)) == 3


def test_comparison_and_history_follow_the_plan_language_and_new_rows(
    login, submitted, team
) -> None:
    first = submitted(LOW, datetime(2025, 1, 10, tzinfo=UTC), "Spring")
    second = submitted(HIGH, datetime(2025, 6, 10, tzinfo=UTC), "Summer")
    owner = login("owner")
    pair = f"/compare/?ids={first}&ids={second}"
    assert "Action plan: did it help?" not in owner.get(pair).text
    adopt = f"/organisations/{team['org'].id}/plan/adopt/{first}"
    assert owner.post(adopt, data={"keys": ["6.1|budget"]}).status_code == 302
    page = owner.get(pair).text
    assert "Action plan: did it help?" in page and "Set an R&amp;D budget line." in page
    assert "历史" in owner.get(pair + "&lang=zh").text
    history = owner.get("/compare/history?lang=en").text
    assert "Summer" in history and "Autumn" not in history
    submitted(HIGH, datetime(2025, 9, 10, tzinfo=UTC), "Autumn")
    assert "Autumn" in owner.get("/compare/history").text
    assert "Autumn" in owner.get("/assessments/").text


def test_the_kept_header_follows_reader_organisations_language_and_page(
    login, team, make_org, db_session
) -> None:
    def header(client: FlaskClient, path: str) -> str:
        page = client.get(path).text
        return re.search(r'<header class="site-header">.*?</header>', page, re.S).group(0)

    owner = login("owner")
    first = header(owner, "/assessments/")
    assert "Olga" in first and "Acme" in first and "Sign out" in first
    assert 'name="next" type="hidden" value="/assessments/"' in first
    assert "Vera" in header(login("viewer"), "/assessments/")  # another reader: their own
    team["owner"].name, team["org"].name = "Olga K", "Acme Works"
    db_session.commit()
    make_org(owner=team["owner"], name="Beta")
    again = header(owner, "/assessments/?page=1&sort=x")
    assert "Olga K" in again and "Acme Works" in again and ">Beta</option>" in again
    assert 'name="next" type="hidden" value="/assessments/?page=1&amp;sort=x"' in again
    assert "Sign out" not in header(owner, "/assessments/?lang=zh")


def test_a_kept_results_page_shows_a_flash_once_and_its_own_path(login, submitted, team) -> None:
    """The whole page is kept, yet a waiting message shows once and the switchers return here."""
    done = submitted(LOW, datetime(2025, 1, 10, tzinfo=UTC))
    editor = login("editor")
    results = f"/assessments/{done}/results"
    assert "Choose at least one action" not in editor.get(results).text  # now kept
    adopt = f"/organisations/{team['org'].id}/plan/adopt/{done}"
    page = editor.post(adopt, data={}, follow_redirects=True).text  # nothing chosen
    assert "Choose at least one action to add to the plan." in page
    assert "Choose at least one action" not in editor.get(results).text  # shown once
    page = editor.get(results + "?lang=en").text
    assert f'name="next" type="hidden" value="{results}?lang=en"' in page
    page = editor.get(results).text
    assert f'name="next" type="hidden" value="{results}"' in page
    assert "Eddie" in page and "Vera" in login("viewer").get(results).text  # each reader's own


def test_the_kept_dashboard_follows_new_assessments_roles_and_language(
    app, login, submitted, team, db_session
) -> None:
    owner, viewer = login("owner"), login("viewer")
    assert "No assessments yet." in viewer.get("/").text
    done = submitted(LOW, datetime(2025, 1, 10, tzinfo=UTC), "Spring")
    page = owner.get("/").text
    assert f'href="/assessments/{done}/results">Spring</a>' in page
    q = app.extensions["catalogue"].get("mini", 1)
    draft = svc.start_assessment(db_session, team["org"], q, team["owner"], "Autumn")
    page = owner.get("/").text
    assert f'href="/assessments/{draft.id}">Autumn</a>' in page  # a new row
    assert "Autumn</span>" in viewer.get("/").text  # a viewer sees the draft, not its link
    membership = next(m for m in team["org"].memberships if m.user_id == team["viewer"].id)
    membership.role = "editor"
    db_session.commit()
    assert f'href="/assessments/{draft.id}">Autumn</a>' in viewer.get("/").text  # the role
    draft.title = "Winter"
    db_session.commit()
    assert "Winter" in owner.get("/").text and "Autumn" not in owner.get("/").text
    chinese = owner.get("/?lang=zh").text
    assert "<h1>工作台</h1>" in chinese and "Dashboard</h1>" not in chinese


def test_the_kept_assessment_list_follows_the_role_and_the_organisations_name(
    login, submitted, team, db_session
) -> None:
    submitted(LOW, datetime(2025, 1, 10, tzinfo=UTC), "Spring")
    viewer = login("viewer")
    page = viewer.get("/assessments/").text
    assert "Spring" in page and "Start an assessment" not in page
    membership = next(m for m in team["org"].memberships if m.user_id == team["viewer"].id)
    membership.role = "editor"
    db_session.commit()
    assert "Start an assessment" in viewer.get("/assessments/").text
    team["org"].name = "Acme Works"
    db_session.commit()
    assert "Assessments of Acme Works" in viewer.get("/assessments/").text
