"""History, repeat with prefill, the compare pages and the comparison downloads."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.models import Answer
from readiness.models import Assessment
from readiness.services import assessments as svc
from tests.assessment_data import MINI
from tests.assessment_data import write_questionnaires
from tests.conftest import TEST_PASSWORD
from tests.conftest import test_config

FIRST = {
    "technology.rd": 1,
    "technology.patents": False,
    "data.governance": "nobody",
    "talent.training_hours": 30,
}
SECOND = {
    "technology.rd": 4,
    "technology.patents": True,
    "data.governance": "owner_named",
    "talent.training_hours": 30,
}


def _visible(html: str) -> str:
    """The page's text without its tags (cells wrap parts of their text in spans)."""
    return re.sub(r"<[^>]+>", "", html)


@pytest.fixture
def app_config(database_url: str, tmp_path: Any) -> dict[str, Any]:
    """mini (versions 1 and, with `second_version`, 2 where a question is renamed)."""
    directory = write_questionnaires(tmp_path / "questionnaires", extra_questions=0)
    return test_config(database_url, QUESTIONNAIRE_DIR=str(directory))


def add_version_two(app: Flask) -> None:
    """Write mini/2.yaml (talent.training_hours became talent.training_days) and reload."""
    directory = Path(app.config["QUESTIONNAIRE_DIR"])
    text = MINI.read_text(encoding="utf-8").replace("version: 1", "version: 2")
    (directory / "mini" / "2.yaml").write_text(
        text.replace("talent.training_hours", "talent.training_days"), encoding="utf-8"
    )
    app.extensions["catalogue"] = type(app.extensions["catalogue"]).load(directory)


@pytest.fixture
def team(make_user: Any, make_org: Any) -> dict[str, Any]:
    """Acme with an owner, an editor and a viewer; a stranger owning another organisation."""
    owner, editor, viewer, stranger = (make_user(name=n) for n in ("Olga", "Eddie", "Vera", "Sam"))
    org = make_org(owner=owner, name="Acme", members={editor: "editor", viewer: "viewer"})
    other = make_org(owner=stranger, name="Other")
    return {
        "org": org,
        "other": other,
        "owner": owner,
        "editor": editor,
        "viewer": viewer,
        "stranger": stranger,
    }


@pytest.fixture
def submitted(app: Flask, db_session: Session, team: dict[str, Any]) -> Callable[..., int]:
    """Create a submitted mini assessment through the services; returns its ID."""

    def make(
        answers: dict[str, Any],
        when: datetime,
        org: str = "org",
        version: int = 1,
        notes: dict[str, tuple[str, str]] | None = None,
    ) -> int:
        q = app.extensions["catalogue"].get("mini", version)
        user = team["owner"] if org == "org" else team["stranger"]
        assessment = svc.start_assessment(db_session, team[org], q, user, f"Check {when:%Y-%m}")
        page = {
            qid: svc.PageAnswer("answered", value, *(notes or {}).get(qid, ("", "")))
            for qid, value in answers.items()
        }
        page["infrastructure.network"] = svc.PageAnswer("not_applicable")
        svc.save_answers(db_session, assessment, q, page, assessment.revision, user)
        svc.submit(db_session, assessment, q, user, confirm_incomplete=True)
        assessment.submitted_at = when
        db_session.commit()
        return assessment.id

    return make


def test_history_lists_assessments_with_levels_and_a_trend_chart(login, submitted) -> None:
    submitted(FIRST, datetime(2024, 1, 15, tzinfo=UTC))
    submitted(SECOND, datetime(2025, 1, 15, tzinfo=UTC))
    page = login("viewer").get("/compare/history")
    assert page.status_code == 200
    assert "Jan 15, 2024" in page.text and "Jan 15, 2025" in page.text  # the locale's format
    assert page.text.index("Jan 15, 2024") < page.text.index("Jan 15, 2025")  # oldest first
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="trend"' in page.text
    chinese = login("viewer").get("/compare/history?lang=zh").text
    assert "2024年1月15日" in chinese and "2025-01-15" not in chinese  # dates as zh writes them
    # overall, technology, data, talent; infrastructure (only N/A) has no score: no line
    assert page.text.count("<polyline") == 4
    assert "Repeat the assessment" not in page.text  # viewers cannot repeat
    assert "Repeat the assessment" in login("editor").get("/compare/history").text


