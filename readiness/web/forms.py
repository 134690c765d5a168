"""Static WTForms: sign-in, registration, passwords, organisations, members and language.

The questionnaire section forms are built from the data by `build_section_form` in
`readiness/web/assessment_forms.py`; the company-profile form by `readiness/web/profile_forms.py`.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms import EmailField
from wtforms import HiddenField
from wtforms import IntegerField
from wtforms import PasswordField
from wtforms import SelectChoice
from wtforms import SelectField
from wtforms import StringField
from wtforms import SubmitField
from wtforms.validators import DataRequired
from wtforms.validators import Email
from wtforms.validators import EqualTo
from wtforms.validators import InputRequired
from wtforms.validators import Length

from readiness.services.accounts import MIN_PASSWORD_LENGTH


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


class LoginForm(FlaskForm):
    """Sign in with e-mail address and password."""

    email = _email()
    password = PasswordField(
        _l("Password"), validators=[DataRequired()], render_kw={"autocomplete": "current-password"}
    )
    remember = BooleanField(_l("Keep me signed in on this device"))
    submit = SubmitField(_l("Sign in"))


class RegisterForm(FlaskForm):
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


class ChangePasswordForm(FlaskForm):
    """Change one's password, confirming the current one."""

    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )
    password = _new_password(_l("New password"))
    confirm = _confirm(_l("Repeat the new password"))
    submit = SubmitField(_l("Change password"))


class ForgotPasswordForm(FlaskForm):
    """Ask for a password-reset link."""

    email = _email()
    submit = SubmitField(_l("Send reset link"))


class ResetPasswordForm(FlaskForm):
    """Choose a new password through a reset link."""

    password = _new_password(_l("New password"))
    confirm = _confirm(_l("Repeat the new password"))
    submit = SubmitField(_l("Set new password"))


class ActionForm(FlaskForm):
    """A button-only form (log out, remove, accept): carries just the CSRF token."""

    submit = SubmitField(_l("Confirm"))


class OrganisationForm(FlaskForm):
    """Create an organisation."""

    name = StringField(
        _l("Organisation name"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "organization"},
    )
    submit = SubmitField(_l("Create organisation"))


class SwitchOrganisationForm(FlaskForm):
    """Choose the active organisation (the switcher in the navigation)."""

    organisation_id = IntegerField(_l("Organisation"), validators=[InputRequired()])
    next = HiddenField()
    submit = SubmitField(_l("Switch"))


class InviteForm(FlaskForm):
    """Create an invitation link with a role."""

    role = SelectField(_l("Role"), choices=role_choices, default="editor")
    submit = SubmitField(_l("Create invitation link"))


class RoleForm(FlaskForm):
    """Give a member another role."""

    role = SelectField(_l("Role"), choices=role_choices)
    submit = SubmitField(_l("Change role"))


class LanguageForm(FlaskForm):
    """Choose the interface language."""

    lang = SelectField(
        _l("Language"), choices=[SelectChoice("en", "English"), SelectChoice("zh", "中文")]
    )
    next = HiddenField()
    submit = SubmitField(_l("Change language"))
