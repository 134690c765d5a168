"""A questionnaire page's question markup, rendered once blank and then filled with the answers.

Rendering about a hundred inputs through WTForms' widgets was most of a questionnaire page's
time. The markup of each question depends only on (questionnaire, pillar, language), so it is
rendered once with an empty form and kept; a page then fills in its state (checked options,
typed values, notes, "last time" answers) by exact, escaped string edits. WTForms still parses
and validates every submission, and a form with errors is rendered live (see fill.html).
tests/web/test_question_markup.py checks that filled markup equals the live rendering.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app
from flask_wtf import FlaskForm
from markupsafe import Markup
from markupsafe import escape
from wtforms import Field

from readiness.domain.questionnaire import Questionnaire
from readiness.web.assessment_forms import build_section_form
from readiness.web.assessment_forms import field_names
from readiness.web.page_cache import fragment

TEMPLATE = "assessments/_question.html"
PREVIOUS = "\x00previous\x00"  # stands for the "last time" answer in the cached markup
REVISION = "\x00revision\x00"  # … for the page's base revision in the kept form controls
LOADED = "\x00loaded\x00"  # … for the digests of what the page shows
BUTTONS = "\x00buttons\x00"  # between the hidden fields and the buttons
CONTROLS = 64  # kept form controls per app (one per questionnaire, pillar, language)

_lock = threading.Lock()
_forms: dict[tuple[str, str, str], tuple[Questionnaire, type[FlaskForm]]] = {}
_markup: dict[tuple[str, str, str], tuple[Questionnaire, tuple[Blank, ...]]] = {}


@dataclass(frozen=True)
class Blank:
    """One question's markup with an empty form: without and with a "last time" line."""

    plain: str
    with_previous: str


def section_form(questionnaire: Questionnaire, pillar_id: str, lang: str) -> type[FlaskForm]:
    """The pillar page's form class, built once per (questionnaire, pillar, language)."""
    key = (questionnaire.key, pillar_id, lang)
    cached = _forms.get(key)
    if cached is None or cached[0] is not questionnaire:  # a reloaded catalogue builds anew
        cached = (questionnaire, build_section_form(questionnaire, pillar_id, lang))
        with _lock:
            _forms[key] = cached
    return cached[1]


def question_extras(
    questionnaire: Questionnaire, question_id: str, lang: str
) -> tuple[str | None, bool]:
    """The question's non-paper source in `lang` and whether "not applicable" needs a comment."""
    question = questionnaire.question(question_id)
    reference = question.reference.get(lang) if question.reference.values else None
    return reference, questionnaire.not_applicable_needs_comment and question.not_applicable


def _blank_markup(
    form_class: type[FlaskForm], questionnaire: Questionnaire, pillar_id: str, lang: str
) -> tuple[Blank, ...]:
    key = (questionnaire.key, pillar_id, lang)
    cached = _markup.get(key)
    if cached is not None and cached[0] is questionnaire:
        return cached[1]
    macro = current_app.jinja_env.get_template(TEMPLATE).module.question_section  # type: ignore[attr-defined]
    blank = form_class(formdata=None, data={})
    questions = form_class.questions  # type: ignore[attr-defined]
    total = len(questions)
    sections = tuple(
        Blank(
            str(macro(blank, question, field_names(question.id), index, total, None, *extra)),
            str(macro(blank, question, field_names(question.id), index, total, PREVIOUS, *extra)),
        )
        for index, question, extra in (
            (i, q, question_extras(questionnaire, q.id, lang))
            for i, q in enumerate(questions, start=1)
        )
    )
    with _lock:
        _markup[key] = (questionnaire, sections)
    return sections


def _check_options(html: str, field: Field) -> str:
    # The choices, not the field's option subfields: iterating the field builds a WTForms field
    # per option (about 400 on a page), which was most of the filling's time. The IDs are those
    # the options get when rendered (`<field id>-<index>`).
    for index, choice in enumerate(field.iter_choices()):  # type: ignore[attr-defined]
        if choice.selected:
            option_id = f"{field.id}-{index}"
            html = html.replace(f'<input id="{option_id}" ', f'<input checked id="{option_id}" ', 1)
    return html


