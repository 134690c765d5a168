"""The questionnaire page's cached, filled-in question markup equals WTForms' live rendering."""

from __future__ import annotations

import random

import pytest
from flask import Flask

from readiness import create_app
from readiness.domain.answers import value_to_json
from readiness.domain.recommendations import answer_for_level
from readiness.i18n import use_language
from readiness.services.answer_input import PageAnswer
from readiness.web import question_markup
from readiness.web.assessment_forms import field_names
from readiness.web.assessment_forms import form_data
from tests.conftest import repo_catalogue

NOTES = (
    "",
    "",
    "plain note",
    "tricky <b>\"quoted\"</b> & 'apostrophe'\nsecond line",
    "中文备注",
    "  padded, a bell\x07 and\r\nWindows lines  ",  # the input filter cleans what is shown
)


@pytest.fixture(scope="module")
def flagship_app() -> Flask:
    """An app with the built-in questionnaires (no database needed to render forms)."""
    return create_app(
        {
            "QUESTIONNAIRE_CATALOGUE": repo_catalogue(),
            "TESTING": True,
            "SECRET_KEY": "markup",
            "DATABASE_URL": "sqlite://",
            "WTF_CSRF_ENABLED": False,
            "SERVER_NAME": "localhost",
        }
    )


def _random_answer(question, rng: random.Random) -> PageAnswer:
    roll = rng.random()
    comment, evidence = rng.choice(NOTES), rng.choice(NOTES)
    if roll < 0.15:
        return PageAnswer(None, None, comment, evidence)
    if roll < 0.25 and question.not_applicable:
        return PageAnswer("not_applicable", None, comment, evidence)
    if roll < 0.35 and question.dont_know:
        return PageAnswer("dont_know", None, comment, evidence)
    value = answer_for_level(question, rng.randint(0, 5)) or answer_for_level(question, 0)
    value = value_to_json(value)
    if roll > 0.85:  # stored data a form would not have written: shown as WTForms shows it
        odd = {
            "level": lambda v: float(v),
            "number": lambda v: float(v),
            "single_choice": lambda v: f" {v} ",
            "multiple_choice": lambda v: [*v, "unknown"],
        }
        value = odd.get(question.type, lambda v: v)(value)
    return PageAnswer("answered", value, comment, evidence)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("seed", range(4))
def test_filled_markup_equals_live_rendering(flagship_app: Flask, lang: str, seed: int) -> None:
    rng = random.Random(seed)
    q = flagship_app.extensions["catalogue"].get("smart-manufacturing-readiness")
    with flagship_app.test_request_context(), use_language(lang):
        macro = flagship_app.jinja_env.get_template(question_markup.TEMPLATE).module
        for pillar in q.pillars:
            form_class = question_markup.section_form(q, pillar.id, lang)
            questions = form_class.questions
            stored = {x.id: _random_answer(x, rng) for x in questions}
            previous = {x.id: f"{x.id} <was> & “3”" for x in questions if rng.random() < 0.5}
            form = form_class(
                formdata=None, data={**form_data(questions, stored), "base_revision": 3}
            )
            fast = question_markup.filled_sections(form, q, pillar.id, lang, previous)
            assert fast is not None
            formless = question_markup.answered_sections(q, pillar.id, lang, stored, previous)
            pairs = zip(questions, fast, formless, strict=True)
            for index, (question, html, html_formless) in enumerate(pairs, start=1):
                live = macro.question_section(
                    form,
                    question,
                    field_names(question.id),
                    index,
                    len(questions),
                    previous.get(question.id),
                    *question_markup.question_extras(q, question.id, lang),
                )
                assert str(html) == str(live), question.id
                assert str(html_formless) == str(live), (question.id, stored[question.id])


def test_a_form_with_errors_renders_live(flagship_app: Flask) -> None:
    q = flagship_app.extensions["catalogue"].get("smart-manufacturing-readiness")
    pillar = q.pillars[0]
    with flagship_app.test_request_context(method="POST", data={"base_revision": "x"}):
        form = question_markup.section_form(q, pillar.id, "en")()
        assert not form.validate()
        assert question_markup.filled_sections(form, q, pillar.id, "en") is None


def test_kept_form_controls_equal_live_rendering(flagship_app: Flask) -> None:
    q = flagship_app.extensions["catalogue"].get("smart-manufacturing-readiness")
    pillar = q.pillars[1]
    with flagship_app.test_request_context(), use_language("zh"):
        form_class = question_markup.section_form(q, pillar.id, "zh")
        for revision, loaded in ((3, "d1 d2"), (8, 'a "b" <c> & d')):  # rendered, then kept
            form = form_class(formdata=None, data={"base_revision": revision, "loaded": loaded})
            kept = question_markup.filled_controls(q, pillar.id, "zh", str(revision), loaded)
            hidden, buttons = kept
            assert str(hidden) == str(form.hidden_tag())
            live = f"{form.save(class_='button secondary')}\n{form.save_next(class_='button')}"
            assert str(buttons) == live
