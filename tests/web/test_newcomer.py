"""What a newcomer stumbles over (issue 17), page by page: each test fails on the old pages."""

from __future__ import annotations

import re
from html import unescape
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from readiness.languages import single_full_stop
from readiness.services import assessments
from tests.assessment_data import write_questionnaires
from tests.conftest import test_config
from tests.report_data import submitted_assessment

LONG_NAME = "Huaxin Intelligent Manufacturing Technology Co., Ltd."


@pytest.fixture
def app_config(database_url: str, tmp_path: Any) -> dict[str, Any]:
    """The small questionnaires; a PDF cache in tmp_path."""
    directory = write_questionnaires(tmp_path / "questionnaires", extra_questions=0)
    return test_config(
        database_url, QUESTIONNAIRE_DIR=str(directory), REPORT_CACHE_DIR=str(tmp_path / "r")
    )


@pytest.fixture
def team(app: Flask, db_session: Session, make_user: Any, make_org: Any) -> dict[str, Any]:
    """An owner and a viewer of an organisation with a long name; one submitted, one draft."""
    owner, viewer, newcomer = (make_user(name=n) for n in ("Olga", "Vera", "Nina"))
    org = make_org(owner=owner, name=LONG_NAME, members={viewer: "viewer"})
    q = app.extensions["catalogue"].get("mini", 1)
    done = submitted_assessment(db_session, org, owner, q)
    draft = assessments.start_assessment(db_session, org, q, owner, "Half done")
    return {
        "owner": owner,
        "viewer": viewer,
        "newcomer": newcomer,
        "org": org.id,
        "done": done.id,
        "draft": draft.id,
        "q": q,
    }


def _links(html: str) -> set[str]:
    return {unescape(h) for h in re.findall(r'<a [^>]*href="(/[^"#]*)', html)}


def test_a_viewer_is_shown_no_link_that_would_be_refused(login, team):
    """Item 2: crawl every page a viewer can reach; no link leads to 403."""
    client = login("viewer")
    seen: set[str] = set()
    queue = ["/"]
    refused = []
    while queue and len(seen) < 60:
        path = queue.pop(0)
        if path in seen or path.startswith("/static") or "/report." in path:
            continue
        seen.add(path)
        response = client.get(path, follow_redirects=True)
        if response.status_code == 403:
            refused.append(path)
        if response.status_code == 200 and response.mimetype == "text/html":
            queue.extend(sorted(_links(response.text) - seen))
    assert not refused
    assert f"/assessments/{team['done']}/results" in seen  # the crawl got somewhere
    assert f"/assessments/{team['draft']}" not in seen  # the draft is listed, not linked
    # typed by hand, the draft's address says why instead of "not allowed"
    page = client.get(f"/assessments/{team['draft']}", follow_redirects=True)
    assert page.status_code == 200 and "still being filled in" in page.text


def test_setup_leads_straight_to_the_first_assessment(login, team):
    """Item 3: organisation, profile, then "Start your first assessment" — not the form again."""
    client = login("newcomer")
    assert "/organisations/new" in client.get("/assessments/new").location
    created = client.post("/organisations/new", data={"name": "Fresh Parts"})
    profile = created.location
    saved = client.post(profile, data={"name": "Fresh Parts"})
    assert saved.status_code == 302 and saved.location.endswith("/assessments/new")
    page = client.get(saved.location).text
    assert "<h1>Start your first assessment</h1>" in page and "Next: your first assessment" in page
    dashboard = client.get("/").text
    assert "Start your first assessment" in dashboard and "Go to the assessments" not in dashboard


def test_the_results_page_offers_every_format_in_every_language(login, team):
    """Item 4: PDF, Word, Excel, CSV and JSON beside the results, in English and Chinese."""
    client = login("viewer")
    page = client.get(f"/assessments/{team['done']}/results").text
    types = {
        "pdf": "application/pdf",
        "docx": "wordprocessingml",
        "xlsx": "spreadsheetml",
        "csv": "text/csv",
        "json": "application/json",
    }
    for lang in ("en", "zh"):
        for fmt, mime in types.items():
            href = f"/assessments/{team['done']}/report.{fmt}?lang={lang}"
            assert f'href="{href}"' in page.replace("&amp;", "&"), href
            if fmt != "pdf" or lang == "en":  # one PDF is enough to prove the link works
                response = client.get(href)
                assert response.status_code == 200 and mime in response.content_type


