"""Bad input gets 400/404 and a clear line, never a 500 (finding 10 of issue 10, and its class).

Whitespace-only answers and titles, CR/LF in `next`, IDs beyond the ID columns (32 bits on
PostgreSQL) in any route or form, control characters in notes (cleaned on input).
"""

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
from tests.conftest import TEST_PASSWORD
from tests.conftest import test_config

HUGE = "9" * 30  # beyond 64 bits: SQLite OverflowError, PostgreSQL NumericValueOutOfRange
BIG64 = str(2**63)  # one past the largest BIGINT
BIG32 = str(2**31)  # one past PostgreSQL's INTEGER, which the ID columns are


@pytest.fixture
def app_config(database_url: str, tmp_path: Any) -> dict[str, Any]:
    """The test app with the mini questionnaire."""
    directory = write_questionnaires(tmp_path / "questionnaires", extra_questions=0)
    return test_config(database_url, QUESTIONNAIRE_DIR=str(directory))


@pytest.fixture
def editor(app: Flask, make_user: Any, make_org: Any) -> FlaskClient:
    """A signed-in owner of an organisation."""
    user = make_user(name="Olga")
    make_org(owner=user, name="Acme")
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


def _start(client: FlaskClient) -> int:
    response = client.post("/assessments/new", data={"questionnaire": "mini@1", "title": "Check"})
    assert response.status_code == 302, response.text
    return int(re.search(r"/assessments/(\d+)/", response.location).group(1))


@pytest.mark.parametrize(
    ("pillar", "field"),
    [("technology", "q__technology__rd"), ("data", "q__data__governance")],
)
@pytest.mark.parametrize("value", [" ", "\t", " 3 \r\n"])
def test_whitespace_answers_are_no_answer_not_a_crash(
    editor: FlaskClient, db_session: Session, pillar: str, field: str, value: str
) -> None:
    assessment_id = _start(editor)
    response = editor.post(
        f"/assessments/{assessment_id}/pillars/{pillar}",
        data={"base_revision": "1", field: value},
    )
    assert response.status_code in (200, 302), response.text
    stored = db_session.scalars(select(Answer).where(Answer.assessment_id == assessment_id)).all()
    if value.strip() == "3" and pillar == "technology":
        assert [a.value for a in stored] == [3]  # surrounding whitespace is trimmed
    else:
        assert stored == []


def test_control_characters_in_notes_are_cleaned_on_input(
    editor: FlaskClient, db_session: Session
) -> None:
    assessment_id = _start(editor)
    response = editor.post(
        f"/assessments/{assessment_id}/pillars/technology",
        data={
            "base_revision": "1",
            "q__technology__rd": "2",
            "comment__technology__rd": "one\x0btwo\x00\r\nthree",
        },
    )
    assert response.status_code == 302, response.text
    answer = db_session.scalars(select(Answer).where(Answer.assessment_id == assessment_id)).one()
    assert answer.comment == "one\ntwo\nthree"  # exports of stored text: test_export_safety.py


@pytest.mark.parametrize("title", ["   ", "\t\r\n", "\x00"])
def test_blank_titles_are_refused(editor: FlaskClient, db_session: Session, title: str) -> None:
    response = editor.post("/assessments/new", data={"questionnaire": "mini@1", "title": title})
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert db_session.scalars(select(Assessment)).all() == []


@pytest.mark.parametrize(
    "next_value",
    ["/\r\nSet-Cookie: x=1", "/ok\nLocation: //evil.example", "/\x00", "//evil.example", "/\t/x"],
)
def test_next_with_control_characters_goes_home(client: FlaskClient, next_value: str) -> None:
    response = client.post("/language", data={"lang": "zh", "next": next_value})
    assert response.status_code == 302
    assert response.location == "/"
    login = client.get("/login", query_string={"next": next_value})
    assert login.status_code == 200


def test_login_next_with_crlf_redirects_home(client: FlaskClient, make_user: Any) -> None:
    user = make_user()
    response = client.post(
        "/login",
        query_string={"next": "/\r\nSet-Cookie: x=1"},
        data={"email": user.email, "password": TEST_PASSWORD},
    )
    assert response.status_code == 302 and response.location == "/"


@pytest.mark.parametrize("number", [HUGE, BIG64, BIG32])
@pytest.mark.parametrize(
    "path",
    [
        "/assessments/{n}",
        "/assessments/{n}/pillars/technology",
        "/assessments/{n}/results",
        "/assessments/{n}/report",
        "/assessments/{n}/report.csv",
        "/assessments/{n}/share",
        "/organisations/{n}/profile",
        "/organisations/{n}/members",
    ],
)
def test_ids_beyond_64_bits_are_404(editor: FlaskClient, path: str, number: str) -> None:
    assert editor.get(path.format(n=number)).status_code == 404


@pytest.mark.parametrize("number", [HUGE, BIG64, BIG32, "-1", "0"])
def test_switching_to_an_impossible_organisation_is_refused(
    editor: FlaskClient, number: str
) -> None:
    response = editor.post("/organisations/switch", data={"organisation_id": number, "next": "/"})
    assert response.status_code in (302, 404)
    assert editor.get("/").status_code == 200


@pytest.mark.parametrize("number", [HUGE, BIG64, BIG32])
def test_base_revision_beyond_64_bits_is_refused(editor: FlaskClient, number: str) -> None:
    assessment_id = _start(editor)
    response = editor.post(
        f"/assessments/{assessment_id}/pillars/technology",
        data={"base_revision": number, "q__technology__rd": "2"},
    )
    assert response.status_code in (200, 400)


def test_largest_id_is_a_plain_404(editor: FlaskClient) -> None:
    assert editor.get(f"/assessments/{2**31 - 1}").status_code == 404


def _all_subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _all_subclasses(sub)
    return found


def test_every_form_cleans_its_input(app: Flask) -> None:
    from flask_wtf import FlaskForm

    from readiness.web.assessment_forms import build_section_form
    from readiness.web.forms import BaseForm
    from readiness.web.profile_forms import build_profile_form

    q = app.extensions["catalogue"].get("mini", 1)
    build_section_form(q, "technology", "en")
    build_profile_form(q.profile, "en")
    forms = {f for f in _all_subclasses(FlaskForm) if f.__module__.startswith("readiness.")}
    assert len(forms) > 15
    assert {f.__name__ for f in forms if not issubclass(f, BaseForm) and f is not BaseForm} == set()
