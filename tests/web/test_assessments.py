"""Assessment pages: start, fill, validation, conflicts, review, submit, results, roles, queries."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.models import Answer
from readiness.models import Assessment
from tests.assessment_data import write_questionnaires
from tests.conftest import test_config
from tests.web.statements import page_statements


@pytest.fixture
def app_config(database_url: str, tmp_path: Any) -> dict[str, Any]:
    """The test app with the mini and big questionnaires."""
    directory = write_questionnaires(tmp_path / "questionnaires")
    return test_config(database_url, QUESTIONNAIRE_DIR=str(directory))


@pytest.fixture
def team(make_user: Any, make_org: Any) -> dict[str, Any]:
    """An organisation with an owner, an editor and a viewer; plus a stranger with their own org."""
    owner, editor, viewer, stranger = (make_user(name=n) for n in ("Olga", "Eddie", "Vera", "Sam"))
    org = make_org(owner=owner, name="Acme", members={editor: "editor", viewer: "viewer"})
    make_org(owner=stranger, name="Other")
    return {"org": org, "owner": owner, "editor": editor, "viewer": viewer, "stranger": stranger}


def start(client: FlaskClient, key: str = "mini@1") -> int:
    """Start an assessment through the page; returns its ID."""
    response = client.post("/assessments/new", data={"questionnaire": key, "title": "Check"})
    assert response.status_code == 302, response.text
    return int(re.search(r"/assessments/(\d+)/", response.location).group(1))


def stored_answers(db_session: Session, assessment_id: int) -> dict[str, Answer]:
    """The answers in the database, fresh."""
    db_session.expire_all()
    rows = db_session.scalars(select(Answer).where(Answer.assessment_id == assessment_id))
    return {a.question_id: a for a in rows}


def test_index_lists_assessments_and_start_offers_versions(login):
    client = login("editor")
    page = client.get("/assessments/new")
    assert page.status_code == 200
    assert 'value="mini@1"' in page.text and 'value="big@1"' in page.text
    assessment_id = start(client)
    index = client.get("/assessments/")
    assert "Check" in index.text and "Draft" in index.text
    assert f"/assessments/{assessment_id}" in index.text


def test_fill_page_shows_questions_levels_and_progress(login):
    client = login("editor")
    assessment_id = start(client)
    page = client.get(f"/assessments/{assessment_id}/pillars/technology")
    assert page.status_code == 200
    assert "How mature is your R&amp;D?" in page.text
    assert "3 — Budgeted." in page.text  # the level's description is the radio label
    assert re.search(r'value="dk"> <span>Don(&#39;|\')t know', page.text)  # allowed here
    # "don't know" is a group of its own, as on number and multiple-choice questions
    assert 'name="special__technology__rd"' in page.text
    assert 'name="q__technology__rd"' in page.text
    assert 'name="comment__technology__rd"' in page.text
    assert 'name="evidence__technology__patents"' not in page.text  # evidence: false
    assert "0 of 5" in page.text and "0 of 2" in page.text
    for pillar in ("data", "infrastructure", "talent"):
        assert f"/assessments/{assessment_id}/pillars/{pillar}" in page.text


def test_saving_a_page_stores_a_draft_and_moves_on(login, db_session):
    client = login("editor")
    assessment_id = start(client)
    response = client.post(
        f"/assessments/{assessment_id}/pillars/technology",
        data={
            "base_revision": "1",
            "special__technology__rd": "dk",
            "q__technology__patents": "yes",
            "comment__technology__rd": "asked the lab",
            "save_next": "1",
        },
    )
    assert response.status_code == 302
    assert response.location.endswith(f"/assessments/{assessment_id}/pillars/data")
    answers = stored_answers(db_session, assessment_id)
    assert answers["technology.rd"].status == "dont_know"
    assert answers["technology.rd"].comment == "asked the lab"
    assert answers["technology.patents"].value is True
    page = client.get(f"/assessments/{assessment_id}/pillars/technology")
    assert "2 of 2" in page.text and "asked the lab" in page.text


def test_multiple_choice_and_number_specials(login, db_session):
    client = login("editor")
    assessment_id = start(client)
    client.post(
        f"/assessments/{assessment_id}/pillars/infrastructure",
        data={"base_revision": "1", "q__infrastructure__network": ["wired", "fiveg"]},
    )
    client.post(
        f"/assessments/{assessment_id}/pillars/talent",
        data={"base_revision": "2", "q__talent__training_hours": "12,5"},
    )
    answers = stored_answers(db_session, assessment_id)
    assert answers["infrastructure.network"].value == ["wired", "fiveg"]
    assert answers["talent.training_hours"].value == 12.5
    both = client.post(
        f"/assessments/{assessment_id}/pillars/infrastructure",
        data={
            "base_revision": "3",
            "q__infrastructure__network": ["wifi"],
            "special__infrastructure__network": "na",
        },
    )
    assert "not both" in both.text
    assert stored_answers(db_session, assessment_id)["infrastructure.network"].value == [
        "wired",
        "fiveg",
    ]


def test_validation_error_keeps_everything_typed(login, db_session):
    client = login("editor")
    assessment_id = start(client)
    response = client.post(
        f"/assessments/{assessment_id}/pillars/talent",
        data={
            "base_revision": "1",
            "q__talent__training_hours": "lots",
            "comment__talent__training_hours": "our HR figures",
            "evidence__talent__training_hours": "HR report 2024",
        },
    )
    assert response.status_code == 200
    field = re.search(r'<div class="field[^"]*has-error">.*?</div>', response.text, re.S).group(0)
    assert 'value="lots"' in field and "Please enter a number" in field
    assert "our HR figures" in response.text and "HR report 2024" in response.text
    # the invalid answer is not stored, but its notes are (audit 2, item 11), and the page says so
    assert "comments and evidence were saved" in response.text
    [row] = stored_answers(db_session, assessment_id).values()
    assert (row.question_id, row.value) == ("talent.training_hours", None)
    assert (row.comment, row.evidence) == ("our HR figures", "HR report 2024")
    revision = re.search(r'name="base_revision" type="hidden" value="(\d+)"', response.text)
    out_of_range = client.post(
        f"/assessments/{assessment_id}/pillars/talent",
        data={"base_revision": revision.group(1), "q__talent__training_hours": "5000"},
    )
    assert "from 0 to 1000" in out_of_range.text and 'value="5000"' in out_of_range.text
    assert stored_answers(db_session, assessment_id) == {}  # notes emptied, nothing else stored


def test_conflict_is_explained_and_the_other_answer_kept(login, db_session):
    editor, owner = login("editor"), login("owner")
    assessment_id = start(editor)
    url = f"/assessments/{assessment_id}/pillars/technology"
    owner.post(url, data={"base_revision": "1", "q__technology__rd": "4"})
    response = editor.post(url, data={"base_revision": "1", "q__technology__rd": "1"})
    assert response.status_code == 200
    assert "Someone else changed some answers" in response.text
    assert "Olga" in response.text and "4 — Strategic." in response.text
    assert "1 — Ad hoc." in response.text
    assert stored_answers(db_session, assessment_id)["technology.rd"].value == 4


def test_review_submit_and_results(login, db_session):
    client = login("editor")
    assessment_id = start(client)
    client.post(
        f"/assessments/{assessment_id}/pillars/technology",
        data={"base_revision": "1", "q__technology__rd": "3", "q__technology__patents": "no"},
    )
    review = client.get(f"/assessments/{assessment_id}/review")
    assert "Unanswered questions (3)" in review.text
    assert f"/assessments/{assessment_id}/pillars/data#q__data__governance-q" in review.text
    refused = client.post(f"/assessments/{assessment_id}/submit", data={})
    assert refused.status_code == 200 and "Please confirm" in refused.text
    done = client.post(f"/assessments/{assessment_id}/submit", data={"confirm_incomplete": "y"})
    assert done.location.endswith(f"/assessments/{assessment_id}/results")
    db_session.expire_all()
    doc = db_session.get(Assessment, assessment_id).result["en"]
    results = client.get(done.location)
    assert results.status_code == 200
    assert doc["overall"]["level_name"] in results.text
    for pillar in doc["pillars"].values():
        assert pillar["title"] in results.text
    first = doc["recommendations"][0]
    assert first["title"] in results.text and f"paper §{first['paper']}" in results.text
    assert first["actions"][0]["text"] in results.text
    assert "Months 0–6" in results.text and "What would move us up" in results.text
    chinese = client.get(f"{done.location}?lang=zh")
    assert (
        db_session.get(Assessment, assessment_id).result["zh"]["pillars"]["data"]["title"]
        in chinese.text
    )
    locked = client.get(f"/assessments/{assessment_id}/pillars/technology")
    assert locked.status_code == 302 and locked.location.endswith("/results")


def test_roles_viewer_reads_results_owner_reopens(login, db_session):
    editor, viewer, owner = login("editor"), login("viewer"), login("owner")
    assessment_id = start(editor)
    url = f"/assessments/{assessment_id}"
    assert viewer.get(f"{url}/pillars/technology").status_code == 403
    assert viewer.post(f"{url}/pillars/technology", data={"base_revision": "1"}).status_code == 403
    assert viewer.get("/assessments/new").status_code == 403
    assert viewer.post(f"{url}/submit", data={"confirm_incomplete": "y"}).status_code == 403
    editor.post(f"{url}/submit", data={"confirm_incomplete": "y"})
    assert viewer.get(f"{url}/results").status_code == 200
    assert "Reopen" not in viewer.get(f"{url}/results").text
    assert editor.post(f"{url}/reopen").status_code == 403
    assert "Reopen" in owner.get(f"{url}/results").text
    assert owner.post(f"{url}/reopen").status_code == 302
    db_session.expire_all()
    assert db_session.get(Assessment, assessment_id).status == "draft"


def test_other_organisation_gets_404(login):
    assessment_id = start(login("editor"))
    stranger = login("stranger")
    for path in ("", "/pillars/technology", "/review", "/results"):
        assert stranger.get(f"/assessments/{assessment_id}{path}").status_code == 404
    for path in ("/submit", "/reopen", "/pillars/technology"):
        assert stranger.post(f"/assessments/{assessment_id}{path}").status_code == 404
    assert "Check" not in stranger.get("/assessments/").text


def test_unknown_pillar_is_404(login):
    client = login("editor")
    assessment_id = start(client)
    assert client.get(f"/assessments/{assessment_id}/pillars/nope").status_code == 404


def _queries(app: Flask, client: FlaskClient, path: str) -> int:
    return len(page_statements(app, client, path))


def test_queries_per_page_do_not_grow_with_questions(app, login, db_session):
    client = login("editor")
    small, big = start(client, "mini@1"), start(client, "big@1")
    for assessment_id, extra in ((small, 0), (big, 30)):
        answers = {"base_revision": "1", "q__technology__rd": "2"}
        answers |= {f"q__technology__extra{n}": "3" for n in range(extra)}
        client.post(f"/assessments/{assessment_id}/pillars/technology", data=answers)
    assert len(stored_answers(db_session, big)) == 31
    for page in ("pillars/technology", "review"):
        assert _queries(app, client, f"/assessments/{small}/{page}") == _queries(
            app, client, f"/assessments/{big}/{page}"
        )
    results = []
    for assessment_id in (small, big):  # each measured as the latest (a repeat may be offered)
        client.post(f"/assessments/{assessment_id}/submit", data={"confirm_incomplete": "y"})
        results.append(_queries(app, client, f"/assessments/{assessment_id}/results"))
    assert results[0] == results[1]


def _hidden_revision(html: str) -> str:
    """The base revision the page's form carries."""
    return re.search(r'name="base_revision"[^>]*value="(\d+)"', html).group(1)