def test_repeat_prefills_answers_comments_and_evidence(login, submitted, db_session) -> None:
    notes = {"technology.rd": ("budget since 2023", "minutes 12/2023")}
    first = submitted(FIRST, datetime(2024, 1, 15, tzinfo=UTC), notes=notes)
    client = login("editor")
    response = client.post("/compare/repeat", data={"title": "Second round"})
    assert response.status_code == 302
    new_id = int(re.search(r"/assessments/(\d+)/pillars/technology", response.location).group(1))
    db_session.expire_all()
    draft = db_session.get(Assessment, new_id)
    assert (draft.status, draft.previous_assessment_id, draft.title) == (
        "draft",
        first,
        "Second round",
    )
    rows = {
        a.question_id: a
        for a in db_session.scalars(select(Answer).where(Answer.assessment_id == new_id))
    }
    assert rows["technology.rd"].value == 1
    assert (rows["technology.rd"].comment, rows["technology.rd"].evidence) == notes["technology.rd"]
    assert rows["infrastructure.network"].status == "not_applicable"
    assert set(rows) == set(FIRST) | {"infrastructure.network"}
    page = client.get(response.location)
    assert "Last time: 1 — Ad hoc." in page.text
    assert "Last time: No" in page.text


def test_repeat_with_a_new_version_copies_only_questions_that_still_exist(
    app, login, submitted, db_session
) -> None:
    submitted(FIRST, datetime(2024, 1, 15, tzinfo=UTC))
    add_version_two(app)
    client = login("editor")
    response = client.post("/compare/repeat", data={"title": "On version 2"})
    new_id = int(re.search(r"/assessments/(\d+)/", response.location).group(1))
    db_session.expire_all()
    draft = db_session.get(Assessment, new_id)
    assert draft.questionnaire_version == 2
    copied = set(
        db_session.scalars(select(Answer.question_id).where(Answer.assessment_id == new_id))
    )
    assert "talent.training_hours" not in copied and "technology.rd" in copied
    assert "1 earlier answers were not copied" in client.get(response.location).text


def test_repeat_needs_a_submitted_assessment_and_an_editor(login) -> None:
    client = login("editor")
    response = client.post("/compare/repeat", data={"title": "x"}, follow_redirects=True)
    assert "There is no submitted assessment to repeat yet." in response.text
    assert login("viewer").post("/compare/repeat", data={"title": "x"}).status_code == 403


def test_two_assessments_side_by_side(login, submitted) -> None:
    a = submitted(FIRST, datetime(2024, 1, 15, tzinfo=UTC))
    b = submitted(SECOND, datetime(2025, 1, 15, tzinfo=UTC))
    page = login("viewer").get(f"/compare/?ids={b}&ids={a}")
    assert page.status_code == 200
    text = _visible(page.text)
    # technology: rd 1 → 20 (level 1), patents no → 0: 10.0; after rd 4 → 80, yes → 100: 90.0
    assert "10.0 · Level 0" in text and "90.0 · Level 4" in text and "+80.0" in text
    assert "▲ improved" in text
    assert page.text.count('class="radar"') == 2  # pillars and challenge areas, both assessments
    assert "6.2" in text and ("progressed" in text or "reached the target level" in text)
    assert "Addressed" not in text  # says what happened instead
    assert "Nobody" in text and "A named owner" in text  # old and new answer
    assert text.index("Jan 15, 2024") < text.index("Jan 15, 2025")  # before is the older one


def test_more_than_two_is_a_table_over_time(login, submitted) -> None:
    ids = [
        submitted(FIRST, datetime(2023, 1, 1, tzinfo=UTC)),
        submitted({**FIRST, "technology.rd": 3}, datetime(2024, 1, 1, tzinfo=UTC)),
        submitted(SECOND, datetime(2025, 1, 1, tzinfo=UTC)),
    ]
    page = login("viewer").get("/compare/?" + "&".join(f"ids={i}" for i in ids))
    assert page.status_code == 200
    assert "3 assessments over time" in page.text
    text = _visible(page.text)
    assert "10.0 · Level 0" in text and "30.0" in text and "90.0 · Level 4" in text


