"""The kept questionnaire page follows every change it shows, and a failed save is never kept.

The page body is rendered once and kept under a key naming what it shows (web/fill_page.py);
these tests change each of those things after a page was kept (answers saved by another
member, notes changed behind the app's back, plan links, titles, earlier answers, prefilled
marks, the language, the reader's role) and check that the next page shows the change.
"""

from __future__ import annotations

import re
from datetime import UTC
from datetime import datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import update
from sqlalchemy.orm import Session

from readiness.models import Answer
from readiness.models import Assessment
from readiness.models import Membership
from readiness.models import PlanAction
from readiness.services import assessments as svc
from tests.assessment_data import write_questionnaires
from tests.conftest import test_config
from tests.web.statements import page_statements

PAGE = "/assessments/{}/pillars/technology"


@pytest.fixture
def app_config(database_url: str, tmp_path: Any) -> dict[str, Any]:
    directory = write_questionnaires(tmp_path / "questionnaires", extra_questions=0)
    return test_config(database_url, QUESTIONNAIRE_DIR=str(directory))


@pytest.fixture
def team(make_user: Any, make_org: Any) -> dict[str, Any]:
    owner, editor = make_user(name="Olga"), make_user(name="Eddie")
    org = make_org(owner=owner, name="Acme", members={editor: "editor"})
    return {"org": org, "owner": owner, "editor": editor}


@pytest.fixture
def draft(app: Flask, db_session: Session, team: dict[str, Any]) -> Assessment:
    q = app.extensions["catalogue"].get("mini", 1)
    return svc.start_assessment(db_session, team["org"], q, team["owner"], "Spring check")


def _save(app: Flask, db_session: Session, assessment: Assessment, who: Any, **given: Any) -> None:
    """Save answers as `who` through the service, as another member's page would."""
    q = app.extensions["catalogue"].get("mini", 1)
    db_session.refresh(assessment)
    svc.save_answers(db_session, assessment, q, given, assessment.revision, who)


def _checked(html: str, name: str) -> set[str]:
    """The values of the checked inputs called `name`."""
    return set(
        re.findall(rf'<input checked id="[^"]+" name="{name}" type="\w+" value="([^"]*)"', html)
    )


def _revision(html: str) -> str:
    return re.search(r'name="base_revision" type="hidden" value="(\d+)"', html).group(1)


def test_the_kept_page_follows_answers_notes_and_revision(app, login, draft, team, db_session):
    editor = login("editor")
    page = editor.get(PAGE.format(draft.id)).text
    assert _checked(page, "q__technology__rd") == set() and "0 of 2" in page
    assert editor.get(PAGE.format(draft.id)).text == page  # kept: the same page again
    rd = svc.PageAnswer("answered", 3, "The owner's <note>", "")
    _save(app, db_session, draft, team["owner"], **{"technology.rd": rd})
    page = editor.get(PAGE.format(draft.id)).text
    assert _checked(page, "q__technology__rd") == {"3"}  # saved by another member meanwhile
    assert "The owner&#39;s &lt;note&gt;" in page and '<details class="notes" open>' in page
    assert _revision(page) == str(draft.revision) and "1 of 2" in page
    # a note changed without a new revision (an import, a repair): the page follows the data
    db_session.execute(
        update(Answer)
        .where(Answer.assessment_id == draft.id, Answer.question_id == "technology.rd")
        .values(comment="Changed quietly")
    )
    db_session.commit()
    page = editor.get(PAGE.format(draft.id)).text
    assert "Changed quietly" in page and "The owner" not in page
    assert _revision(page) == str(draft.revision)
    # saves on another pillar: a note (a new revision) and an answer (the progress)
    note = svc.PageAnswer(None, None, "A note only", "")
    _save(app, db_session, draft, team["owner"], **{"talent.training_hours": note})
    page = editor.get(PAGE.format(draft.id)).text
    assert _revision(page) == str(draft.revision) and "1 of 2" in page
    hours = svc.PageAnswer("answered", 30)
    _save(app, db_session, draft, team["owner"], **{"talent.training_hours": hours})
    page = editor.get(PAGE.format(draft.id)).text
    assert re.search(r"Talent</a>\s*<span class=\"count done\">1 of 1</span>", page)
    # one pillar's answer moved to another behind the app's back (no new revision): the same
    # overall count, other pillar counts
    db_session.execute(
        update(Answer)
        .where(Answer.assessment_id == draft.id, Answer.question_id == "talent.training_hours")
        .values(question_id="data.governance", value="nobody")
    )
    db_session.commit()
    page = editor.get(PAGE.format(draft.id)).text
    assert re.search(r"Talent</a>\s*<span class=\"count\">0 of 1</span>", page)
    assert re.search(r"Data</a>\s*<span class=\"count done\">1 of 1</span>", page)