def test_validation_error_saves_the_valid_answers_of_the_page(login, db_session):
    client = login("editor")
    assessment_id = start(client, "big@1")
    too_long = "x" * 5001
    data = {"base_revision": "1", "q__technology__patents": "yes"}
    data |= {f"q__technology__extra{n}": "2" for n in range(9)}
    data |= {"q__technology__rd": "3", "comment__technology__rd": too_long}
    url = f"/assessments/{assessment_id}/pillars/technology"
    response = client.post(url, data=data)
    assert response.status_code == 200
    answers = stored_answers(db_session, assessment_id)
    assert set(answers) == {"technology.patents"} | {f"technology.extra{n}" for n in range(9)}
    assert answers["technology.patents"].value is True and answers["technology.extra8"].value == 2
    assert "technology.rd" not in answers  # held back as a whole, with its comment
    assert "Saved 10 answers on this page." in response.text
    assert "1 needs correcting before it can be saved" in response.text
    assert "nothing on this page was saved" not in response.text
    field = re.search(r'<div class="field\s+has-error">.*?</div>', response.text, re.S).group(0)
    assert too_long in field and "5000" in field
    assert re.search(r'<input checked[^>]*name="q__technology__rd"[^>]*value="3"', response.text)
    assert "10 of 32" in response.text  # the progress counts what was saved
    # Corrected and saved again from the page as shown: no conflict with one's own draft.
    fixed = data | {"base_revision": _hidden_revision(response.text), "comment__technology__rd": ""}
    assert _hidden_revision(response.text) == "2"
    assert client.post(url, data=fixed).status_code == 302
    assert stored_answers(db_session, assessment_id)["technology.rd"].value == 3


