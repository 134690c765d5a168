"""The company-profile form, built at runtime from a questionnaire's `profile` fields."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field
from wtforms import RadioField
from wtforms import SelectChoice
from wtforms import SelectField
from wtforms import StringField
from wtforms import SubmitField
from wtforms.validators import DataRequired
from wtforms.validators import Length
from wtforms.validators import Optional

from readiness.domain.questionnaire import ProfileField
from readiness.web.forms import BaseForm

FIELD_PREFIX = "profile_"


def field_name(field_id: str) -> str:
    """The form field name of a profile field."""
    return FIELD_PREFIX + field_id


def _make_field(spec: ProfileField, lang: str) -> Field:
    label = spec.text.get(lang)
    if spec.type == "single_choice":
        choices = [SelectChoice("", _l("— not given —"))]
        choices += [SelectChoice(o.id, o.text.get(lang)) for o in spec.options]
        return SelectField(label, choices=choices, default="", validators=[Optional()])
    if spec.type == "yes_no":
        choices = [
            SelectChoice("yes", _l("Yes")),
            SelectChoice("no", _l("No")),
            SelectChoice("", _l("Not given")),
        ]
        return RadioField(label, choices=choices, default="", validators=[Optional()])
    return StringField(label, validators=[Optional(), Length(max=500)])


def build_profile_form(fields: Iterable[ProfileField], lang: str) -> type[FlaskForm]:
    """A form class with the organisation name and one field per profile field."""

    class ProfileForm(BaseForm):
        name = StringField(_l("Organisation name"), validators=[DataRequired(), Length(max=200)])

    specs = tuple(fields)
    for spec in specs:
        setattr(ProfileForm, field_name(spec.id), _make_field(spec, lang))
    ProfileForm.submit = SubmitField(_l("Save profile"))
    ProfileForm.specs = specs  # type: ignore[attr-defined]
    return ProfileForm


def profile_to_formdata(
    fields: Iterable[ProfileField], profile: Mapping[str, Any]
) -> dict[str, Any]:
    """The stored profile as form defaults (booleans become 'yes'/'no')."""
    data: dict[str, Any] = {}
    for spec in fields:
        value = profile.get(spec.id)
        if isinstance(value, bool):
            value = "yes" if value else "no"
        data[field_name(spec.id)] = "" if value is None else str(value)
    return data


def profile_from_form(form: FlaskForm, fields: Iterable[ProfileField]) -> dict[str, Any]:
    """The profile to store from a submitted form; empty answers are left out."""
    profile: dict[str, Any] = {}
    for spec in fields:
        value = form[field_name(spec.id)].data
        if value in (None, ""):
            continue
        if spec.type == "yes_no":
            profile[spec.id] = value == "yes"
        elif spec.type == "single_choice":
            if any(o.id == value for o in spec.options):
                profile[spec.id] = value
        else:
            profile[spec.id] = str(value).strip()
    return profile
