"""Blueprint "plans": an organisation's action plan: list, board, timeline, adopt, exports."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint
from flask import Response
from flask import abort
from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice as C

from readiness.db import get_session
from readiness.domain.plan_links import candidates
from readiness.domain.plan_links import linked_questions
from readiness.domain.questionnaire import Questionnaire
from readiness.i18n import current_language
from readiness.models import ROLES
from readiness.models import Assessment
from readiness.models import PlanAction
from readiness.models import User
from readiness.services import plans as service
from readiness.services.assessments import stored_result
from readiness.services.comparisons import latest_submitted
from readiness.services.organisations import members_of
from readiness.services.plan_export import COST_LABELS
from readiness.services.plan_export import EFFORT_LABELS
from readiness.services.plan_export import FIELD_LABELS
from readiness.services.plan_export import STATUS_LABELS
from readiness.services.plan_export import plan_ics
from readiness.services.plan_export import plan_rows
from readiness.services.plan_export import plan_xlsx
from readiness.services.plan_loop import question_ids_in
from readiness.services.plan_view import plan_page
from readiness.services.questionnaires import UnknownQuestionnaire
from readiness.web.access import member_required
from readiness.web.audit_trail import origin
from readiness.web.forms import ActionForm
from readiness.web.plan_forms import OUTSIDE
from readiness.web.plan_forms import AdoptForm
from readiness.web.plan_forms import PlanActionForm
from readiness.web.plan_forms import PlanFilterForm
from readiness.web.plan_forms import StatusForm

bp = Blueprint("plans", __name__, url_prefix="/organisations/<int:org_id>/plan")


@bp.app_template_filter("plan_status")
def plan_status(status: str) -> str:
    """The translated name of an action status."""
    return str(STATUS_LABELS.get(status, status))


@bp.app_template_global()
def field_label(name: str) -> str:
    """The translated label of a plan action's field (for its history)."""
    return str(FIELD_LABELS.get(name, name))


@bp.app_template_global()
def history_value(name: str, value: Any) -> str:
    """A recorded value as text: statuses and bands translated, members by name, lists joined."""
    if value is None or value == "" or value == []:
        return "—"
    if name == "status":
        return plan_status(value)
    if name in ("effort", "cost_band"):
        labels = EFFORT_LABELS if name == "effort" else COST_LABELS
        return str(labels.get(value, value))
    if name == "owner_id":
        user = get_session().get(User, value)
        return user.name if user else f"#{value}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _can(role: str) -> bool:
    return ROLES.index(g.membership.role) >= ROLES.index(role)


def _action(org_id: int, action_id: int) -> PlanAction:
    action = get_session().get(PlanAction, action_id)
    if action is None or action.organisation_id != org_id:
        abort(404)
    return action


def _questionnaire(action: PlanAction | None = None) -> Questionnaire:
    """The questionnaire whose measures and questions the form offers.

    An action's own version; for a new action the organisation's last questionnaire.
    """
    catalogue = current_app.extensions["catalogue"]
    if action is not None and action.questionnaire_id:
        wanted = (action.questionnaire_id, action.questionnaire_version)
    else:  # the questionnaire the organisation last used, in its latest version
        latest = latest_submitted(get_session(), g.organisation.id)
        wanted = (latest.questionnaire_id, None) if latest else None
    if wanted is not None:
        try:
            return catalogue.get(*wanted)
        except UnknownQuestionnaire:
            pass
    plans_from = [q for q in catalogue.latest() if not q.is_tree]  # format 2 has no measures
    if not plans_from:
        abort(404)  # no questionnaire with measures is installed at all
    return plans_from[0]


def _pillar_titles() -> dict[str, str]:
    """Pillar IDs to their titles in the page language (from the latest questionnaires)."""
    lang = current_language()
    catalogue = current_app.extensions["catalogue"]
    return {p.id: p.title.get(lang) for q in reversed(catalogue.latest()) for p in q.pillars}


def _measure_titles() -> dict[str, str]:
    """Measure IDs to their titles in the page language (from the latest questionnaires)."""
    lang = current_language()
    catalogue = current_app.extensions["catalogue"]
    return {m.id: m.title.get(lang) for q in reversed(catalogue.latest()) for m in q.measures}


