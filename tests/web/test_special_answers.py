"""The fill page's optional special answers (audit 2, item 3) and number boxes with their unit."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.models import Answer
from readiness.services.answer_input import ANSWERED
from readiness.services.answer_input import PageAnswer
from readiness.services.reports import answer_text
from readiness.web.answer_text import describe_answer
from tests.conftest import TEST_PASSWORD

FLAGSHIP = "smart-manufacturing-readiness@1"
FLAGSHIP_KEY = ("smart-manufacturing-readiness", 1)
RD_SPEND = "technology.rd_spend"


@pytest.fixture
def client(app: Flask, make_user: Any, make_org: Any) -> FlaskClient:
    """A signed-in editor of an organisation (the app serves the repository's questionnaires)."""
    user = make_user(name="Eddie")
    make_org(owner=user, name="Acme")
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


def start(client: FlaskClient) -> int:
    """Start a flagship assessment through the page; returns its ID."""
    response = client.post("/assessments/new", data={"questionnaire": FLAGSHIP, "title": "Check"})
    assert response.status_code == 302, response.text
    return int(re.search(r"/assessments/(\d+)/", response.location).group(1))


def special_group(page: str, question: str) -> str:
    """The HTML of a question's special-answer group ("" if it has none)."""
    name = "q__" + question.replace(".", "__")
    match = re.search(
        rf'<div class="special-group" data-special-for="{name}">.*?</fieldset>', page, re.S
    )
    return match.group(0) if match else ""


def stored(db_session: Session, assessment_id: int) -> dict[str, Answer]:
    """The stored answers, fresh."""
    db_session.expire_all()
    rows = db_session.scalars(select(Answer).where(Answer.assessment_id == assessment_id))
    return {a.question_id: a for a in rows}


def test_nothing_is_preselected_and_only_the_allowed_specials_are_offered(client):
    page = client.get(f"/assessments/{start(client)}/pillars/technology").text
    assert "I answer above" not in page
    # technology.systems has its own exclusive "None of these" option and no don't know / N/A
    assert special_group(page, "technology.systems") == ""
    assert page.count("None of these") == 3  # the options of the three multiple-choice questions
    rd_spend = special_group(page, "technology.rd_spend")
    assert "Don't know" in rd_spend and "Not applicable" not in rd_spend
    assert "(optional)" in rd_spend and "None of these" not in rd_spend
    assert "checked" not in rd_spend
    assert "checked" not in page  # an unanswered page has nothing checked


def test_number_box_shows_the_short_unit_and_the_label_does_not_repeat_it(client):
    page = client.get(f"/assessments/{start(client)}/pillars/technology").text
    label = re.search(r'<label for="q__technology__rd_spend">(.*?)</label>', page, re.S).group(1)
    assert "%" not in label and "revenue" in label
    unit = re.search(r'<span class="unit" id="q__technology__rd_spend-unit">(.*?)</span>', page)
    assert unit.group(1) == "%"
    box = re.search(r'<input[^>]*id="q__technology__rd_spend"[^>]*>', page).group(0)
    assert "q__technology__rd_spend-unit" in box  # the unit is read out with the box


@pytest.mark.parametrize(
    ("data", "status", "value", "error"),
    [
        ({"q__technology__rd_spend": "3,2"}, "answered", 3.2, False),
        ({"special__technology__rd_spend": "dk"}, "dont_know", None, False),
        ({"q__technology__rd_spend": "3", "special__technology__rd_spend": "dk"}, None, None, True),
        ({"q__technology__systems": ["none"]}, "answered", ["none"], False),
    ],
)
def test_a_real_answer_or_a_special_but_not_both(client, db_session, data, status, value, error):
    assessment_id = start(client)
    url = f"/assessments/{assessment_id}/pillars/technology"
    response = client.post(url, data={"base_revision": "1", **data})
    question = next(iter(data)).split("__", 1)[1].replace("__", ".")
    answer = stored(db_session, assessment_id).get(question)
    assert (answer.status if answer else None, answer.value if answer else None) == (status, value)
    if error:
        group = special_group(response.text, question)
        assert "not both" in group and "aria-invalid" not in group.split("<legend>")[0]
        assert re.search(r'value="dk"[^>]*checked|checked[^>]*value="dk"', group)
    else:
        page = client.get(url).text
        if status == "dont_know":
            assert re.search(r'checked[^>]*value="dk"|value="dk"[^>]*checked', page)
        elif question == "technology.systems":
            assert re.search(r'checked[^>]*value="none"|value="none"[^>]*checked', page)


def test_a_stored_empty_choice_shows_as_the_questions_own_none_option(client, db_session):
    assessment_id = start(client)
    db_session.add(
        Answer(
            assessment_id=assessment_id,
            question_id="technology.systems",
            status="answered",
            value=[],
            revision=1,
        )
    )
    db_session.commit()
    page = client.get(f"/assessments/{assessment_id}/pillars/technology").text
    box = re.search(r'<input[^>]*name="q__technology__systems"[^>]*value="none"[^>]*>', page)
    assert "checked" in box.group(0)


@pytest.mark.parametrize(("lang", "expected"), [("zh", "3.2%"), ("en", "3.2%")])
def test_every_answer_text_uses_the_short_unit(app, lang, expected):
    question = app.extensions["catalogue"].get(*FLAGSHIP_KEY).question(RD_SPEND)
    with app.test_request_context():
        # "last time" and conflicts on the fill page; results, report, xlsx/csv and compare
        assert describe_answer(question, PageAnswer(ANSWERED, 3.2), lang) == expected
        assert answer_text(question, 3.2, "answered", lang) == expected
    hours = app.extensions["catalogue"].get(*FLAGSHIP_KEY).question("talent.training_hours")
    assert hours.number_text(40, "zh") == "40学时" and hours.number_text(40, "en") == "40 h"
