"""The questionnaire page forms, built at runtime from the questionnaire data, and their answers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms import Field
from wtforms import FloatField
from wtforms import HiddenField
from wtforms import IntegerField
from wtforms import RadioField
from wtforms import SelectField
from wtforms import SelectMultipleField
from wtforms import StringField
from wtforms import SubmitField
from wtforms import TextAreaField
from wtforms import ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput
from wtforms.widgets import HiddenInput
from wtforms.widgets import ListWidget
from wtforms.widgets import TextInput

from readiness.domain.questionnaire import Question
from readiness.domain.questionnaire import Questionnaire
from readiness.models.base import MAX_ID
from readiness.services.answer_input import ANSWERED
from readiness.services.answer_input import DONT_KNOW
from readiness.services.answer_input import NOT_APPLICABLE
from readiness.services.answer_input import PageAnswer
from readiness.web.forms import BaseForm

NA = "na"
DK = "dk"
NONE_OF_THESE = "none"
NOTE_MAX = 5000


class CheckboxListField(SelectMultipleField):
    """Multiple choice as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NumberAnswerField(FloatField):
    """A number answer in a text box (a decimal comma is fine); non-numbers get a plain message."""

    widget = TextInput()

    def __init__(self, *args: Any, unit: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit  # the short unit shown beside the box, e.g. "%"

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Parse the number, accepting a decimal comma."""
        if not valuelist or valuelist[0] in ("", None):
            self.data = None
            return
        try:
            self.data = float(str(valuelist[0]).strip().replace(",", "."))
        except ValueError:
            self.data = None
            raise ValueError(_l("Please enter a number, e.g. 12.5.")) from None


def _in_range(low: float | None, high: float | None) -> Any:
    """A validator: the number, if given, lies within [low, high]."""

    def check(form: FlaskForm, field: Field) -> None:
        if field.data is None:
            return
        if (low is not None and field.data < low) or (high is not None and field.data > high):
            raise ValidationError(
                _l(
                    "Enter a number from %(low)s to %(high)s.",
                    low=_number_text(low),
                    high=_number_text(high),
                )
            )

    return check


def _exclusive_alone(question: Question, lang: str) -> Any:
    """A validator: an exclusive option (such as "none of these") is ticked on its own."""

    def check(form: FlaskForm, field: Field) -> None:
        chosen = set(field.data or [])
        for option in question.options:
            if option.exclusive and option.id in chosen and len(chosen) > 1:
                raise ValidationError(
                    _l(
                        '"%(option)s" cannot be ticked together with other options.',
                        option=option.text.get(lang),
                    )
                )

    return check


def answer_name(question_id: str) -> str:
    """The stable form field name of a question's answer, e.g. `q__technology__rd_spend`."""
    return "q__" + question_id.replace(".", "__")


def special_name(question_id: str) -> str:
    """The optional 'none of these' / N/A / don't-know field of checkbox and number questions."""
    return "special__" + question_id.replace(".", "__")


def comment_name(question_id: str) -> str:
    """The form field name of a question's comment."""
    return "comment__" + question_id.replace(".", "__")


def evidence_name(question_id: str) -> str:
    """The form field name of a question's evidence."""
    return "evidence__" + question_id.replace(".", "__")


def field_names(question_id: str) -> dict[str, str]:
    """The names of a question's answer, special, comment and evidence fields."""
    return {
        "answer": answer_name(question_id),
        "special": special_name(question_id),
        "comment": comment_name(question_id),
        "evidence": evidence_name(question_id),
    }


def _choice_list(pairs: list[tuple[str, Any]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def _specials(question: Question) -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = []
    if question.not_applicable:
        choices.append((NA, _l("Not applicable")))
    if question.dont_know:
        choices.append((DK, _l("Don't know")))
    return choices


def _number_text(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _answer_fields(question: Question, lang: str) -> dict[str, Field]:
    """A question's answer field and, where it has any, its group of "instead" answers."""
    label = question.text.get(lang)
    help_text = question.help.get(lang) if question.help.values else ""
    name = answer_name(question.id)
    optional = [Optional()]
    # every type offers "don't know" / "not applicable" the same way: a group of its own
    special_choices: list[tuple[str, Any]] = []
    if question.type in ("level", "single_choice"):
        if question.type == "level":
            choices = [(str(d.level), f"{d.level} — {d.text.get(lang)}") for d in question.levels]
        else:
            choices = [(o.id, o.text.get(lang)) for o in question.options]
        answer: Field = RadioField(
            label, choices=_choice_list(choices), validators=optional, description=help_text
        )
    elif question.type == "yes_no":
        choices = [("yes", _l("Yes")), ("no", _l("No"))]
        answer = RadioField(
            label, choices=_choice_list(choices), validators=optional, description=help_text
        )
    elif question.type == "multiple_choice":
        if _none_option(question) is None:
            special_choices.append((NONE_OF_THESE, _l("None of these")))
        answer = CheckboxListField(
            label,
            choices=_choice_list([(o.id, o.text.get(lang)) for o in question.options]),
            validators=[*optional, _exclusive_alone(question, lang)],
            description=help_text,
        )
    else:  # number
        low, high = question.min, question.max
        rng = _l("Between %(low)s and %(high)s.", low=_number_text(low), high=_number_text(high))
        answer = NumberAnswerField(
            label,
            unit=question.unit_symbol(lang),
            validators=[*optional, _in_range(low, high)],
            description=f"{help_text} {rng}".strip() if help_text else rng,
            render_kw={"inputmode": "decimal"},
        )
    fields = {name: answer}
    special_choices += _specials(question)
    if special_choices:
        # optional and unset by default: nothing is checked until the user picks one
        fields[special_name(question.id)] = RadioField(
            _l("Or instead of an answer above (optional)"),
            choices=_choice_list(special_choices),
            validators=optional,
        )
    return fields


def _none_option(question: Question) -> str | None:
    """The ID of an exclusive option worth nothing ("none of these"), if the question has one."""
    return next((o.id for o in question.options if o.exclusive and o.score == 0), None)


def _validate_page(form: FlaskForm, extra_validators: Any = None) -> bool:
    """Field validation, then: ticking options and choosing a special answer is contradictory."""
    ok = FlaskForm.validate(form, extra_validators)
    for question in form.questions:
        special = form._fields.get(special_name(question.id))
        answer = form[answer_name(question.id)]
        if special is None or not special.data:
            continue
        if answer.data not in (None, [], ""):
            special.errors = [*special.errors, str(_l("Answer above or choose this, not both."))]
            ok = False
    return ok


def build_section_form(questionnaire: Questionnaire, pillar_id: str, lang: str) -> type[FlaskForm]:
    """A form class for one pillar page: per question its answer, comment and evidence fields."""
    questions = questionnaire.questions_of(pillar_id)
    attrs: dict[str, Any] = {
        "base_revision": IntegerField(
            widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=0, max=MAX_ID)]
        ),
        "loaded": HiddenField(),  # what the page showed: web/page_digests.py
        "questions": questions,
        "validate": _validate_page,
    }
    for question in questions:
        fields = _answer_fields(question, lang)
        if question.evidence:
            fields[comment_name(question.id)] = TextAreaField(
                _l("Comment"), validators=[Optional(), Length(max=NOTE_MAX)]
            )
            fields[evidence_name(question.id)] = TextAreaField(
                _l("Evidence (documents, systems, figures)"),
                validators=[Optional(), Length(max=NOTE_MAX)],
            )
        clash = set(fields) & set(attrs)
        if clash:
            raise ValueError(f"question {question.id}: form field name clash {sorted(clash)}")
        attrs.update(fields)
    attrs["save"] = SubmitField(_l("Save draft"))
    attrs["save_next"] = SubmitField(_l("Save and continue"))
    return type(f"SectionForm_{pillar_id}", (BaseForm,), attrs)


def form_data(questions: tuple[Question, ...], stored: Mapping[str, PageAnswer]) -> dict[str, Any]:
    """Form defaults for the questions from their stored answers."""
    data: dict[str, Any] = {}
    for question in questions:
        given = stored.get(question.id, PageAnswer())
        name, special = answer_name(question.id), special_name(question.id)
        data[comment_name(question.id)] = given.comment
        data[evidence_name(question.id)] = given.evidence
        marker = {NOT_APPLICABLE: NA, DONT_KNOW: DK}.get(given.status or "")
        data[special] = marker
        if question.type in ("multiple_choice", "number"):
            if given.status == ANSWERED and question.type == "number":
                data[name] = given.value
            elif given.status == ANSWERED and given.value:
                data[name] = list(given.value)
            elif given.status == ANSWERED and given.value is not None:
                # an empty list means "none of these": the question's own none option if it has one
                none = _none_option(question)
                data[name], data[special] = ([none], None) if none else ([], NONE_OF_THESE)
        elif given.status == ANSWERED:
            if question.type == "yes_no":
                data[name] = "yes" if given.value else "no"
            else:
                data[name] = str(given.value)
    return data


def _answer_from(form: FlaskForm, question: Question) -> tuple[str | None, Any]:
    """(status, value) of one question from a validated form."""
    data = form[answer_name(question.id)].data
    special_field = form._fields.get(special_name(question.id))
    special = special_field.data if special_field is not None else None
    marker = special or (data if data in (NA, DK) else None)
    if marker == NA:
        return NOT_APPLICABLE, None
    if marker == DK:
        return DONT_KNOW, None
    if marker == NONE_OF_THESE:
        return ANSWERED, []
    if question.type == "multiple_choice":
        chosen = [o.id for o in question.options if o.id in (data or [])]
        return (ANSWERED, chosen) if chosen else (None, None)
    if data in (None, ""):
        return None, None
    if question.type == "level":
        return ANSWERED, int(data)
    if question.type == "yes_no":
        return ANSWERED, data == "yes"
    if question.type == "number":
        return ANSWERED, int(data) if float(data).is_integer() else data
    return ANSWERED, data


def _page_answer(form: FlaskForm, question: Question) -> PageAnswer:
    """One question's answer, comment and evidence from a form whose fields for it are valid."""
    status, value = _answer_from(form, question)
    comment = form._fields.get(comment_name(question.id))
    evidence = form._fields.get(evidence_name(question.id))
    return PageAnswer(
        status,
        value,
        (comment.data or "").strip() if comment is not None else "",
        (evidence.data or "").strip() if evidence is not None else "",
    )


def page_answers(form: FlaskForm) -> dict[str, PageAnswer]:
    """The page's answers from a validated form, by question ID."""
    return {question.id: _page_answer(form, question) for question in form.questions}


def invalid_questions(form: FlaskForm) -> list[str]:
    """The IDs of the page's questions with an error in any of their fields (after validate)."""
    return [
        question.id
        for question in form.questions
        if any(form[name].errors for name in field_names(question.id).values() if name in form)
    ]


def valid_page_answers(form: FlaskForm) -> dict[str, PageAnswer]:
    """The answers of the questions whose fields all passed validation (a partial draft)."""
    invalid = set(invalid_questions(form))
    return {q.id: _page_answer(form, q) for q in form.questions if q.id not in invalid}


def held_back_notes(form: FlaskForm) -> dict[str, tuple[str, str]]:
    """(comment, evidence) of the page's invalid questions whose note fields are valid."""
    notes: dict[str, tuple[str, str]] = {}
    for question_id in invalid_questions(form):
        fields = [form._fields.get(n(question_id)) for n in (comment_name, evidence_name)]
        if any(f is None or f.errors for f in fields):
            continue
        notes[question_id] = ((fields[0].data or "").strip(), (fields[1].data or "").strip())
    return notes


class StartForm(BaseForm):
    """Start an assessment: choose the questionnaire version and a title."""

    questionnaire = SelectField(_l("Questionnaire"), validators=[InputRequired()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    kind = RadioField(
        _l("Who answers"),
        choices=[
            SelectChoice("self", _l("We fill it in ourselves (self-assessment)")),
            SelectChoice(
                "on_site", _l("I evaluate on site on the firm's behalf (the firm then reviews it)")
            ),
            SelectChoice("respondents", _l("Several members answer apart; the owner consolidates")),
        ],
        default="self",  # absent from a post (older clients, the API): a self-assessment
    )
    submit = SubmitField(_l("Start assessment"))


class SubmitForm(BaseForm):
    """Submit the assessment; confirming is needed while questions are unanswered."""

    confirm_incomplete = BooleanField(_l("Submit although some questions are unanswered"))
    submit = SubmitField(_l("Submit assessment"))

    def validate_confirm_incomplete(self, field: Field) -> None:
        """Unanswered questions need an explicit confirmation."""
        if getattr(self, "incomplete", False) and not field.data:
            raise ValidationError(_l("Please confirm: some questions are unanswered."))