def _action_form(q: Questionnaire, formdata: Any = "auto") -> PlanActionForm:
    lang = current_language()
    form = PlanActionForm() if formdata == "auto" else PlanActionForm(formdata=formdata)
    none = [C("", _("(none)"))]
    form.measure_id.choices = none + [C(m.id, f"§{m.id} {m.title.get(lang)}") for m in q.measures]
    form.challenge_area.choices = none + [
        C(a.id, f"§{a.id} {a.title.get(lang)}") for a in q.challenge_areas
    ]
    form.pillar.choices = none + [C(p.id, p.title.get(lang)) for p in q.pillars]
    form.question_ids.choices = [C(x.id, x.text.get(lang)) for x in q.questions]
    members = members_of(get_session(), g.organisation.id)
    form.owner.choices = (
        [C("", _("(nobody yet)"))]
        + [C(f"user:{m.user_id}", m.user.name) for m in members]
        + [C(OUTSIDE, _("Someone outside the app (name below)"))]
    )
    return form


def _with_links(q: Questionnaire, data: service.ActionFields) -> service.ActionFields:
    """Fill in what the user left open: the measure's challenge area, and the area's questions."""
    if data.measure_id and not data.challenge_area:
        area = next((a for a in q.challenge_areas if a.measure == data.measure_id), None)
        data.challenge_area = area.id if area else None
    if data.challenge_area and not data.question_ids:
        data.question_ids = list(linked_questions(q, data.challenge_area, data.pillar))
    return data


def _question_texts(action: PlanAction) -> list[str]:
    """The texts of the questions the action should move, in the page language."""
    q, lang = _questionnaire(action), current_language()
    return [q.question(qid).text.get(lang) for qid in question_ids_in(action, q)]


def _error_text(exc: service.PlanError) -> str:
    """A service's refusal in the page language (the form's own checks usually come first)."""
    if isinstance(exc, service.NotAMember):
        return _("The owner must be a member of the organisation.")
    return _("Please check the status, the dates and the reason for dropping.")


@bp.route("/")
@member_required("viewer")
def index(org_id: int) -> str:
    """The plan: filters, progress per measure, the timeline, the board and the list."""
    form = PlanFilterForm(request.args)
    f = service.PlanFilter(
        pillar=form.pillar.data or None,
        measure=form.measure.data or None,
        owner=form.owner.data or None,
        overdue=form.overdue.data == "1",
    )
    page = plan_page(get_session(), org_id, f, current_language(), date.today())
    titles = _pillar_titles()
    form.pillar.choices = [C("", _("All"))] + [C(p, titles.get(p, p)) for p in page.pillars]
    measures = _measure_titles()
    form.measure.choices = [C("", _("All"))] + [
        C(m, f"§{m} {measures.get(m, '')}".strip()) for m in page.measures
    ]
    form.owner.choices = [C("", _("All")), C("none", _("Nobody yet"))] + [
        C(value, name) for value, name in page.owners
    ]
    return render_template(
        "plans/index.html",
        page=page,
        filter_form=form,
        can_edit=_can("editor"),
        status_form=StatusForm(formdata=None),
        measure_titles=measures,
        filtered=any(request.args.values()),
    )


@bp.route("/new", methods=["GET", "POST"])
@member_required("editor")
def new(org_id: int) -> str | Response:
    """Write an action of one's own."""
    q = _questionnaire()
    form = _action_form(q)
    if form.validate_on_submit():
        try:
            action = service.create_action(
                get_session(),
                g.organisation,
                current_user,
                _with_links(q, form.fields()),
                (q.id, q.version),
            )
        except service.PlanError as exc:
            form.title.errors = [*form.title.errors, _error_text(exc)]
        else:
            flash(_("Action added to the plan."), "success")
            return redirect(url_for(".show", org_id=org_id, action_id=action.id))
    return render_template("plans/edit.html", form=form, action=None), 422 if form.errors else 200


@bp.route("/<int:action_id>")
@member_required("viewer")
def show(org_id: int, action_id: int) -> str:
    """One action with its links, fields and the history of its changes."""
    action = _action(org_id, action_id)
    form = StatusForm(formdata=None, status=action.status, base_revision=action.revision)
    return render_template(
        "plans/show.html",
        action=action,
        pillar_titles=_pillar_titles(),
        questions=_question_texts(action),
        row=plan_rows([action], current_language())[0],
        history=service.history(get_session(), action),
        status_form=form,
        can_edit=_can("editor"),
        can_delete=_can("owner"),
        delete_form=ActionForm(formdata=None),
    )


