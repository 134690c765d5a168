"""Plan forms: an action's fields, adopting recommended actions, a status change, the filters."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import DateField
from wtforms import HiddenField
from wtforms import IntegerField
from wtforms import SelectChoice
from wtforms import SelectField
from wtforms import SelectMultipleField
from wtforms import StringField
from wtforms import SubmitField
from wtforms import TextAreaField
from wtforms.validators import DataRequired
from wtforms.validators import Email
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional
from wtforms.validators import ValidationError

from readiness.domain.plan import MAX_LINKS
from readiness.domain.plan import evidence_link_problem
from readiness.models.base import MAX_ID
from readiness.services.plan_export import COST_LABELS
from readiness.services.plan_export import EFFORT_LABELS
from readiness.services.plan_export import STATUS_LABELS
from readiness.services.plans import ActionFields
from readiness.web.forms import BaseForm

OUTSIDE = "outside"  # the owner choice for a person outside the app


def _optional(labels: dict[str, Any]) -> list[SelectChoice]:
    return [SelectChoice("", _l("(not estimated)"))] + [
        SelectChoice(k, v) for k, v in labels.items()
    ]


def _none(value: Any) -> Any:
    return value or None


class PlanActionForm(BaseForm):
    """Write or change a plan action."""

    title = StringField(
        _l("Action"),
        validators=[DataRequired(message=_l("Please name the action.")), Length(max=300)],
    )
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])
    measure_id = SelectField(_l("Measure"), choices=[], validate_choice=True, default="")
    challenge_area = SelectField(_l("Challenge area"), choices=[], validate_choice=True, default="")
    pillar = SelectField(_l("Pillar"), choices=[], validate_choice=True, default="")
    question_ids = SelectMultipleField(
        _l("Questions it should move"),
        choices=[],
        validate_choice=True,
        description=_l(
            "The repeat assessment shows the action next to these questions. Left empty, the "
            "questions of the challenge area (of the pillar, if one is chosen) are linked."
        ),
    )
    owner = SelectField(_l("Action owner"), choices=[], validate_choice=True, default="")
    owner_name = StringField(
        _l("Name of the outside person"),
        validators=[Length(max=120)],
        description=_l("When the owner is not a member of the organisation."),
    )
    owner_email = StringField(
        _l("Their e-mail address (for reminders)"),
        validators=[
            Optional(),
            Email(message=_l("Please enter a valid e-mail address.")),
            Length(max=254),
        ],
    )
    start_date = DateField(_l("Start"), validators=[Optional()])
    due_date = DateField(_l("Due"), validators=[Optional()])
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice(k, v) for k, v in STATUS_LABELS.items()],
        default="planned",
    )
    dropped_reason = TextAreaField(
        _l("Why it was dropped"),
        validators=[Length(max=2000)],
        description=_l("Required when the status is “Dropped”."),
    )
    effort = SelectField(_l("Effort"), choices=_optional(EFFORT_LABELS), default="")
    cost_band = SelectField(_l("Cost"), choices=_optional(COST_LABELS), default="")
    indicator = StringField(
        _l("Indicator it should move"),
        validators=[Length(max=300)],
        description=_l("For example: share of machines with live data, in %."),
    )
    baseline = StringField(_l("Baseline"), validators=[Length(max=120)])
    target = StringField(_l("Target"), validators=[Length(max=120)])
    notes = TextAreaField(_l("Notes"), validators=[Length(max=10000)])
    evidence_links = TextAreaField(
        _l("Evidence links"), description=_l("One http:// or https:// address per line.")
    )
    base_revision = HiddenField()
    submit = SubmitField(_l("Save action"))

    def validate_dropped_reason(self, field: TextAreaField) -> None:
        """A dropped action needs a reason."""
        if self.status.data == "dropped" and not (field.data or "").strip():
            raise ValidationError(_l("Please say why the action was dropped."))

    def validate_due_date(self, field: DateField) -> None:
        """The due date is not before the start."""
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The due date is before the start."))

    def validate_owner_name(self, field: StringField) -> None:
        """An outside owner needs a name."""
        if self.owner.data == OUTSIDE and not (field.data or "").strip():
            raise ValidationError(_l("Please enter the outside person's name."))

    def validate_evidence_links(self, field: TextAreaField) -> None:
        """Every line is an http(s) address; at most MAX_LINKS of them."""
        links = self.links()
        if len(links) > MAX_LINKS:
            raise ValidationError(_l("At most %(n)d links.", n=MAX_LINKS))
        bad = [link for link in links if evidence_link_problem(link)]
        if bad:
            raise ValidationError(
                _l("Not a web address (http:// or https://): %(link)s", link=bad[0][:80])
            )

    def links(self) -> list[str]:
        """The evidence links, one per non-empty line."""
        return [
            line.strip() for line in (self.evidence_links.data or "").splitlines() if line.strip()
        ]

    def fields(self) -> ActionFields:
        """The form's data as the service's ActionFields."""
        owner = self.owner.data
        member = int(owner[5:]) if owner and owner.startswith("user:") else None
        outside = owner == OUTSIDE
        return ActionFields(
            title=self.title.data.strip(),
            description=self.description.data or "",
            measure_id=_none(self.measure_id.data),
            challenge_area=_none(self.challenge_area.data),
            pillar=_none(self.pillar.data),
            question_ids=list(self.question_ids.data or []),
            owner_id=member,
            owner_name=(self.owner_name.data or "").strip() if outside else "",
            owner_email=(self.owner_email.data or "").strip() if outside else "",
            start_date=self.start_date.data,
            due_date=self.due_date.data,
            status=self.status.data,
            dropped_reason=(self.dropped_reason.data or "").strip()
            if self.status.data == "dropped"
            else "",
            effort=_none(self.effort.data),
            cost_band=_none(self.cost_band.data),
            indicator=self.indicator.data or "",
            baseline=self.baseline.data or "",
            target=self.target.data or "",
            notes=self.notes.data or "",
            evidence_links=self.links(),
        )

    def fill_from(self, data: ActionFields, revision: int) -> None:
        """Show a stored action's fields."""
        for name in (
            "title",
            "description",
            "start_date",
            "due_date",
            "status",
            "indicator",
            "baseline",
            "target",
            "notes",
            "dropped_reason",
            "owner_name",
            "owner_email",
        ):
            getattr(self, name).data = getattr(data, name)
        for name in ("measure_id", "challenge_area", "pillar", "effort", "cost_band"):
            getattr(self, name).data = getattr(data, name) or ""
        self.question_ids.data = list(data.question_ids)
        self.owner.data = (
            f"user:{data.owner_id}" if data.owner_id else OUTSIDE if data.owner_name else ""
        )
        self.evidence_links.data = "\n".join(data.evidence_links)
        self.base_revision.data = str(revision)


