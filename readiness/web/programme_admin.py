"""Blueprint "programme_admin": the operator's owners edit or delete a programme."""

from __future__ import annotations

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from readiness.db import get_session
from readiness.i18n import current_language
from readiness.models import Programme
from readiness.services import accounts
from readiness.services import programme_admin
from readiness.services import programme_firms
from readiness.services import programmes
from readiness.web.access import member_required
from readiness.web.audit_trail import origin
from readiness.web.programme_forms import DeleteProgrammeForm
from readiness.web.programme_forms import EditProgrammeForm

bp = Blueprint("programme_admin", __name__, url_prefix="/organisations/<int:org_id>/programmes")


def _programme(org_id: int, programme_id: int) -> Programme:
    """The operator's programme for its owners, or 404."""
    try:
        return programmes.get_programme(get_session(), current_user, org_id, programme_id, "owner")
    except accounts.NotFound:
        abort(404)


def _questionnaire_choices(programme: Programme) -> list[tuple[str, str]]:
    """The installation's questionnaires, and the programme's own even if no longer offered."""
    lang = current_language()
    offered = [(q.id, q.title.get(lang)) for q in current_app.extensions["catalogue"].latest()]
    known = {qid for qid, _title in offered}
    return offered + [(qid, qid) for qid in programme.questionnaire_ids if qid not in known]


@bp.route("/<int:programme_id>/edit", methods=["GET", "POST"])
@member_required("owner")
def edit(org_id: int, programme_id: int) -> Response | str:
    """Change the programme's name, questionnaires, period, sector focus or repeat interval."""
    programme = _programme(org_id, programme_id)
    form = EditProgrammeForm(obj=programme, questionnaires=programme.questionnaire_ids)
    form.questionnaires.choices = _questionnaire_choices(programme)
    if form.validate_on_submit():
        fields = programme_admin.ProgrammeFields(
            form.name.data,
            form.questionnaires.data,
            form.starts_on.data,
            form.ends_on.data,
            form.sector_focus.data or "",
            form.repeat_after_days.data,
        )
        try:
            programme_admin.update_programme(
                get_session(), current_user, org_id, programme_id, fields, origin()
            )
        except programme_admin.QuestionnaireInUse as exc:
            titles = dict(form.questionnaires.choices)
            form.questionnaires.errors = [
                _(
                    "Firms sharing with this programme have already answered “%(title)s”, so it"
                    " stays in the programme (their assessments count in the cohort).",
                    title=titles.get(qid, qid),
                )
                for qid in exc.questionnaire_ids
            ]
        else:
            flash(_("The programme is saved."), "success")
            return redirect(url_for("programmes.show", org_id=org_id, programme_id=programme_id))
    return render_template(
        "programmes/edit.html", form=form, organisation=g.organisation, programme=programme
    )


@bp.route("/<int:programme_id>/delete", methods=["GET", "POST"])
@member_required("owner")
def delete(org_id: int, programme_id: int) -> Response | str:
    """Delete the programme, its invitations and participations; the owner types its name."""
    programme = _programme(org_id, programme_id)
    form = DeleteProgrammeForm()
    if form.validate_on_submit():
        try:
            firms = programme_admin.delete_programme(
                get_session(), current_user, org_id, programme_id, form.name.data, origin()
            )
        except programme_admin.NameMismatch:
            form.name.errors = [_("The name does not match.")]
        else:
            flash(
                ngettext(
                    "The programme is deleted. %(num)d firm was told it ended; its own"
                    " assessments stay with it.",
                    "The programme is deleted. %(num)d firms were told it ended; their own"
                    " assessments stay with them.",
                    firms,
                ),
                "success",
            )
            return redirect(url_for("programmes.index", org_id=org_id))
    status = programme_firms.programme_status(get_session(), programme, per_page=1)  # the counts
    return render_template(
        "programmes/delete.html",
        form=form,
        organisation=g.organisation,
        programme=programme,
        joined=status.joined,
        invited=programme_admin.open_invitations(get_session(), programme_id),
    )