def test_validation_error_with_a_conflict_keeps_theirs_and_the_typed_value(login, db_session):
    editor, owner = login("editor"), login("owner")
    assessment_id = start(editor)
    url = f"/assessments/{assessment_id}/pillars/technology"
    owner.post(url, data={"base_revision": "1", "q__technology__patents": "no"})
    response = editor.post(
        url,
        data={
            "base_revision": "1",
            "q__technology__patents": "yes",
            "q__technology__rd": "2",
            "comment__technology__rd": "y" * 5001,
        },
    )
    assert response.status_code == 200
    assert "Someone else changed some answers" in response.text and "Olga" in response.text
    assert "Saved 0 answers on this page." in response.text
    assert re.search(
        r'<input checked[^>]*name="q__technology__patents"[^>]*value="no"', response.text
    )
    assert "y" * 5001 in response.text
    answers = stored_answers(db_session, assessment_id)
    assert answers["technology.patents"].value is False and "technology.rd" not in answers


def test_validation_error_in_a_question_changed_meanwhile_keeps_the_old_revision(login, db_session):
    editor, owner = login("editor"), login("owner")
    assessment_id = start(editor)
    url = f"/assessments/{assessment_id}/pillars/technology"
    owner.post(url, data={"base_revision": "1", "q__technology__rd": "4"})
    data = {"base_revision": "1", "q__technology__rd": "2", "comment__technology__rd": "z" * 5001}
    response = editor.post(url, data=data | {"q__technology__patents": "yes"})
    assert "Saved 1 answer on this page." in response.text
    assert _hidden_revision(response.text) == "1"
    # The corrected answer still meets the owner's newer one as a conflict, not silently over it.
    again = editor.post(
        url, data=data | {"comment__technology__rd": "", "q__technology__patents": "yes"}
    )
    assert "Someone else changed some answers" in again.text
    assert stored_answers(db_session, assessment_id)["technology.rd"].value == 4