class AdoptForm(BaseForm):
    """Adopt chosen recommended actions, or a whole roadmap horizon, into the plan."""

    keys = SelectMultipleField(_l("Actions"), choices=[], validate_choice=False)
    horizon = HiddenField()
    submit = SubmitField(_l("Add the chosen actions to the plan"))


class StatusForm(BaseForm):
    """Move an action to another status from the board or the action page."""

    status = SelectField(
        _l("Status"), choices=[SelectChoice(k, v) for k, v in STATUS_LABELS.items()]
    )
    reason = StringField(_l("Why it was dropped"), validators=[Length(max=2000)])
    base_revision = IntegerField(validators=[InputRequired(), NumberRange(min=0, max=MAX_ID)])
    next_page = HiddenField()  # "plan": back to the plan page, else to the action
    submit = SubmitField(_l("Change status"))

    def validate_reason(self, field: StringField) -> None:
        """Dropping needs a reason."""
        if self.status.data == "dropped" and not (field.data or "").strip():
            raise ValidationError(_l("Please say why the action was dropped."))


class PlanFilterForm(BaseForm):
    """The plan page's filters (a GET form, so no CSRF token)."""

    class Meta:
        csrf = False

    pillar = SelectField(_l("Pillar"), choices=[], validate_choice=False)
    measure = SelectField(_l("Measure"), choices=[], validate_choice=False)
    owner = SelectField(_l("Action owner"), choices=[], validate_choice=False)
    overdue = SelectField(
        _l("Due"),
        choices=[SelectChoice("", _l("All")), SelectChoice("1", _l("Overdue only"))],
        validate_choice=False,
    )
    submit = SubmitField(_l("Filter"))
