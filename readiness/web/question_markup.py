"""A questionnaire page's question markup, rendered once blank and then filled with the answers.

Rendering about a hundred inputs through WTForms' widgets was most of a questionnaire page's
time. The markup of each question depends only on (questionnaire, pillar, language), so it is
rendered once with an empty form and kept; a page then fills in its state (checked options,
typed values, notes, "last time" answers) by exact, escaped string edits. The state comes from
the stored answers as WTForms would process them (the same coercion and input filters, taken
from the kept blank form), so showing a page binds no form at all; WTForms still parses and
validates every submission, and a form with errors is rendered live (see _fill_body.html).
tests/web/test_question_markup.py checks that filled markup equals the live rendering.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_wtf import FlaskForm
from markupsafe import Markup
from markupsafe import escape
from wtforms import Field

from readiness.domain.questionnaire import Question
from readiness.domain.questionnaire import Questionnaire
from readiness.services.answer_input import PageAnswer
from readiness.web.assessment_forms import build_section_form
from readiness.web.assessment_forms import field_names
from readiness.web.assessment_forms import form_data
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
class Input:
    """One field of a question as its blank form has it: how stored data becomes its state."""

    name: str
    id: str
    type: str  # the WTForms field class name: RadioField, CheckboxListField, NumberAnswerField …
    filters: tuple[Callable[[Any], Any], ...]
    coerce: Callable[[Any], Any] | None = None  # choice fields only
    values: tuple[Any, ...] = ()  # each option's coerced value, in the options' order


@dataclass(frozen=True)
class Blank:
    """One question's markup with an empty form (without and with a "last time" line) and inputs."""

    plain: str
    with_previous: str
    inputs: dict[str, Input]  # by role: answer, and special, comment, evidence where present


@dataclass(frozen=True)
class Shown:
    """What one question's inputs show: the options checked, the number and notes typed."""

    checked: tuple[str, ...]  # the IDs of the checked option inputs
    number: str
    comment: str
    evidence: str


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


def _input(field: Field) -> Input:
    coerce = getattr(field, "coerce", None)
    choices = field.iter_choices() if coerce is not None else ()  # type: ignore[attr-defined]
    return Input(
        field.name,
        field.id,
        field.type,
        tuple(field.filters),
        coerce,
        tuple(coerce(c.value) for c in choices) if coerce is not None else (),
    )


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
            {r: _input(blank[n]) for r, n in field_names(question.id).items() if n in blank},
        )
        for index, question, extra in (
            (i, q, question_extras(questionnaire, q.id, lang))
            for i, q in enumerate(questions, start=1)
        )
    )
    with _lock:
        _markup[key] = (questionnaire, sections)
    return sections


def _processed(field: Input, value: Any) -> Any:
    """`value` as the field's `data` after WTForms' process(formdata=None, data=value)."""
    try:
        if field.coerce is None:
            data = value
        elif field.type == "CheckboxListField":
            data = [field.coerce(v) for v in value]
        else:
            data = field.coerce(value) if value is not None else None
    except (ValueError, TypeError):
        data = None
    for keep in field.filters:
        data = keep(data)
    return data


def _answer_state(inputs: Mapping[str, Input], question: Question, given: PageAnswer) -> Shown:
    """What the question's inputs show for a stored answer, as a form holding it would."""
    data = form_data((question,), {question.id: given})
    checked: list[str] = []
    text = {"answer": "", "comment": "", "evidence": ""}
    for role, field in inputs.items():
        value = _processed(field, data.get(field.name))
        if field.coerce is None:  # a number or a note: its text
            text[role] = str(value) if value is not None else ""
            continue
        chosen = (value or ()) if field.type == "CheckboxListField" else (value,)
        checked += [f"{field.id}-{i}" for i, v in enumerate(field.values) if v in chosen]
    return Shown(tuple(checked), text["answer"], text["comment"], text["evidence"])


def _form_state(inputs: Mapping[str, Input], form: FlaskForm) -> Shown:
    """What the question's inputs show in a bound form."""
    checked: list[str] = []
    text = {"answer": "", "comment": "", "evidence": ""}
    for role, kept in inputs.items():
        field = form[kept.name]
        if kept.coerce is None:  # a number or a note: its text
            text[role] = field._value()
            continue
        # the choices, not the option subfields (building those cost most of the time)
        selected = enumerate(field.iter_choices())  # type: ignore[attr-defined]
        checked += [f"{field.id}-{index}" for index, c in selected if c.selected]
    return Shown(tuple(checked), text["answer"], text["comment"], text["evidence"])


