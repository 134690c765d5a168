"""Report pages: HTML report, downloads, languages, PDF cache, access, and share links."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from readiness.models import Assessment
from readiness.models import ShareLink
from readiness.models.base import utcnow
from readiness.services import assessments
from readiness.services import share_links
from tests.assessment_data import write_questionnaires
from tests.conftest import test_config
from tests.report_data import ORG_NAME
from tests.report_data import submitted_assessment


@pytest.fixture
def app_config(database_url: str, tmp_path: Any) -> dict[str, Any]:
    """The test app with the small questionnaires and a PDF cache in tmp_path."""
    directory = write_questionnaires(tmp_path / "questionnaires", extra_questions=2)
    return test_config(
        database_url,
        QUESTIONNAIRE_DIR=str(directory),
        REPORT_CACHE_DIR=str(tmp_path / "reports"),
    )


@pytest.fixture
def team(app: Flask, db_session: Session, make_user: Any, make_org: Any) -> dict[str, Any]:
    """Owner, viewer and stranger (another org); a submitted and a draft assessment of the org."""
    owner, viewer, stranger = (make_user(name=n) for n in ("Olga", "Vera", "Sam"))
    org = make_org(owner=owner, name=ORG_NAME, members={viewer: "viewer"})
    make_org(owner=stranger, name="Other")
    q = app.extensions["catalogue"].get("mini", 1)
    done = submitted_assessment(db_session, org, owner, q)
    draft = assessments.start_assessment(db_session, org, q, owner, "Draft")
    return {
        "owner": owner,
        "viewer": viewer,
        "stranger": stranger,
        "done": done.id,
        "draft": draft.id,
        "q": q,
    }


def test_viewer_sees_the_report_in_either_language(login, team):
    client = login("viewer")
    page = client.get(f"/assessments/{team['done']}/report")
    assert page.status_code == 200
    assert "Präzisionsteile Müller &amp; Söhne" in page.text
    for pillar in team["q"].pillars:
        assert pillar.title.get("en") in page.text
    assert f"/assessments/{team['done']}/share" not in page.text  # only owners share
    chinese = client.get(f"/assessments/{team['done']}/report?lang=zh")
    for pillar in team["q"].pillars:
        assert pillar.title.get("zh") in chinese.text
    with client.session_transaction() as session:
        assert session.get("lang") is None  # ?lang= chose the report's language, not the app's
    assert "<style" not in page.text  # the page obeys the Content-Security-Policy
    results = client.get(f"/assessments/{team['done']}/results")
    assert f"/assessments/{team['done']}/report" in results.text  # linked from the results


@pytest.mark.parametrize(
    ("fmt", "mimetype", "magic"),
    [
        ("pdf", "application/pdf", b"%PDF"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
        ("csv", "text/csv; charset=utf-8", "\ufeff类型,编号".encode()),  # a Chinese header
        ("json", "application/json", b"{"),
    ],
)
def test_downloads(login, team, fmt, mimetype, magic):
    response = login("viewer").get(f"/assessments/{team['done']}/report.{fmt}?lang=zh")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == mimetype  # exactly: one charset, not two
    assert response.data.startswith(magic)
    assert f"readiness-report-{team['done']}-zh.{fmt}" in response.headers["Content-Disposition"]


def test_download_contents_carry_every_question(login, team):
    client = login("viewer")
    data = json.loads(client.get(f"/assessments/{team['done']}/report.json").data)
    assert set(data["result"]["questions"]) == {q.id for q in team["q"].questions}
    assert data["how_made"]["summary"] == "Self-assessment"
    book = load_workbook(io.BytesIO(client.get(f"/assessments/{team['done']}/report.xlsx").data))
    assert book.sheetnames == ["Answers", "Scores", "Recommendations", "Kind of assessment"]


def test_pdf_is_rendered_once_per_submission_and_language(app, login, team, tmp_path):
    client = login("viewer")
    first = client.get(f"/assessments/{team['done']}/report.pdf")
    cached = list((tmp_path / "reports").glob("*.pdf"))
    assert len(cached) == 1
    cached[0].write_bytes(b"%PDF-from-the-cache")
    again = client.get(f"/assessments/{team['done']}/report.pdf")
    assert first.data.startswith(b"%PDF-1") and again.data == b"%PDF-from-the-cache"
    client.get(f"/assessments/{team['done']}/report.pdf?lang=zh")
    assert len(list((tmp_path / "reports").glob("*.pdf"))) == 2


def test_resubmission_deletes_the_stale_cached_pdfs(app, login, team, tmp_path, db_session):
    client = login("viewer")
    for lang in ("en", "zh"):
        assert client.get(f"/assessments/{team['done']}/report.pdf?lang={lang}").status_code == 200
    old = set((tmp_path / "reports").glob("*.pdf"))
    assert len(old) == 2
    assessment = db_session.get(Assessment, team["done"])
    previous = assessment.submitted_at
    assessments.reopen(db_session, assessment, team["owner"])
    assessments.submit(db_session, assessment, team["q"], team["owner"], confirm_incomplete=True)
    if assessment.submitted_at == previous:  # same clock tick: make the new submission distinct
        assessment.submitted_at = previous + timedelta(seconds=1)
    db_session.commit()
    assert client.get(f"/assessments/{team['done']}/report.pdf").status_code == 200
    now = set((tmp_path / "reports").glob("*.pdf"))
    assert len(now) == 1 and not now & old  # both stale languages are gone, the new one is kept


@pytest.mark.parametrize(
    ("who", "which", "path", "status"),
    [
        ("stranger", "done", "/report", 404),
        ("stranger", "done", "/report.pdf", 404),
        ("owner", "draft", "/report", 404),
        ("viewer", "done", "/report.odt", 404),
        ("viewer", "done", "/share", 403),
        ("stranger", "done", "/share", 404),
    ],
)
def test_access(login, team, who, which, path, status):
    assert login(who).get(f"/assessments/{team[which]}{path}").status_code == status


def test_anonymous_users_are_sent_to_sign_in(app, team):
    response = app.test_client().get(f"/assessments/{team['done']}/report")
    assert response.status_code == 302 and "/login" in response.location


def _create_link(client: FlaskClient, assessment_id: int) -> str:
    page = client.post(f"/assessments/{assessment_id}/share", data={"days": "7"})
    assert page.status_code == 200
    url = re.search(r'value="(http://localhost/shared/[^"]+)"', page.text)
    assert url, page.text
    return url.group(1).removeprefix("http://localhost")


def test_share_link_opens_only_that_report_without_login(app, login, team, db_session):
    path = _create_link(login("owner"), team["done"])
    anonymous = app.test_client()
    shared = anonymous.get(path)
    assert shared.status_code == 200
    assert "Präzisionsteile Müller &amp; Söhne" in shared.text
    assert shared.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in shared.headers["Cache-Control"]
    assert anonymous.get(f"{path}/report.pdf").data.startswith(b"%PDF")
    assert anonymous.get(f"{path}?lang=zh").status_code == 200
    for elsewhere in (
        f"/assessments/{team['done']}/report",
        f"/assessments/{team['done']}/results",
        f"/assessments/{team['done']}/report.json",
        "/assessments/",
    ):
        response = anonymous.get(elsewhere)
        assert response.status_code == 302 and "/login" in response.location
    token = path.rsplit("/", 1)[1]
    assert anonymous.get(f"/shared/{token[:-2]}xx").status_code == 404  # tampered
    stored = db_session.query(ShareLink).one()
    assert token not in stored.token_hash and stored.token_hash == share_links.token_hash(token)


def test_expired_and_revoked_links_say_so(app, login, team, db_session):
    owner = login("owner")
    expiring, revoked = _create_link(owner, team["done"]), _create_link(owner, team["done"])
    links = {link.token_hash: link for link in db_session.query(ShareLink)}
    token = expiring.rsplit("/", 1)[1]
    links[share_links.token_hash(token)].expires_at = utcnow() - timedelta(seconds=1)
    db_session.commit()
    anonymous = app.test_client()
    gone = anonymous.get(expiring)
    assert gone.status_code == 410 and "has expired" in gone.text
    assert anonymous.get(revoked).status_code == 200
    link_id = links[share_links.token_hash(revoked.rsplit("/", 1)[1])].id
    page = owner.get(f"/assessments/{team['done']}/share").text
    assert page.count('data-confirm="Revoke this share link?') == 1  # the one live link asks
    assert (
        login("viewer").post(f"/assessments/{team['done']}/share/{link_id}/revoke").status_code
        == 403
    )
    done = owner.post(f"/assessments/{team['done']}/share/{link_id}/revoke")
    assert done.status_code == 302
    gone = anonymous.get(revoked)
    assert gone.status_code == 410 and "revoked the share link" in gone.text
    assert anonymous.get(f"{revoked}/report.pdf").status_code == 410
    # a made-up or tampered token still tells nothing: the plain 404
    assert anonymous.get(revoked[:-3] + "xyz").status_code == 404
    assert "revoked" in owner.get(f"/assessments/{team['done']}/share").text


def test_links_die_when_the_assessment_is_reopened(app, login, team, db_session):
    path = _create_link(login("owner"), team["done"])
    assessment = db_session.get(Assessment, team["done"])
    assessments.reopen(db_session, assessment, team["owner"])
    assert app.test_client().get(path).status_code == 404


def test_share_service_refuses_drafts_and_other_assessments(db_session, team, app):
    draft = db_session.get(Assessment, team["draft"])
    with pytest.raises(share_links.NotShareable):
        share_links.create_share_link(db_session, draft, team["owner"], "k")
    done = db_session.get(Assessment, team["done"])
    link, token = share_links.create_share_link(db_session, done, team["owner"], "k", days=1)
    assert share_links.resolve_share_link(db_session, token, "k").id == link.id
    with pytest.raises(share_links.LinkNotFound):
        share_links.resolve_share_link(db_session, token, "another secret")
    later = utcnow() + timedelta(days=1, seconds=1)
    with pytest.raises(share_links.LinkNotFound):
        share_links.resolve_share_link(db_session, token, "k", now=later)
    with pytest.raises(share_links.LinkNotFound):
        share_links.revoke_share_link(db_session, draft, link.id)
