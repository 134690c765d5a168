"""Report test data: complete answers for any questionnaire, a submitted assessment."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest
from sqlalchemy.orm import Session

from readiness.domain.answers import NOT_APPLICABLE
from readiness.domain.answers import AnswerSet
from readiness.domain.answers import value_to_json
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.recommendations import answer_for_level
from readiness.models import Assessment
from readiness.models import Organisation
from readiness.models import User
from readiness.services import assessments

ORG_NAME = "Präzisionsteile Müller & Söhne"  # non-ASCII and an ampersand, escaped everywhere


def complete_answers(questionnaire: Questionnaire) -> AnswerSet:
    """An answer for every question, at varied levels, one N/A where allowed, a few comments."""
    values: dict[str, Any] = {}
    comments: dict[str, str] = {}
    na_used = False
    for index, question in enumerate(questionnaire.questions):
        if question.not_applicable and not na_used:
            values[question.id] = NOT_APPLICABLE
            comments[question.id] = "No such process in our plant"  # some need a reason
            na_used = True
            continue
        answer = answer_for_level(question, (index * 2) % 6)
        if answer is None:
            answer = answer_for_level(question, 0)
        values[question.id] = answer
        if index % 7 == 0:
            comments[question.id] = f"Note <{index}> & evidence"
    return AnswerSet(values, comments)


def submitted_assessment(
    session: Session, organisation: Organisation, user: User, questionnaire: Questionnaire
) -> Assessment:
    """An assessment of `organisation` with complete answers (and evidence), submitted."""
    assessment = assessments.start_assessment(session, organisation, questionnaire, user, "Check")
    answers = complete_answers(questionnaire)
    page = {}
    for qid, value in answers.values.items():
        status = "not_applicable" if value is NOT_APPLICABLE else "answered"
        page[qid] = assessments.PageAnswer(
            status,
            None if value is NOT_APPLICABLE else value_to_json(value),
            answers.comments.get(qid, ""),
            "ISO 9001 certificate" if qid in answers.comments else "",
        )
    assessments.save_answers(session, assessment, questionnaire, page, assessment.revision, user)
    return assessments.submit(session, assessment, questionnaire, user, confirm_incomplete=True)


def pdf_tool(name: str) -> str:
    """The path of a poppler tool, or skip the test with the reason."""
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is missing (Debian package poppler-utils); PDF content not checked")
    return path


def pdf_text(pdf: bytes, tmp_path: Any) -> str:
    """The text of a PDF, extracted by pdftotext."""
    tool = pdf_tool("pdftotext")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        [tool, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_fonts(pdf: bytes, tmp_path: Any) -> list[list[str]]:
    """The font rows of `pdffonts` (name, type, encoding, emb, sub, uni, object, id)."""
    tool = pdf_tool("pdffonts")
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([tool, str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]