def _fill_value(html: str, field_id: str, value: str) -> str:
    if not value:
        return html
    start = html.index(f' id="{field_id}" ')  # the input's id (other attributes may come first)
    empty = 'value="">'
    at = html.index(empty, start)
    return f'{html[:at]}value="{escape(value)}">{html[at + len(empty) :]}'


def _fill_text(html: str, field_id: str, value: str) -> str:
    if not value:
        return html
    start = html.index(f'<textarea id="{field_id}" ')
    empty = ">\r\n</textarea>"
    at = html.index(empty, start)
    return f"{html[:at]}>\r\n{escape(value)}</textarea>{html[at + len(empty) :]}"


def _fill(html: str, inputs: Mapping[str, Input], shown: Shown) -> str:
    """One question's blank markup with its state filled in."""
    for option_id in shown.checked:
        html = html.replace(f'<input id="{option_id}" ', f'<input checked id="{option_id}" ', 1)
    if shown.number:
        html = _fill_value(html, inputs["answer"].id, shown.number)
    if shown.comment or shown.evidence:
        html = _fill_text(html, inputs["comment"].id, shown.comment)
        html = _fill_text(html, inputs["evidence"].id, shown.evidence)
        html = html.replace('<details class="notes">', '<details class="notes" open>', 1)
    return html


def _sections(
    blanks: tuple[Blank, ...],
    questions: tuple[Question, ...],
    state: Callable[[Blank, Question], Shown],
    previous: Mapping[str, str],
) -> list[Markup]:
    sections = []
    for question, blank in zip(questions, blanks, strict=True):
        if question.id in previous:
            html = blank.with_previous.replace(PREVIOUS, str(escape(previous[question.id])), 1)
        else:
            html = blank.plain
        sections.append(Markup(_fill(html, blank.inputs, state(blank, question))))
    return sections


def answered_sections(
    questionnaire: Questionnaire,
    pillar_id: str,
    lang: str,
    shown: Mapping[str, PageAnswer],
    previous: Mapping[str, str] | None = None,
) -> list[Markup]:
    """Each question's markup showing the stored answers `shown`, with no form bound."""
    form_class = section_form(questionnaire, pillar_id, lang)
    blanks = _blank_markup(form_class, questionnaire, pillar_id, lang)
    questions = form_class.questions  # type: ignore[attr-defined]
    return _sections(
        blanks,
        questions,
        lambda blank, q: _answer_state(blank.inputs, q, shown.get(q.id, PageAnswer())),
        previous or {},
    )


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
    blanks = _blank_markup(type(form), questionnaire, pillar_id, lang)
    questions = type(form).questions  # type: ignore[attr-defined]
    return _sections(
        blanks, questions, lambda blank, _q: _form_state(blank.inputs, form), previous or {}
    )


def filled_controls(
    questionnaire: Questionnaire, pillar_id: str, lang: str, revision: str, loaded: str
) -> tuple[Markup, Markup]:
    """The form's hidden fields and its save buttons, as WTForms renders them, from kept markup.

    Rendered once per (questionnaire, pillar, language) with placeholders; the reader's CSRF
    token, the base revision and the `loaded` digests (as the fields show them) are put in
    (escaped) on every request.
    """
    form_class = section_form(questionnaire, pillar_id, lang)

    def render(_csrf: str) -> str:
        blank = form_class(formdata=None, data={})
        blank.base_revision.data, blank.loaded.data = REVISION, LOADED  # type: ignore[attr-defined]
        save = blank.save(class_="button secondary")  # type: ignore[attr-defined]
        return f"{blank.hidden_tag()}{BUTTONS}{save}\n{blank.save_next(class_='button')}"  # type: ignore[attr-defined]

    key = (questionnaire.key, id(questionnaire), pillar_id, lang)
    html = str(fragment("question_controls", CONTROLS, key, render))
    hidden, buttons = html.split(BUTTONS)
    hidden = hidden.replace(REVISION, str(escape(revision)), 1)
    hidden = hidden.replace(LOADED, str(escape(loaded)), 1)
    return Markup(hidden), Markup(buttons)  # noqa: S704 - rendered by WTForms, values escaped


def clear() -> None:
    """Forget the cached forms and markup (after questionnaires or translations change)."""
    with _lock:
        _forms.clear()
        _markup.clear()