def test_page_without_its_revision_saves_nothing(login, db_session):
    client = login("editor")
    assessment_id = start(client)
    response = client.post(
        f"/assessments/{assessment_id}/pillars/technology", data={"q__technology__patents": "yes"}
    )
    assert response.status_code == 200
    assert "nothing on this page was saved" in response.text
    assert stored_answers(db_session, assessment_id) == {}


def _hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html).group(1)


@pytest.mark.parametrize("editor_changes_rd", [False, True])
def test_stale_form_conflicts_only_on_questions_its_user_changed(
    login, db_session, editor_changes_rd: bool
):
    editor, owner = login("editor"), login("owner")
    assessment_id = start(editor)
    url = f"/assessments/{assessment_id}/pillars/technology"
    editor.post(url, data={"base_revision": "1", "q__technology__rd": "2"})
    page = editor.get(url).text  # the editor's form shows rd = 2 …
    owner_page = owner.get(url).text
    owner.post(  # … while the owner changes rd to 4
        url,
        data={
            "base_revision": _hidden(owner_page, "base_revision"),
            "loaded": _hidden(owner_page, "loaded"),
            "q__technology__rd": "4",
        },
    )
    response = editor.post(
        url,
        data={
            "base_revision": _hidden(page, "base_revision"),
            "loaded": _hidden(page, "loaded"),
            "q__technology__rd": "1" if editor_changes_rd else "2",
            "q__technology__patents": "yes",
        },
    )
    answers = stored_answers(db_session, assessment_id)
    assert answers["technology.rd"].value == 4  # the owner's newer answer is never overwritten
    assert answers["technology.patents"].value is True
    if editor_changes_rd:
        assert response.status_code == 200 and "Someone else changed some answers" in response.text
    else:  # the editor left rd as shown: nothing to resolve
        assert response.status_code == 302


def test_page_with_an_error_shows_newer_answers_to_untouched_questions(login, db_session):
    editor, owner = login("editor"), login("owner")
    assessment_id = start(editor)
    url = f"/assessments/{assessment_id}/pillars/technology"
    editor.post(url, data={"base_revision": "1", "q__technology__rd": "2"})
    page = editor.get(url).text
    owner_page = owner.get(url).text
    owner.post(
        url,
        data={
            "base_revision": _hidden(owner_page, "base_revision"),
            "loaded": _hidden(owner_page, "loaded"),
            "q__technology__rd": "4",
        },
    )
    shown = {"base_revision": _hidden(page, "base_revision"), "loaded": _hidden(page, "loaded")}
    # rd left as shown (2), patents given an impossible value: a partial save.
    response = editor.post(
        url, data=shown | {"q__technology__rd": "2", "q__technology__patents": "x"}
    )
    assert response.status_code == 200
    assert re.search(r'<input checked[^>]*name="q__technology__rd"[^>]*value="4"', response.text)
    # Corrected and sent again as the page now shows it: the owner's 4 survives.
    again = {
        "base_revision": _hidden(response.text, "base_revision"),
        "loaded": _hidden(response.text, "loaded"),
        "q__technology__rd": "4",
        "q__technology__patents": "yes",
    }
    assert editor.post(url, data=again).status_code == 302
    answers = stored_answers(db_session, assessment_id)
    assert answers["technology.rd"].value == 4 and answers["technology.patents"].value is True