def test_invitations_are_listed_mailed_and_withdrawn(app, login, team, monkeypatch):
    """Item 7: open invitations listed; by e-mail address; withdrawn with a confirmation."""
    owner = login("owner")
    members = f"/organisations/{team['org']}/members"
    shown = owner.post(
        f"{members[:-8]}/invitations", data={"role": "viewer", "email": "li@example.com"}
    )
    assert "Mail is not set up here" in shown.text
    link = re.search(r'value="(http[^"]+/join/[^"]+)"', shown.text).group(1)
    page = owner.get(members).text
    assert "Open invitations" in page and "li@example.com" in page
    assert 'data-confirm="Withdraw this invitation?' in page
    # with mail set up the link goes out by e-mail and is not shown
    sent: list[Any] = []

    class FakeSMTP:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pass

        def __enter__(self) -> FakeSMTP:
            return self

        def __exit__(self, *exc: Any) -> None:
            return None

        def send_message(self, message: Any) -> None:
            sent.append(message)

    monkeypatch.setattr("smtplib.SMTP", FakeSMTP)
    app.config["MAIL_SERVER"] = "mail.invalid"
    mailed = owner.post(
        f"{members[:-8]}/invitations",
        data={"role": "editor", "email": "wu@example.com"},
        follow_redirects=True,
    )
    assert "The invitation was sent to wu@example.com." in mailed.text
    assert "/join/" not in mailed.text and len(sent) == 1 and sent[0]["To"] == "wu@example.com"
    assert "/join/" in sent[0].get_content()
    # withdraw the first: its link stops working
    inv_id = re.findall(r"/invitations/(\d+)/revoke", owner.get(members).text)
    assert len(inv_id) == 2
    for i in inv_id:
        assert owner.post(f"{members[:-8]}/invitations/{i}/revoke").status_code == 302
    assert "No open invitations." in owner.get(members).text
    joining = login("newcomer").get(urlsplit(link).path, follow_redirects=True)
    assert "not valid" in joining.text


def test_joining_an_organisation_whose_name_ends_in_a_full_stop(login, team):
    """Item 11: "You have joined … Co., Ltd." with one full stop."""
    owner = login("owner")
    shown = owner.post(f"/organisations/{team['org']}/invitations", data={"role": "viewer"})
    link = re.search(r'value="(http[^"]+/join/[^"]+)"', shown.text).group(1)
    newcomer = login("newcomer")
    joined = newcomer.post(urlsplit(link).path, follow_redirects=True).text
    assert f"You have joined {LONG_NAME}" in unescape(joined)
    assert "Ltd.." not in joined


def test_the_review_page_lists_every_answer_with_dont_know_flagged(app, login, team):
    """Item 12: the answers per pillar, "don't know" and "not applicable" flagged."""
    client = login("owner")
    q = team["q"]
    pillar = q.pillars[0]
    question = q.questions_of(pillar.id)[0]
    name = "special__" + question.id.replace(".", "__")
    client.post(
        f"/assessments/{team['draft']}/pillars/{pillar.id}", data={"base_revision": "1", name: "dk"}
    )
    page = client.get(f"/assessments/{team['draft']}/review").text
    assert "Your answers" in page
    for p in q.pillars:
        assert f"<h3>{p.title.get('en')}</h3>" in page
    for other in q.questions:
        assert unescape(other.text.get("en")) in unescape(page)
    row = re.search(r'<div class="answer-row status-dont_know">.*?</div>', page, re.S).group(0)
    assert question.text.get("en") in unescape(row) and 'class="flag"' in row


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("You have joined Acme Co., Ltd..", "You have joined Acme Co., Ltd."),
        ("您已加入Acme Co., Ltd.。", "您已加入Acme Co., Ltd."),
        ("You have joined Acme.", "You have joined Acme."),
        ("Wait...", "Wait..."),
    ],
)
def test_one_full_stop(sentence, expected):
    assert single_full_stop(sentence) == expected


def test_used_and_expired_invitations_say_so(app, login, team, db_session):
    """Item 6's sibling: an invitation link says it was used or has expired, not just "invalid"."""
    from datetime import timedelta

    from readiness.models import Invitation
    from readiness.models.base import utcnow

    owner = login("owner")
    links = []
    for _ in range(2):
        shown = owner.post(f"/organisations/{team['org']}/invitations", data={"role": "viewer"})
        links.append(urlsplit(re.search(r'value="(http[^"]+/join/[^"]+)"', shown.text).group(1)))
    newcomer = login("newcomer")
    newcomer.post(links[0].path)
    used = newcomer.get(links[0].path, follow_redirects=True).text
    assert "already been used" in used
    for invitation in db_session.query(Invitation).filter(Invitation.accepted_at.is_(None)):
        invitation.expires_at = utcnow() - timedelta(minutes=1)
    db_session.commit()
    expired = login("viewer").get(links[1].path, follow_redirects=True).text
    assert "has expired" in expired
