"""Forms of on-site evaluations and several-respondent assessments: assign, settle, review."""

from __future__ import annotations

import json
from collections.abc import Iterable
from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms import RadioField
from wtforms import SelectField
from wtforms import StringField
from wtforms import SubmitField
from wtforms import TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import Optional

from readiness.domain.questionnaire import Question
from readiness.services.answer_input import ANSWERED
from readiness.services.answer_input import DONT_KNOW
from readiness.services.answer_input import NOT_APPLICABLE
from readiness.services.answer_input import PageAnswer
from readiness.web.answer_text import describe_answer
from readiness.web.assessment_forms import CheckboxListField
from readiness.web.forms import BaseForm

OTHER_NUMBER = "number"


class ReviewForm(BaseForm):
    """The firm's verdict on one answer of an on-site evaluation."""

    verdict = RadioField(
        _l("Your verdict"),
        choices=[SelectChoice("confirmed", _l("Confirm")), SelectChoice("disputed", _l("Dispute"))],
        validators=[InputRequired()],
    )
    note = TextAreaField(_l("Note (required when disputing)"), validators=[Length(max=2000)])
    submit = SubmitField(_l("Save verdict"))


class SettleForm(BaseForm):
    """The owner's consolidated answer to one question, with a note."""

    answer = SelectField(_l("Consolidated answer"), validators=[InputRequired()])
    number = StringField(_l("Other number"), validators=[Optional(), Length(max=40)])
    note = TextAreaField(_l("Note"), validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Settle"))


def encode(given: PageAnswer) -> str:
    """A page answer as a choice value of the settle form."""
    return json.dumps([given.status, given.value], sort_keys=True, ensure_ascii=False)


def settle_choices(
    question: Question, given: Iterable[tuple[str, PageAnswer]], lang: str
) -> list[SelectChoice]:
    """The settle form's choices: each respondent's answer, then every other possible answer."""
    choices: dict[str, str] = {}
    for name, answer in given:
        if answer.status is not None:
            key = encode(PageAnswer(answer.status, answer.value))
            text = describe_answer(question, answer, lang)
            choices[key] = f"{choices[key]}, {name}" if key in choices else f"{text} — {name}"
    others: list[PageAnswer] = []
    if question.type == "level":
        others = [PageAnswer(ANSWERED, d.level) for d in question.levels]
    elif question.type == "single_choice":
        others = [PageAnswer(ANSWERED, o.id) for o in question.options]
    elif question.type == "yes_no":
        others = [PageAnswer(ANSWERED, True), PageAnswer(ANSWERED, False)]
    if question.not_applicable:
        others.append(PageAnswer(NOT_APPLICABLE))
    others.append(PageAnswer(DONT_KNOW))
    for answer in others:
        choices.setdefault(encode(answer), describe_answer(question, answer, lang))
    pairs = [SelectChoice(value, label) for value, label in choices.items()]
    if question.type == "number":
        pairs.append(SelectChoice(OTHER_NUMBER, str(_l("Another number (type it below)"))))
    return pairs


def settled_answer(form: SettleForm) -> PageAnswer | None:
    """The chosen consolidated answer (None: the typed number is missing or not a number)."""
    if form.answer.data == OTHER_NUMBER:
        try:
            return PageAnswer(ANSWERED, float((form.number.data or "").replace(",", ".")))
        except ValueError:
            return None
    try:
        status, value = json.loads(form.answer.data)
    except (ValueError, TypeError):
        return None
    return PageAnswer(status, value)


def assign_form(members: Mapping[int, str], pillars: list[tuple[str, str]]) -> type[BaseForm]:
    """A form with, per member, "respondent" and the pillars they answer (none ticked: all)."""

    class AssignForm(BaseForm):
        """Choose the respondents and, optionally, their pillars."""

        submit = SubmitField(_l("Save respondents"))

    for user_id, name in members.items():
        setattr(AssignForm, f"member_{user_id}", BooleanField(name))
        setattr(
            AssignForm,
            f"pillars_{user_id}",
            CheckboxListField(
                _l("Pillars (none ticked: all)"), choices=[SelectChoice(p, t) for p, t in pillars]
            ),
        )
    return AssignForm


def assignments(form: Any, members: Iterable[int]) -> dict[int, list[str] | None]:
    """User ID -> pillars (None: all) of the ticked members."""
    return {
        uid: (form[f"pillars_{uid}"].data or None) for uid in members if form[f"member_{uid}"].data
    }