@bp.route("/<int:action_id>/edit", methods=["GET", "POST"])
@member_required("editor")
def edit(org_id: int, action_id: int) -> str | Response | tuple[str, int]:
    """Change an action's fields (a change made meanwhile by someone else is not overwritten)."""
    action = _action(org_id, action_id)
    q = _questionnaire(action)
    form = _action_form(q)
    if not form.is_submitted():
        form.fill_from(service.ActionFields.of(action), action.revision)
    elif form.validate():
        try:
            given = form.base_revision.data or ""
            revision = int(given) if given.isdigit() else 0  # unreadable: treated as stale
            fields = _with_links(q, form.fields())
            service.update_action(get_session(), action, current_user, fields, revision)
        except service.StaleAction:
            # Keep what was typed; saving again from here overwrites the newer version knowingly.
            form.base_revision.data = str(action.revision)
            return render_template("plans/edit.html", form=form, action=action, stale=True), 409
        except service.PlanError as exc:
            form.title.errors = [*form.title.errors, _error_text(exc)]
        else:
            flash(_("Action saved."), "success")
            return redirect(url_for(".show", org_id=org_id, action_id=action_id))
    return render_template("plans/edit.html", form=form, action=action), 422 if form.errors else 200


@bp.route("/<int:action_id>/status", methods=["POST"])
@member_required("editor")
def status(org_id: int, action_id: int) -> Response:
    """Move an action to another status (board and action page)."""
    action = _action(org_id, action_id)
    form = StatusForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(str(e) for e in errors), "error")
    else:
        try:
            service.set_status(
                get_session(),
                action,
                current_user,
                form.status.data,
                form.base_revision.data,
                form.reason.data or "",
            )
            flash(
                _("Status changed to “%(status)s”.", status=plan_status(form.status.data)),
                "success",
            )
        except service.StaleAction:
            flash(
                _("Someone changed this action meanwhile; please check it and try again."), "error"
            )
    if form.next_page.data == "plan":
        return redirect(url_for(".index", org_id=org_id))
    return redirect(url_for(".show", org_id=org_id, action_id=action_id))


@bp.route("/<int:action_id>/delete", methods=["POST"])
@member_required("owner")
def delete(org_id: int, action_id: int) -> Response:
    """Delete an action and its history (owners)."""
    action = _action(org_id, action_id)
    if ActionForm().validate_on_submit():
        service.delete_action(get_session(), action, current_user, origin())
        flash(_("Action deleted."), "success")
    return redirect(url_for(".index", org_id=org_id))


@bp.route("/adopt/<int:assessment_id>", methods=["POST"])
@member_required("editor")
def adopt(org_id: int, assessment_id: int) -> Response:
    """Adopt recommended actions (chosen ones or a whole horizon) from an assessment's results."""
    form = AdoptForm()
    if not form.validate_on_submit():
        abort(400)
    assessment = get_session().get(Assessment, assessment_id)
    if assessment is None or assessment.organisation_id != org_id:
        abort(404)
    if assessment.status != "submitted":
        abort(404)  # a draft has no recommendations to adopt
    q = _questionnaire_of(assessment)
    if q.is_tree:
        abort(404)  # a format-2 questionnaire has no measures, so nothing to adopt
    offered = candidates(q, stored_result(get_session(), assessment, current_language()))
    keys = set(form.keys.data or ())
    chosen = [
        c
        for c in offered
        if c.key in keys or (form.horizon.data and c.horizon == form.horizon.data)
    ]
    if not chosen:
        flash(_("Choose at least one action to add to the plan."), "error")
        return redirect(url_for("assessments.results", assessment_id=assessment.id))
    outcome = service.adopt(get_session(), g.organisation, current_user, assessment, chosen)
    flash(
        ngettext(
            "%(num)d action added to the plan.",
            "%(num)d actions added to the plan.",
            len(outcome.added),
        ),
        "success",
    )
    if outcome.already:
        flash(
            ngettext(
                "%(num)d was already in the plan.",
                "%(num)d were already in the plan.",
                outcome.already,
            ),
            "info",
        )
    return redirect(url_for(".index", org_id=org_id))


def _questionnaire_of(assessment: Assessment) -> Questionnaire:
    try:
        return current_app.extensions["catalogue"].get(
            assessment.questionnaire_id, assessment.questionnaire_version
        )
    except UnknownQuestionnaire:
        abort(404)


@bp.route("/plan.<fmt>")
@member_required("viewer")
def export(org_id: int, fmt: str) -> Response:
    """The plan alone as an Excel workbook or an iCalendar file of its due dates."""
    if fmt not in ("xlsx", "ics"):
        abort(404)
    lang = current_language()
    rows = plan_rows(service.list_actions(get_session(), org_id), lang)
    if fmt == "xlsx":
        body, mime = (
            plan_xlsx(rows, lang),
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )
    else:
        host = request.host.split(":")[0] or "readiness"
        body, mime = plan_ics(rows, g.organisation.name, host, lang), "text/calendar; charset=utf-8"
    response = Response(body, mimetype=mime)
    response.headers["Content-Disposition"] = f'attachment; filename="plan-{org_id}.{fmt}"'
    return response
