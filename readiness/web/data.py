"""Blueprint "data": deleting assessments and organisations, the audit log, exports."""

from __future__ import annotations

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_required
from werkzeug.wrappers import Response
from wtforms.validators import DataRequired

from readiness.db import get_session
from readiness.models.base import utcnow
from readiness.services import assessments
from readiness.services import audit
from readiness.services import deletion
from readiness.services import organisation_export
from readiness.services.report_export import render_format
from readiness.services.report_render import cache_dir
from readiness.services.reports import assessment_report_data
from readiness.web.access import member_required
from readiness.web.access import set_active_organisation
from readiness.web.account_forms import DeleteAssessmentForm
from readiness.web.account_forms import DeleteOrganisationForm
from readiness.web.audit_trail import ACTION_LABELS
from readiness.web.audit_trail import origin
from readiness.web.forms import ActionForm

bp = Blueprint("data", __name__)
AUDIT_PAGE_SIZE = 50


@bp.app_template_global()
def audit_action_label(action: str) -> str:
    """An audit action in words, in the page's language."""
    return str(ACTION_LABELS.get(action, action))


@bp.route("/assessments/<int:assessment_id>/delete", methods=["GET", "POST"])
@login_required
def delete_assessment(assessment_id: int) -> Response | str:
    """Delete a draft (editors) or a submitted assessment (owners, who tick a confirmation)."""
    session = get_session()
    assessment = assessments.get_assessment(session, current_user, assessment_id, "editor")
    if assessment.status == "submitted":
        assessments.get_assessment(session, current_user, assessment_id, "owner")
    form = DeleteAssessmentForm()
    if assessment.status == "submitted":
        form.confirm.validators = [DataRequired()]
    else:
        del form.confirm  # a draft goes without a second question
    if form.validate_on_submit():
        deletion.delete_assessment(
            session,
            current_user,
            assessment,
            confirm=True,  # the ticked box (submitted) or the button (draft)
            cache_directory=cache_dir(),
            origin=origin(),
        )
        flash(_("The assessment is deleted."), "success")
        return redirect(url_for("assessments.index"))
    return render_template("data/delete_assessment.html", assessment=assessment, form=form)


@bp.route("/organisations/<int:org_id>/delete", methods=["GET", "POST"])
@member_required("owner")
def delete_organisation(org_id: int) -> Response | str:
    """Delete the organisation with all its data; the owner types its name to confirm."""
    form = DeleteOrganisationForm()
    if form.validate_on_submit():
        try:
            deletion.delete_organisation(
                get_session(),
                current_user,
                org_id,
                form.name.data,
                cache_directory=cache_dir(),
                origin=origin(),
            )
        except deletion.ConfirmationRequired:
            form.name.errors.append(_("The name does not match."))
        else:
            set_active_organisation(None)
            flash(_("The organisation and all its data are deleted."), "success")
            return redirect(url_for("main.index"))
    return render_template("data/delete_organisation.html", organisation=g.organisation, form=form)


@bp.route("/organisations/<int:org_id>/export", methods=["POST"])
@member_required("owner")
def export_organisation(org_id: int) -> Response:
    """Download the organisation's archive: its data as JSON and its reports (owners)."""
    if not ActionForm().validate_on_submit():
        abort(400)
    session = get_session()
    body = organisation_export.export_organisation(
        session,
        current_user,
        org_id,
        current_app.extensions["catalogue"],
        lambda a, q, lang, fmt: render_format(assessment_report_data(session, q, a, lang), fmt),
        origin=origin(),
    )
    response = Response(body, content_type="application/zip")
    name = f"readiness-organisation-{org_id}-{utcnow():%Y%m%d}.zip"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/organisations/<int:org_id>/audit")
@member_required("owner")
def audit_log(org_id: int) -> str:
    """The organisation's audit log, newest first (owners; read-only)."""
    page = request.args.get("page", 1, type=int)
    if not 1 <= page <= 100_000:
        abort(404)
    events, total = audit.events_of(get_session(), current_user, org_id, page, AUDIT_PAGE_SIZE)
    return render_template(
        "data/audit.html",
        organisation=g.organisation,
        events=events,
        page=page,
        pages=max(1, -(-total // AUDIT_PAGE_SIZE)),
    )