def _fill_value(html: str, field: Field) -> str:
    value = field._value()
    if not value:
        return html
    start = html.index(f' id="{field.id}" ')  # the input's id (other attributes may come first)
    empty = 'value="">'
    at = html.index(empty, start)
    return f'{html[:at]}value="{escape(value)}">{html[at + len(empty) :]}'


def _fill_text(html: str, field: Field) -> str:
    value = field._value()
    if not value:
        return html
    start = html.index(f'<textarea id="{field.id}" ')
    empty = ">\r\n</textarea>"
    at = html.index(empty, start)
    return f"{html[:at]}>\r\n{escape(value)}</textarea>{html[at + len(empty) :]}"


def _fill(html: str, form: FlaskForm, names: Mapping[str, str]) -> str:
    """One question's blank markup with the form's state filled in."""
    for role in ("answer", "special"):
        if names[role] not in form:
            continue
        field = form[names[role]]
        if field.type == "NumberAnswerField":
            html = _fill_value(html, field)
        else:
            html = _check_options(html, field)
    if names["comment"] in form:
        comment, evidence = form[names["comment"]], form[names["evidence"]]
        html = _fill_text(_fill_text(html, comment), evidence)
        if comment.data or evidence.data:
            html = html.replace('<details class="notes">', '<details class="notes" open>', 1)
    return html


def filled_sections(
    form: FlaskForm,
    questionnaire: Questionnaire,
    pillar_id: str,
    lang: str,
    previous: Mapping[str, str] | None = None,
) -> list[Markup] | None:
    """Each question's markup with the form's state, or None when the form must render live.

    The form must be of section_form(questionnaire, pillar_id, lang) and rendered in `lang`;
    a form with errors (or a class built elsewhere) is left to the live rendering.
    """
    if form.errors or type(form) is not section_form(questionnaire, pillar_id, lang):
        return None
    previous = previous or {}
    sections = []
    blanks = _blank_markup(type(form), questionnaire, pillar_id, lang)
    for question, blank in zip(type(form).questions, blanks, strict=True):  # type: ignore[attr-defined]
        if question.id in previous:
            html = blank.with_previous.replace(PREVIOUS, str(escape(previous[question.id])), 1)
        else:
            html = blank.plain
        sections.append(Markup(_fill(html, form, field_names(question.id))))
    return sections


def filled_controls(
    form: FlaskForm, questionnaire: Questionnaire, pillar_id: str, lang: str
) -> tuple[Markup, Markup]:
    """The form's hidden fields and its save buttons, as WTForms renders them, from kept markup.

    Rendered once per (questionnaire, pillar, language) with placeholders; the reader's CSRF
    token, the base revision and the `loaded` digests are put in (escaped) on every request.
    """
    form_class = type(form)

    def render(_csrf: str) -> str:
        blank = form_class(formdata=None, data={})
        blank.base_revision.data, blank.loaded.data = REVISION, LOADED  # type: ignore[attr-defined]
        save = blank.save(class_="button secondary")  # type: ignore[attr-defined]
        return f"{blank.hidden_tag()}{BUTTONS}{save}\n{blank.save_next(class_='button')}"  # type: ignore[attr-defined]

    key = (questionnaire.key, id(questionnaire), pillar_id, lang)
    html = str(fragment("question_controls", CONTROLS, key, render))
    hidden, buttons = html.split(BUTTONS)
    hidden = hidden.replace(REVISION, str(escape(form.base_revision._value())), 1)  # type: ignore[attr-defined]
    hidden = hidden.replace(LOADED, str(escape(form.loaded._value())), 1)  # type: ignore[attr-defined]
    return Markup(hidden), Markup(buttons)  # noqa: S704 - rendered by WTForms, values escaped


def clear() -> None:
    """Forget the cached forms and markup (after questionnaires or translations change)."""
    with _lock:
        _forms.clear()
        _markup.clear()
