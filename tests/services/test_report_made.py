"""Every report format says what kind of assessment it is and where respondents disagreed."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import pytest
from docx import Document
from flask import Flask
from openpyxl import load_workbook

from readiness import create_app
from readiness.services import report_docx
from readiness.services import report_export
from readiness.services.report_model import ReportData
from readiness.services.reports import report_data
from tests.report_data import complete_answers

ON_SITE = {"kind": "on_site", "official": True, "evaluator": "Carl", "confirmed_by": "Olga"}
# (en, zh): the kind line of an on-site evaluation the firm confirmed, disputing two answers
ON_SITE_LINE = {
    "en": "On-site evaluation · by Carl · confirmed by the firm (Olga) · "
    "2 answers disputed by the firm.",
    "zh": "现场评估 · 评估人：Carl · 企业已确认（Olga） · 企业对 2 个回答提出了异议。",
}
TEAM_LINE = {"en": "Consolidated from several respondents", "zh": "由多位答题人的回答汇总"}
LEVEL = {"en": "Level 4", "zh": "4 级"}
HYPERLINK = '=HYPERLINK("http://evil.example","x")'


@pytest.fixture(scope="module")
def reports() -> Iterator[dict[str, tuple[ReportData, ReportData]]]:
    """Per language: an on-site evaluation's report and a several-respondents report."""
    app: Flask = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x" * 32})
    with app.app_context():
        q = app.extensions["catalogue"].get(app.config["FLAGSHIP_QUESTIONNAIRE"])
        made = {}
        for lang in ("en", "zh"):
            base = report_data(
                q, complete_answers(q), {}, lang=lang, organisation="Acme", when=date(2026, 3, 1)
            )
            question = q.question("data.governance").text.get(lang)
            disagreement = {
                "question_id": "data.governance",
                "question": question,
                "given": [("@Pat", "owner named", 1), ("Ian", "committee", 4)],
                "spread": 3,
                "disputed": True,
                "settled": "committee",
                "note": HYPERLINK,
                "by": "Olga",
            }
            made[lang] = (
                replace(base, provenance={**ON_SITE, "disputed": 2}),
                replace(base, provenance={"kind": "respondents"}, disagreements=(disagreement,)),
            )
        yield made


LANGS = ("en", "zh")


@pytest.mark.parametrize("lang", LANGS)
def test_csv_has_the_kind_and_every_answer_of_a_disagreement(reports, lang):
    on_site, team = reports[lang]
    rows = list(csv.reader(io.StringIO(report_export.to_csv(on_site).lstrip("\ufeff"))))
    kinds = [r for r in rows if r[0] == "assessment_kind"]
    assert [(r[1], r[3], r[4], r[-1]) for r in kinds] == [
        ("on_site", ON_SITE_LINE[lang], "official", "Carl")
    ]
    rows = list(csv.reader(io.StringIO(report_export.to_csv(team).lstrip("\ufeff"))))
    assert [r[3] for r in rows if r[0] == "assessment_kind"] == [TEAM_LINE[lang]]
    [settled] = [r for r in rows if r[0] == "disagreement"]
    assert (settled[1], settled[4], settled[6]) == ("data.governance", "disputed", "committee")
    assert settled[10] == "'" + HYPERLINK and settled[-1] == "Olga"  # formula neutralised
    given = [(r[6], r[8], r[-1]) for r in rows if r[0] == "respondent_answer"]
    assert given == [("owner named", "1", "'@Pat"), ("committee", "4", "Ian")]


@pytest.mark.parametrize("lang", LANGS)
def test_json_has_the_kind_and_the_disagreements(reports, lang):
    on_site, team = reports[lang]
    made = json.loads(report_export.to_json(on_site))["how_made"]
    assert (made["kind"], made["summary"], made["disputed_answers"]) == (
        "on_site",
        ON_SITE_LINE[lang],
        2,
    )
    made = json.loads(report_export.to_json(team))["how_made"]
    assert made["summary"] == TEAM_LINE[lang]
    [row] = made["disagreements"]
    assert row["answers"] == [
        {"respondent": "@Pat", "answer": "owner named", "level": 1},
        {"respondent": "Ian", "answer": "committee", "level": 4},
    ]
    assert (row["spread"], row["note"], row["settled_by"]) == (3, HYPERLINK, "Olga")


@pytest.mark.parametrize("lang", LANGS)
def test_xlsx_has_a_sheet_with_the_kind_and_the_disagreements(reports, lang):
    on_site, team = reports[lang]
    sheet_name = {"en": "Kind of assessment", "zh": "评估方式"}[lang]
    book = load_workbook(io.BytesIO(report_export.to_xlsx(on_site)))
    assert list(book[sheet_name].iter_rows(values_only=True)) == [(sheet_name, ON_SITE_LINE[lang])]
    book = load_workbook(io.BytesIO(report_export.to_xlsx(team)))
    rows = list(book[sheet_name].iter_rows(values_only=True))
    assert rows[0] == (sheet_name, TEAM_LINE[lang], None, None, None)
    qid, question, given, settled, note = rows[-1]
    assert qid == "data.governance" and ("3" in question)
    assert given.splitlines() == [
        f"'@Pat: owner named ({LEVEL[lang].replace('4', '1')})",  # neutralised
        f"Ian: committee ({LEVEL[lang]})",
    ]
    assert settled == "committee" and note == f"'{HYPERLINK} (Olga)"
    assert all(c.data_type == "s" for row in book[sheet_name].iter_rows() for c in row if c.value)


@pytest.mark.parametrize("lang", LANGS)
def test_docx_names_the_kind_and_has_the_disagreements_chapter(reports, lang):
    on_site, team = reports[lang]
    label = {"en": "Kind of assessment", "zh": "评估方式"}[lang]
    heading = {"en": "Where respondents disagreed", "zh": "答题人的分歧"}[lang]
    doc = Document(io.BytesIO(report_docx.to_docx(on_site)))
    cover = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert [label, ON_SITE_LINE[lang]] in cover
    assert heading not in [p.text for p in doc.paragraphs]
    doc = Document(io.BytesIO(report_docx.to_docx(team)))
    assert [label, TEAM_LINE[lang]] in [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert heading in [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    table = next(t for t in doc.tables if "Ian: committee" in t.rows[-1].cells[1].text)
    question, given, settled = (c.text for c in table.rows[-1].cells)
    assert "data.governance" not in question and ("3" in question)
    assert given.splitlines()[0].startswith("@Pat: owner named")
    assert settled.startswith("committee") and settled.endswith(f"{HYPERLINK} (Olga)")
