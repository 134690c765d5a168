"""Static WTForms: sign-in, registration, passwords, organisations, members and language.

The questionnaire section forms are built from the data by `build_section_form` in
`readiness/web/assessment_forms.py`; the company-profile form by `readiness/web/profile_forms.py`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from babel.support import Translations
from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms import EmailField
from wtforms import HiddenField
from wtforms import IntegerField
from wtforms import PasswordField
from wtforms import RadioField
from wtforms import SelectChoice
from wtforms import SelectField
from wtforms import StringField
from wtforms import SubmitField
from wtforms import TextAreaField
from wtforms.i18n import messages_path
from wtforms.validators import DataRequired
from wtforms.validators import Email
from wtforms.validators import EqualTo
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional

from readiness.domain.text import clean_line
from readiness.domain.text import clean_text
from readiness.models.base import MAX_ID
from readiness.services.accounts import MIN_PASSWORD_LENGTH


def _clean_note(value: Any) -> Any:
    """Multi-line text: control characters out, line breaks as "\\n", outer whitespace trimmed."""
    return clean_text(value).strip() if isinstance(value, str) else value


def _clean_line(value: Any) -> Any:
    """One-line text: control characters and line breaks out, outer whitespace trimmed."""
    return clean_line(value) if isinstance(value, str) else value


def _strip(value: Any) -> Any:
    """A choice: surrounding whitespace trimmed (so that " " is no choice, not a crash)."""
    return value.strip() if isinstance(value, str) else value


def _input_filter(field_class: type) -> Any:
    """The filter every field of this class gets, or None (passwords are taken as typed)."""
    if issubclass(field_class, PasswordField):
        return None
    if issubclass(field_class, TextAreaField):
        return _clean_note
    if issubclass(field_class, StringField):
        return _clean_line
    if issubclass(field_class, (RadioField, SelectField)):
        return _strip
    return None


@lru_cache(maxsize=8)
def _wtforms_messages(locale: Any) -> Translations:
    """WTForms' own messages in `locale`, read from disk once (Flask-WTF reads them per request)."""
    return Translations.load(messages_path(), [locale], domain="wtforms")


class BaseForm(FlaskForm):
    """The base of every form: text is cleaned on input (control characters, outer whitespace).

    So whitespace-only input counts as empty (DataRequired refuses it), and no note stores a
    character that an export cannot hold. tests/web/test_hostile_input.py checks every form.
    """

    class Meta:
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            """Bind a field with the input filter of its class after its own filters."""
            extra = _input_filter(unbound_field.field_class)
            if extra is not None:
                filters = [extra, *unbound_field.kwargs.get("filters", ())]
                options = {**options, "filters": filters}
            return super().bind_field(form, unbound_field, options)  # type: ignore[misc]

        def get_translations(self, form: Any) -> Any:
            """WTForms' messages in the page's language, loaded once per language."""
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)  # type: ignore[misc]
            return _wtforms_messages(get_locale())  # as Flask-WTF loads them: by Babel locale


def id_field(label: Any) -> IntegerField:
    """A required database ID: a whole number from 1 to MAX_ID (else the form is invalid)."""
    return IntegerField(label, validators=[InputRequired(), NumberRange(min=1, max=MAX_ID)])


def role_choices() -> list[SelectChoice]:
    """The membership roles with their translated names, highest first."""
    return [
        SelectChoice("owner", _l("Owner")),
        SelectChoice("editor", _l("Editor")),
        SelectChoice("viewer", _l("Viewer")),
    ]


def _new_password(label: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(message=_l("Please enter a password.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                message=_l("The password needs at least %(min)d characters."),
            ),
            Length(max=200, message=_l("The password can have at most %(max)d characters.")),
        ],
        description=_l("At least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
        render_kw={"autocomplete": "new-password"},
    )


def _confirm(label: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(message=_l("Please repeat the password.")),
            EqualTo("password", message=_l("The passwords differ.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


def _email() -> EmailField:
    return EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(message=_l("Please enter your e-mail address.")),
            Email(message=_l("This is not a valid e-mail address.")),
            Length(max=254, message=_l("The e-mail address can have at most %(max)d characters.")),
        ],
        render_kw={"autocomplete": "email"},
    )


class LoginForm(BaseForm):
    """Sign in with e-mail address and password."""

    email = _email()
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=1000)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me signed in on this device"))
    submit = SubmitField(_l("Sign in"))


class RegisterForm(BaseForm):
    """Create an account."""

    name = StringField(
        _l("Your name"),
        validators=[
            DataRequired(message=_l("Please enter your name.")),
            Length(max=120, message=_l("The name can have at most %(max)d characters.")),
        ],
        render_kw={"autocomplete": "name"},
    )
    email = _email()
    password = _new_password(_l("Password"))
    confirm = _confirm(_l("Repeat the password"))
    submit = SubmitField(_l("Create account"))


class ChangePasswordForm(BaseForm):
    """Change one's password, confirming the current one."""

    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(), Length(max=1000)],
        render_kw={"autocomplete": "current-password"},
    )
    password = _new_password(_l("New password"))
    confirm = _confirm(_l("Repeat the new password"))
    submit = SubmitField(_l("Change password"))


class ForgotPasswordForm(BaseForm):
    """Ask for a password-reset link."""

    email = _email()
    submit = SubmitField(_l("Send reset link"))


class ResetPasswordForm(BaseForm):
    """Choose a new password through a reset link."""

    password = _new_password(_l("New password"))
    confirm = _confirm(_l("Repeat the new password"))
    submit = SubmitField(_l("Set new password"))


class ActionForm(BaseForm):
    """A button-only form (log out, remove, accept): carries just the CSRF token."""

    submit = SubmitField(_l("Confirm"))


class OrganisationForm(BaseForm):
    """Create an organisation."""

    name = StringField(
        _l("Organisation name"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "organization"},
    )
    submit = SubmitField(_l("Create organisation"))


class SwitchOrganisationForm(BaseForm):
    """Choose the active organisation (the switcher in the navigation)."""

    organisation_id = id_field(_l("Organisation"))
    next = HiddenField()
    submit = SubmitField(_l("Switch"))


class InviteForm(BaseForm):
    """Create an invitation link with a role, optionally mailed to an address."""

    email = EmailField(
        _l("E-mail address (optional)"),
        validators=[
            Optional(),
            Email(message=_l("This is not a valid e-mail address.")),
            Length(max=254, message=_l("The e-mail address can have at most %(max)d characters.")),
        ],
        description=_l("With an address, the link is sent by e-mail where mail is set up."),
        render_kw={"autocomplete": "off"},
    )
    role = SelectField(_l("Role"), choices=role_choices, default="editor")
    submit = SubmitField(_l("Create invitation link"))


class RoleForm(BaseForm):
    """Give a member another role."""

    role = SelectField(_l("Role"), choices=role_choices)
    submit = SubmitField(_l("Change role"))


class LanguageForm(BaseForm):
    """Choose the interface language."""

    lang = SelectField(
        _l("Language"), choices=[SelectChoice("en", "English"), SelectChoice("zh", "中文")]
    )
    next = HiddenField()
    submit = SubmitField(_l("Change language"))
