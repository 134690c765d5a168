"""Every page in Chinese: walk each GET route as an owner with submitted assessments."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from readiness.domain.plan_links import candidates
from readiness.domain.questionnaire import Question
from readiness.domain.questionnaire import Questionnaire
from readiness.services import assessments as service
from readiness.services import plans
from readiness.services import programmes
from readiness.services import respondents
from readiness.services.share_links import create_share_link
from tests import factories
from tests.i18n_checks import data_texts
from tests.i18n_checks import english_words
from tests.test_i18n import compiled_catalogs  # noqa: F401  (the .mo files the pages need)

ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}
OWNER_EMAIL = "wang@example.com"
# Routes whose every page is a redirect or a file download checked separately.
SKIPPED_ENDPOINTS = {"static"}

# The API reference: its summaries and descriptions are translated (api/doc_texts.py).
API_REFERENCE = "/api/v1/docs"
CODE = re.compile(r"<code>.*?</code>", re.S)

def _value(question: Question, step: int) -> Any:
    """A plausible answer of `question` (varied by `step` so the levels differ)."""
    if question.type == "level":
        return step % 6
    if question.type == "single_choice":
        return question.options[step % len(question.options)].id
    if question.type == "multiple_choice":
        return [question.options[0].id]
    if question.type == "yes_no":
        return step % 2 == 0
    low, high = question.min or 0, question.max or 100
    return low + (high - low) / 2


def _submitted(
    session: Session, org: Any, questionnaire: Questionnaire, user: Any, title: str, shift: int
) -> Any:
    """A submitted assessment with every question answered (one not applicable if allowed)."""
    assessment = service.start_assessment(session, org, questionnaire, user, title)
    page = {}
    for step, question in enumerate(questionnaire.questions):
        if question.not_applicable and step == 3:
            page[question.id] = service.PageAnswer(service.NOT_APPLICABLE)
        else:
            value = _value(question, step + shift)
            page[question.id] = service.PageAnswer(service.ANSWERED, value, "备注", "质量手册")
    service.save_answers(session, assessment, questionnaire, page, assessment.revision, user)
    return service.submit(session, assessment, questionnaire, user)


def _collaboration(
    session: Session, org: Any, questionnaire: Questionnaire, owner: Any, colleague: Any
) -> tuple[Any, Any]:
    """A several-respondent draft whose two respondents submitted apart answers (a disagreement)
    and an on-site evaluation by the colleague, awaiting the owner's review."""
    team = service.start_assessment(
        session, org, questionnaire, owner, "团队评估", kind="respondents"
    )
    respondents.assign(session, team, owner, {owner.id: None, colleague.id: None})
    question = next(q for q in questionnaire.questions if q.type == "level")
    for user, level in ((owner, 1), (colleague, 4)):
        part = respondents.respondent_for(session, team, user)
        page = {question.id: service.PageAnswer(service.ANSWERED, level)}
        respondents.save_own_answers(session, part, questionnaire, page, part.revision, user)
        respondents.submit_part(session, part, user)
    visit = service.start_assessment(session, org, questionnaire, colleague, "现场", kind="on_site")
    page = {question.id: service.PageAnswer(service.ANSWERED, 3, "现场查看")}
    service.save_answers(session, visit, questionnaire, page, visit.revision, colleague)
    service.submit(session, visit, questionnaire, colleague, confirm_incomplete=True)
    return team, visit


