"""Forms for the firm's data: a new API token; deleting an account, organisation or assessment."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms import PasswordField
from wtforms import SelectChoice
from wtforms import SelectField
from wtforms import StringField
from wtforms import SubmitField
from wtforms.validators import DataRequired
from wtforms.validators import Length

from readiness.services.tokens import EXPIRY_DAYS
from readiness.web.forms import BaseForm


class TokenForm(BaseForm):
    """Create a personal access token for one organisation, read-only or read-write."""

    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=100)],
        description=_l("What the token is for, e.g. “ERP export”."),
    )
    organisation_id = SelectField(_l("Organisation"), coerce=int, choices=[])
    scope = SelectField(
        _l("Access"),
        choices=[
            SelectChoice("read", _l("Read only")),
            SelectChoice("write", _l("Read and write")),
        ],
        default="read",
    )
    days = SelectField(
        _l("Valid for"),
        coerce=int,
        choices=[SelectChoice(d, _l("%(n)d days", n=d)) for d in EXPIRY_DAYS],
        default=90,
    )
    submit = SubmitField(_l("Create token"))


class DeleteAccountForm(BaseForm):
    """Delete one's own account, confirmed with the password."""

    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Delete my account"))


class DeleteOrganisationForm(BaseForm):
    """Delete an organisation, confirmed by typing its name."""

    name = StringField(_l("Type the organisation's name to confirm"), validators=[DataRequired()])
    submit = SubmitField(_l("Delete the organisation and all its data"))


class DeleteAssessmentForm(BaseForm):
    """Delete an assessment; a submitted one needs the box ticked."""

    confirm = BooleanField(
        _l("I understand that its answers, results, share links and reports are deleted too")
    )
    submit = SubmitField(_l("Delete the assessment"))