def test_the_kept_page_follows_the_plan_links(login, draft, team, db_session):
    editor = login("editor")
    assert "Plan actions linked" not in editor.get(PAGE.format(draft.id)).text
    action = PlanAction(
        organisation_id=team["org"].id,
        title="File two patents",
        question_ids=["technology.patents"],
        questionnaire_id="mini",
        questionnaire_version=1,
        status="planned",
    )
    db_session.add(action)
    db_session.commit()
    page = editor.get(PAGE.format(draft.id)).text
    assert "File two patents" in page and "status-planned" in page
    action.status, action.title = "in_progress", "File three patents"
    db_session.commit()
    page = editor.get(PAGE.format(draft.id)).text
    assert "File three patents" in page and "status-in_progress" in page
    assert "File two patents" not in page
    action.status, action.dropped_reason = "dropped", "Not worth it"
    db_session.commit()
    assert "File three patents" not in editor.get(PAGE.format(draft.id)).text


def test_the_kept_page_follows_title_language_and_role(login, draft, team, db_session):
    editor = login("editor")
    english = editor.get(PAGE.format(draft.id)).text
    assert "Spring check" in english and "Save draft" in english
    draft.title = "Autumn check"
    db_session.commit()
    assert "› Autumn check</p>" in editor.get(PAGE.format(draft.id)).text  # the breadcrumb
    chinese = editor.get(PAGE.format(draft.id) + "?lang=zh").text
    assert "保存草稿" in chinese and "Save draft" not in chinese
    english = editor.get(PAGE.format(draft.id) + "?lang=en").text
    assert "Save draft" in english and "保存草稿" not in english
    membership = db_session.query(Membership).filter_by(user_id=team["editor"].id).one()
    membership.role = "viewer"
    db_session.commit()
    assert editor.get(PAGE.format(draft.id)).status_code == 403  # the kept page is not shown
    db_session.delete(membership)
    db_session.commit()
    assert editor.get(PAGE.format(draft.id)).status_code == 404


def test_the_kept_page_follows_earlier_answers_and_prefilled_marks(
    app, login, draft, team, db_session
):
    q = app.extensions["catalogue"].get("mini", 1)
    earlier = svc.start_assessment(db_session, team["org"], q, team["owner"], "Last year")
    _save(
        app, db_session, earlier, team["owner"], **{"technology.rd": svc.PageAnswer("answered", 1)}
    )
    svc.submit(db_session, earlier, q, team["owner"], confirm_incomplete=True)
    earlier.submitted_at = datetime(2025, 1, 10, tzinfo=UTC)
    draft.previous_assessment_id = earlier.id
    db_session.commit()
    editor = login("editor")
    assert "Last time: 1 — " in editor.get(PAGE.format(draft.id)).text
    db_session.execute(
        update(Answer)
        .where(Answer.assessment_id == earlier.id, Answer.question_id == "technology.rd")
        .values(value=4)
    )
    db_session.commit()
    page = editor.get(PAGE.format(draft.id)).text
    assert "Last time: 4 — " in page and "Last time: 1 — " not in page
    assert "Prefilled from your answer to" not in page
    _save(app, db_session, draft, team["owner"], **{"technology.rd": svc.PageAnswer("answered", 2)})
    marked = (
        update(Answer)
        .where(Answer.assessment_id == draft.id, Answer.question_id == "technology.rd")
        .values(prefilled_from="mini@1:technology.rd")
    )
    db_session.execute(marked)
    db_session.commit()
    page = editor.get(PAGE.format(draft.id)).text
    assert "Prefilled from your answer to" in page and "Prefilled answers to check" in page
    db_session.execute(marked.values(prefilled_from=None))
    db_session.commit()
    assert "Prefilled from your answer to" not in editor.get(PAGE.format(draft.id)).text


def test_a_failed_save_shows_what_was_typed_and_is_never_kept(login, draft):
    editor = login("editor")
    talent = f"/assessments/{draft.id}/pillars/talent"
    shown = editor.get(talent).text
    typed = {
        "base_revision": _revision(shown),
        "q__talent__training_hours": "lots",
        "comment__talent__training_hours": "typed note",
    }
    failed = editor.post(talent, data=typed)
    assert failed.status_code == 200 and "Please enter a number" in failed.text
    assert 'value="lots"' in failed.text and "typed note" in failed.text
    again = editor.get(talent).text
    assert "Please enter a number" not in again and 'value="lots"' not in again
    assert "typed note" in again  # the valid note of the invalid question was saved


def test_the_page_reads_no_more_than_four_statements(app, login, draft):
    editor, path = login("editor"), PAGE.format(draft.id)
    # rendered, then kept
    counts = [len(page_statements(app, editor, path)) for _ in range(2)]
    # the user with their memberships, the assessment, its answers and the plan's links
    assert counts[0] == counts[1] <= 4, counts


def test_the_kept_page_shows_a_flash_once_and_each_reader_their_header(login, draft):
    editor, owner = login("editor"), login("owner")
    path = PAGE.format(draft.id)
    page = editor.get(path).text
    assert "Eddie" in page and "Olga" not in page
    assert "Olga" in owner.get(path).text and "Eddie" not in owner.get(path).text
    saved = editor.post(path, data={"base_revision": _revision(page)}, follow_redirects=True)
    assert "Draft saved." in saved.text
    again = editor.get(path).text
    assert "Draft saved." not in again and _revision(again) == _revision(saved.text)