def test_downloads_csv_html_pdf(login, submitted) -> None:
    a = submitted(FIRST, datetime(2024, 1, 15, tzinfo=UTC))
    b = submitted(SECOND, datetime(2025, 1, 15, tzinfo=UTC))
    client = login("viewer")
    response = client.get(f"/compare/report.csv?ids={a}&ids={b}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    tech = next(r for r in rows if r["section"] == "pillar" and r["id"] == "technology")
    assert (tech["before"], tech["after"], tech["change"], tech["trend"]) == (
        "10.0",
        "90.0",
        "80.0",
        "improved",
    )
    html = client.get(f"/compare/report.html?ids={a}&ids={b}")
    assert html.status_code == 200 and "<style>" in html.text and "Comparison report" in html.text
    assert "attachment" in html.headers["Content-Disposition"]
    assert html.headers["Content-Type"] == "text/html; charset=utf-8"
    pdf = client.get(f"/compare/report.pdf?ids={a}&ids={b}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert client.get(f"/compare/report.doc?ids={a}&ids={b}").status_code == 404


def test_another_organisations_assessment_is_not_found(login, submitted) -> None:
    mine = submitted(FIRST, datetime(2024, 1, 15, tzinfo=UTC))
    theirs = submitted(SECOND, datetime(2025, 1, 15, tzinfo=UTC), org="other")
    client = login("owner")
    assert client.get(f"/compare/?ids={mine}&ids={theirs}").status_code == 404
    assert client.get(f"/compare/report.csv?ids={mine}&ids={theirs}").status_code == 404
    assert client.get("/compare/?ids=999999&ids=1").status_code == 404
    anonymous = client.application.test_client()
    assert anonymous.get(f"/compare/?ids={mine}&ids={theirs}").status_code == 302


def test_fewer_than_two_or_drafts_go_back_with_a_message(
    login, submitted, db_session, team
) -> None:
    a = submitted(FIRST, datetime(2024, 1, 15, tzinfo=UTC))
    client = login("owner")
    response = client.get(f"/compare/?ids={a}", follow_redirects=True)
    assert "Choose at least two assessments to compare." in response.text
    q_draft = svc.start_assessment(
        db_session,
        team["org"],
        client.application.extensions["catalogue"].get("mini", 1),
        team["owner"],
        "Draft",
    )
    response = client.get(f"/compare/?ids={a}&ids={q_draft.id}", follow_redirects=True)
    assert response.status_code == 200
    assert "Compare" in response.text and "10.0 · Level 0" not in _visible(response.text)


def test_the_nav_the_list_and_the_dashboard_link_to_the_history(login) -> None:
    client = login("viewer")
    for url in ("/", "/assessments/"):
        page = client.get(url).text
        nav = page[page.index('<nav class="main-nav"') : page.index("</nav>")]
        assert 'href="/compare/history"' in nav and "History and comparison" in nav
    assert page.count('href="/compare/history"') == 2  # the nav and the assessments list


def test_results_of_the_latest_submitted_offer_a_repeat_to_editors_only(
    app, make_app, login, submitted, db_session, team
) -> None:
    older = submitted(FIRST, datetime(2024, 1, 15, tzinfo=UTC))
    latest = submitted(SECOND, datetime(2025, 1, 15, tzinfo=UTC))
    editor = login("editor")
    assert "/compare/repeat" not in editor.get(f"/assessments/{older}/results").text
    viewer_page = login("viewer").get(f"/assessments/{latest}/results").text
    assert "/compare/repeat" not in viewer_page and 'href="/compare/history"' in viewer_page
    # with CSRF on, as in production: the button is a POST form carrying its token
    client = make_app(
        WTF_CSRF_ENABLED=True, QUESTIONNAIRE_DIR=app.config["QUESTIONNAIRE_DIR"]
    ).test_client()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").text)
    form = {"email": team["editor"].email, "password": TEST_PASSWORD, "csrf_token": token.group(1)}
    assert client.post("/login", data=form).status_code == 302
    page = client.get(f"/assessments/{latest}/results").text
    button = re.search(r'<form method="post" action="/compare/repeat".*?</form>', page, re.S)
    assert button is not None and "Repeat the assessment" in button.group(0)
    inputs = re.findall(r"<input[^>]*>", button.group(0))
    # the title is asked for (a visible, labelled box), not hidden
    title_box = next(i for i in inputs if 'name="title"' in i)
    assert 'type="text"' in title_box and '<label for="title">' in button.group(0)
    fields = {
        re.search(r'name="(\w+)"', i).group(1): re.search(r'value="([^"]*)"', i).group(1)
        for i in inputs
    }
    assert set(fields) == {"csrf_token", "title"}
    assert client.post("/compare/repeat", data={"title": fields["title"]}).status_code == 400
    response = client.post("/compare/repeat", data=fields)
    assert response.status_code == 302 and "/pillars/technology" in response.location
    db_session.expire_all()
    draft = db_session.scalars(
        select(Assessment).where(Assessment.previous_assessment_id == latest)
    ).one()
    assert draft.status == "draft" and draft.title.startswith("Assessment of Acme, ")
    # a second click offers the draft already started instead of piling up another one
    again = client.post("/compare/repeat", data=fields)
    assert again.status_code == 302 and again.location.endswith(f"/assessments/{draft.id}")
    db_session.expire_all()
    repeats = select(Assessment).where(Assessment.previous_assessment_id == latest)
    assert len(db_session.scalars(repeats).all()) == 1
    page = client.get(f"/assessments/{latest}/results").text
    assert "/compare/repeat" not in page and f'href="/assessments/{draft.id}"' in page
    assert "Continue the repeat" in page
    history = client.get("/compare/history").text
    assert "/compare/repeat" not in history and "Continue the repeat" in history


def test_a_draft_repeating_an_older_assessment_is_offered_nowhere(
    app, login, submitted, db_session, team
) -> None:
    """Only the latest submission is repeated: a draft that repeats an older one is no repeat."""
    older = submitted(FIRST, datetime(2024, 1, 15, tzinfo=UTC))
    latest = submitted(SECOND, datetime(2025, 1, 15, tzinfo=UTC))
    q = app.extensions["catalogue"].get("mini", 1)
    draft = svc.start_assessment(db_session, team["org"], q, team["owner"], "Stray draft")
    draft.previous_assessment_id = older
    db_session.commit()
    editor = login("editor")
    assert "Stray draft" not in editor.get(f"/assessments/{older}/results").text
    page = editor.get(f"/assessments/{latest}/results").text
    assert "Stray draft" not in page and "/compare/repeat" in page  # the latest is offered anew
    draft.previous_assessment_id = latest
    db_session.commit()
    page = editor.get(f"/assessments/{latest}/results").text
    assert f'href="/assessments/{draft.id}"' in page and "/compare/repeat" not in page


def test_a_draft_among_the_chosen_gets_a_clear_message(login, submitted, db_session, team) -> None:
    a = submitted(FIRST, datetime(2024, 1, 15, tzinfo=UTC))
    client = login("owner")
    draft = svc.start_assessment(
        db_session,
        team["org"],
        client.application.extensions["catalogue"].get("mini", 1),
        team["owner"],
        "Draft",
    )
    response = client.get(f"/compare/?ids={a}&ids={draft.id}", follow_redirects=True)
    assert "Choose submitted assessments of this organisation to compare." in response.text
    assert "not a valid choice" not in response.text


def test_an_unknown_report_format_is_the_friendly_404_page(login, submitted) -> None:
    a = submitted(FIRST, datetime(2024, 1, 15, tzinfo=UTC))
    b = submitted(SECOND, datetime(2025, 1, 15, tzinfo=UTC))
    for url in ("/compare/report.xyz", f"/compare/report.xyz?ids={a}&ids={b}"):
        response = login("viewer").get(url)
        assert response.status_code == 404
        assert "Page not found" in response.text and '<nav class="main-nav"' in response.text


def test_repeat_follows_the_new_versions_map_of_question_ids(
    app, login, submitted, db_session
) -> None:
    """A version that maps a renamed question's old ID gets the old answer under the new ID."""
    submitted(FIRST, datetime(2024, 1, 15, tzinfo=UTC))
    directory = Path(app.config["QUESTIONNAIRE_DIR"])
    text = MINI.read_text(encoding="utf-8").replace(
        "version: 1",
        "version: 2\nprevious:\n  version: 1\n  questions:\n"
        "    talent.training_hours: talent.training_days\n",
    )
    (directory / "mini" / "2.yaml").write_text(
        text.replace("  - id: talent.training_hours", "  - id: talent.training_days"),
        encoding="utf-8",
    )
    app.extensions["catalogue"] = type(app.extensions["catalogue"]).load(directory)
    client = login("editor")
    response = client.post("/compare/repeat", data={"title": "On version 2"})
    new_id = int(re.search(r"/assessments/(\d+)/", response.location).group(1))
    db_session.expire_all()
    rows = {
        a.question_id: a
        for a in db_session.scalars(select(Answer).where(Answer.assessment_id == new_id))
    }
    assert rows["talent.training_days"].value == 30
    assert "talent.training_hours" not in rows