@pytest.fixture
def owner_site(app: Flask, db_session: Session) -> dict[str, Any]:
    """An owner signed in, a company profile, two submitted assessments, a draft, a share link."""
    questionnaire = app.extensions["catalogue"].get(app.config["FLAGSHIP_QUESTIONNAIRE"])
    owner = factories.make_user(db_session, OWNER_EMAIL, "王经理")
    colleague = factories.make_user(db_session, "li@example.com", "李工")
    profile = {f.id: (f.options[0].id if f.options else True) for f in questionnaire.profile}
    org = factories.make_org(
        db_session, owner, "华东精密机械有限公司", {colleague: "editor"}, profile
    )
    first = _submitted(db_session, org, questionnaire, owner, "2024年评估", 1)
    second = _submitted(db_session, org, questionnaire, owner, "2025年评估", 3)
    draft = service.start_assessment(db_session, org, questionnaire, owner, "2026年评估")
    _link, token = create_share_link(db_session, second, owner, app.config["SECRET_KEY"])
    offered = candidates(questionnaire, service.stored_result(db_session, second, "zh"))
    adopted = plans.adopt(db_session, org, owner, second, offered).added
    plans.set_status(db_session, adopted[0], owner, "done", adopted[0].revision)
    plans.set_status(db_session, adopted[1], owner, "dropped", adopted[1].revision, "预算不足")
    team, visit = _collaboration(db_session, org, questionnaire, owner, colleague)
    programme = programmes.create_programme(
        db_session, owner, org.id, "2026年试点园区", [questionnaire.id], date(2020, 1, 1)
    )
    firm_owner = factories.make_user(db_session, "firm@example.com", "赵总")
    firm = factories.make_org(db_session, firm_owner, "苏州精工有限公司", profile=profile)
    _p, join_token = programmes.invite_firm(db_session, owner, programme)
    participation = programmes.join(db_session, firm_owner, join_token, firm.id, "answers")
    _submitted(db_session, firm, questionnaire, firm_owner, "首次评估", 2)
    _p, programme_token = programmes.invite_firm(db_session, owner, programme, "a@example.com")
    _p, expired_token = programmes.invite_firm(
        db_session, owner, programme, valid_for=timedelta(seconds=-1)
    )
    client = app.test_client()
    response = client.post(
        "/login", data={"email": OWNER_EMAIL, "password": factories.DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    return {
        "programme_id": programme.id,
        "participation_id": participation.id,
        "programme_token": programme_token,
        "expired_token": expired_token,
        "client": client,
        "org_id": org.id,
        "user_id": colleague.id,
        "assessment_id": second.id,
        "draft_id": draft.id,
        "action_id": adopted[0].id,
        "ids": [first.id, second.id],
        "pillar_id": questionnaire.pillars[0].id,
        "token": token,
        "team_id": team.id,
        "visit_id": visit.id,
        # The questionnaire's own texts and ids are data, checked by the questionnaire validator.
        "data": data_texts(questionnaire)
        | {questionnaire.id, questionnaire.key}
        # the audit log's targets and the origin of events recorded from services ("cli")
        | {f"programme:{programme.id}", "cli"}
        | {f"participation:{i}" for i in range(1, participation.id + 3)},
    }


def _urls(app: Flask, site: dict[str, Any]) -> list[str]:
    """One URL per GET route (with the site's ids), plus pages reached only with a query."""
    values = {
        "org_id": site["org_id"],
        "user_id": site["user_id"],
        "assessment_id": site["assessment_id"],
        "pillar_id": site["pillar_id"],
        "action_id": site["action_id"],
        "token": site["token"],
        "fmt": "html",
        "programme_id": site["programme_id"],
        "participation_id": site["participation_id"],
    }
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in (rule.methods or ()) or rule.endpoint in SKIPPED_ENDPOINTS:
                continue
            # The API answers JSON; its reference page is added below.
            if rule.endpoint.startswith("api."):
                continue
            unknown = set(rule.arguments) - set(values)
            assert not unknown, f"{rule.rule}: add a sample value for {sorted(unknown)} here"
            urls.append(rule.build({a: values[a] for a in rule.arguments})[1])
    draft, ids = site["draft_id"], site["ids"]
    urls += [
        f"/assessments/{draft}/pillars/{site['pillar_id']}",
        f"/assessments/{draft}/review",
        f"/compare/?ids={ids[0]}&ids={ids[1]}",
        f"/compare/report.html?ids={ids[0]}&ids={ids[1]}",
        f"/assessments/{site['assessment_id']}/report?lang=zh",
        "/reset-password/not-a-token",
        "/organisations/join/not-a-token",
        "/no-such-page",
        f"/organisations/{site['org_id']}/plan/?overdue=1",
        API_REFERENCE,
        f"/assessments/{site['team_id']}/respondents",
        f"/assessments/{site['team_id']}/my-answers",
        f"/assessments/{site['team_id']}/consolidation",
        f"/assessments/{site['visit_id']}/on-site-review",
        f"/assessments/{site['visit_id']}/results",
        f"/assessments/{site['visit_id']}/report",
        f"/programmes/join/{site['programme_token']}",
        f"/programmes/join/{site['expired_token']}",
        "/programmes/join/not-a-token",
        f"/organisations/{site['org_id']}/programmes/{site['programme_id']}/cohort?sort=data",
    ]
    return urls


def test_every_page_is_chinese(app: Flask, owner_site: dict[str, Any]) -> None:
    """No English word of the interface is left on any page in the Chinese locale."""
    client: FlaskClient = owner_site["client"]
    problems = []
    for url in _urls(app, owner_site):
        response = client.get(url, headers=ZH, follow_redirects=True)
        if response.status_code >= 500:
            problems.append(f"{url}: HTTP {response.status_code}")
            continue
        if not response.mimetype.startswith("text/html"):
            continue
        page = response.get_data(as_text=True)
        if url == API_REFERENCE:  # identifiers (paths, fields, types) are code, not language
            page = CODE.sub(" ", page)
        problems += [f"{url}: {word}" for word in english_words(page, owner_site["data"])]
    assert not problems, "English on Chinese pages:\n" + "\n".join(sorted(set(problems)))


def test_signed_out_pages_are_chinese(client: FlaskClient) -> None:
    """The welcome, sign-in, registration and password pages in Chinese."""
    for url in ("/", "/login", "/register", "/forgot-password"):
        words = english_words(client.get(url, headers=ZH).get_data(as_text=True))
        assert not words, f"{url}: {words}"


def test_report_language_is_independent_of_the_page(owner_site: dict[str, Any]) -> None:
    """?lang= picks the report's language; the interface language stays as it was."""
    client: FlaskClient = owner_site["client"]
    aid = owner_site["assessment_id"]
    english = client.get(f"/assessments/{aid}/report?lang=en", headers=ZH).get_data(as_text=True)
    chinese = client.get(f"/assessments/{aid}/report?lang=zh", headers=ZH).get_data(as_text=True)
    assert "Recommendations" in english and "改进建议" in chinese
    assert "改进建议" not in english.split("<main", 1)[-1]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_chinese_pdf_report(owner_site: dict[str, Any], tmp_path) -> None:
    """The PDF in Chinese from an English page: Chinese headings, no interface English."""
    client: FlaskClient = owner_site["client"]
    aid = owner_site["assessment_id"]
    response = client.get(
        f"/assessments/{aid}/report.pdf?lang=zh", headers={"Accept-Language": "en"}
    )
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "改进建议" in text and "Recommendations" not in text
