"""Forms of programmes: create, edit or delete a programme, invite a firm, join, change consent."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField
from wtforms import EmailField
from wtforms import IntegerField
from wtforms import RadioField
from wtforms import SelectField
from wtforms import SelectMultipleField
from wtforms import StringField
from wtforms import SubmitField
from wtforms import ValidationError
from wtforms import widgets
from wtforms.validators import DataRequired
from wtforms.validators import Email
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional

from readiness.web.forms import BaseForm


def consent_choices() -> list[tuple[str, str]]:
    """The two things a firm may share with a programme."""
    return [
        ("results", _l("Results only (scores and levels)")),
        ("answers", _l("Results and answers")),
    ]


class ProgrammeForm(BaseForm):
    """A new programme of the operator organisation."""

    name = StringField(_l("Programme name"), validators=[DataRequired(), Length(max=200)])
    questionnaires = SelectMultipleField(
        _l("Questionnaires"),
        validators=[DataRequired()],
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
    )
    starts_on = DateField(_l("Starts on"), validators=[DataRequired()])
    ends_on = DateField(_l("Ends on"), validators=[Optional()])
    sector_focus = StringField(_l("Sector focus of the firms"), validators=[Length(max=200)])
    repeat_after_days = IntegerField(
        _l("Repeat due after (days)"),
        default=180,
        validators=[DataRequired(), NumberRange(min=1, max=3650)],
    )
    submit = SubmitField(_l("Create programme"))

    def validate_ends_on(self, field: DateField) -> None:
        """The end, if given, is not before the start."""
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The end cannot be before the start."))


class EditProgrammeForm(ProgrammeForm):
    """Change a programme: the same fields, saved over the old ones."""

    submit = SubmitField(_l("Save changes"))


class DeleteProgrammeForm(BaseForm):
    """Delete a programme, confirmed by typing its name."""

    name = StringField(_l("Type the programme's name to confirm"), validators=[DataRequired()])
    submit = SubmitField(_l("Delete the programme"))


class ProgrammeInviteForm(BaseForm):
    """Invite one firm: by e-mail, or leave it empty to get a link to pass on."""

    email = EmailField(
        _l("E-mail address (optional)"), validators=[Optional(), Email(), Length(max=254)]
    )
    submit = SubmitField(_l("Create invitation"))


class JoinForm(BaseForm):
    """Join a programme with one of the organisations the user owns, and consent."""

    organisation_id = SelectField(_l("Join with"), coerce=int, validators=[DataRequired()])
    consent = RadioField(_l("What the programme may see"), validators=[DataRequired()])
    submit = SubmitField(_l("Join and consent"))


class ConsentForm(BaseForm):
    """Change what the firm shares, or withdraw."""

    consent = RadioField(_l("What the programme may see"), validators=[DataRequired()])
    submit = SubmitField(_l("Change consent"))
