"""Blueprint "programmes": an operator's programmes, their firms, cohort view, exports, report."""

from __future__ import annotations

import logging
import smtplib
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
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user

from readiness.db import get_session
from readiness.domain.questionnaire import Questionnaire
from readiness.i18n import current_language
from readiness.models import Programme
from readiness.services import accounts
from readiness.services import cohort
from readiness.services import cohort_table
from readiness.services import programme_admin
from readiness.services import programme_firms
from readiness.services import programmes
from readiness.services.answer_input import page_answer
from readiness.services.cohort_export import cohort_csv
from readiness.services.cohort_export import cohort_xlsx
from readiness.services.cohort_export import render_cohort_pdf
from readiness.services.cohort_view import cohort_view
from readiness.services.cohort_view import option_label
from readiness.services.cohort_view import table_rows
from readiness.services.isolation import run_isolated
from readiness.services.mail import send_mail
from readiness.web.access import member_required
from readiness.web.answer_text import describe_answer
from readiness.web.audit_trail import origin
from readiness.web.forms import ActionForm
from readiness.web.programme_forms import ProgrammeForm
from readiness.web.programme_forms import ProgrammeInviteForm

bp = Blueprint("programmes", __name__, url_prefix="/organisations/<int:org_id>/programmes")
log = logging.getLogger(__name__)
EXPORTS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _programme(org_id: int, programme_id: int, role: str = "viewer") -> Programme:
    """The operator's programme, or 404."""
    try:
        return programmes.get_programme(get_session(), current_user, org_id, programme_id, role)
    except accounts.NotFound:
        abort(404)


def _questionnaire(programme: Programme) -> Questionnaire:
    """The programme questionnaire chosen by ?q= (else its first), in its latest version."""
    chosen = request.args.get("q", "")
    qid = chosen if chosen in programme.questionnaire_ids else programme.questionnaire_ids[0]
    try:
        return current_app.extensions["catalogue"].get(qid)
    except LookupError:
        abort(404)


def _questionnaire_choices() -> list[tuple[str, str]]:
    lang = current_language()
    return [(q.id, q.title.get(lang)) for q in current_app.extensions["catalogue"].latest()]


@bp.route("/")
@member_required("viewer")
def index(org_id: int) -> str:
    """The organisation's programmes."""
    return render_template(
        "programmes/index.html",
        organisation=g.organisation,
        programmes=programmes.programmes_of(get_session(), org_id),
        can_create=g.membership.role == "owner",
    )


@bp.route("/new", methods=["GET", "POST"])
@member_required("owner")
def create(org_id: int) -> Response | str:
    """Create a programme (owners of the operator organisation)."""
    form = ProgrammeForm()
    form.questionnaires.choices = _questionnaire_choices()
    if form.validate_on_submit():
        programme = programmes.create_programme(
            get_session(),
            current_user,
            org_id,
            form.name.data,
            form.questionnaires.data,
            form.starts_on.data,
            form.ends_on.data,
            form.sector_focus.data or "",
            form.repeat_after_days.data,
            origin=origin(),
        )
        flash(_("Programme “%(name)s” created.", name=programme.name), "success")
        return redirect(url_for(".show", org_id=org_id, programme_id=programme.id))
    return render_template("programmes/create.html", form=form, organisation=g.organisation)


def _show(org_id: int, programme: Programme, link: str | None = None) -> str:
    session, page = get_session(), request.args.get("page", 1, type=int)
    status = programme_firms.programme_status(session, programme, page=page)
    if page > status.pages:  # past the last page (or not a page): show the last one
        status = programme_firms.programme_status(session, programme, page=status.pages)
    return render_template(
        "programmes/show.html",
        organisation=g.organisation,
        programme=programme,
        status=status,
        invite_form=ProgrammeInviteForm(formdata=None),
        action_form=ActionForm(formdata=None),
        invitation_days=current_app.config["PROGRAMME_INVITATION_MAX_AGE"].days,
        invite_link=link,
        is_owner=g.membership.role == "owner",
    )


@bp.route("/<int:programme_id>/")
@member_required("viewer")
def show(org_id: int, programme_id: int) -> str:
    """A programme's firms and their status; owners invite firms here."""
    return _show(org_id, _programme(org_id, programme_id))


@bp.route("/<int:programme_id>/invitations", methods=["POST"])
@member_required("owner")
def invite(org_id: int, programme_id: int) -> Response | str:
    """Invite one firm: the link is shown once (and mailed when an address is given)."""
    programme = _programme(org_id, programme_id, "owner")
    form = ProgrammeInviteForm()
    if not form.validate_on_submit():
        flash(_("Please give a valid e-mail address, or none for a link."), "error")
        return redirect(url_for(".show", org_id=org_id, programme_id=programme_id))
    participation, token = programmes.invite_firm(
        get_session(),
        current_user,
        programme,
        form.email.data or None,
        origin=origin(),
        valid_for=current_app.config["PROGRAMME_INVITATION_MAX_AGE"],
    )
    return _hand_out(org_id, programme, participation, token)


def _hand_out(org_id: int, programme: Programme, participation: Any, token: str) -> str:
    """Mail a fresh invitation link where an address is known; show it once either way."""
    link = url_for("participation.join", token=token, _external=True)
    until = format_datetime(participation.expires_at)
    if participation.email and _mail(participation.email, programme, link, until):
        flash(
            _(
                "The invitation was sent to %(email)s. Its link works until %(until)s.",
                email=participation.email,
                until=until,
            ),
            "success",
        )
    else:
        flash(
            _(
                "Invitation created. Pass the link on to the firm; it works until %(until)s.",
                until=until,
            ),
            "success",
        )
    return _show(org_id, programme, link)


@bp.route("/<int:programme_id>/invitations/<int:participation_id>/revoke", methods=["POST"])
@member_required("owner")
def revoke_invitation(org_id: int, programme_id: int, participation_id: int) -> Response:
    """Withdraw an unused invitation link: a firm opening it is told to ask for a new one."""
    programme = _programme(org_id, programme_id, "owner")
    if ActionForm().validate_on_submit():
        try:
            programme_admin.revoke_invitation(
                get_session(), current_user, programme, participation_id, origin()
            )
        except accounts.NotFound:
            abort(404)
        except programme_admin.InvitationClosed:
            flash(_("This firm has joined already; its link is used."), "info")
        else:
            flash(_("The invitation is withdrawn; its link no longer works."), "success")
    return redirect(url_for(".show", org_id=org_id, programme_id=programme_id))


@bp.route("/<int:programme_id>/invitations/<int:participation_id>/renew", methods=["POST"])
@member_required("owner")
def renew_invitation(org_id: int, programme_id: int, participation_id: int) -> Response | str:
    """A new link for an unused invitation (the old link stops working); shown once, mailed."""
    programme = _programme(org_id, programme_id, "owner")
    if not ActionForm().validate_on_submit():
        return redirect(url_for(".show", org_id=org_id, programme_id=programme_id))
    try:
        participation, token = programme_admin.renew_invitation(
            get_session(),
            current_user,
            programme,
            participation_id,
            current_app.config["PROGRAMME_INVITATION_MAX_AGE"],
            origin(),
        )
    except accounts.NotFound:
        abort(404)
    except programme_admin.InvitationClosed:
        flash(_("This firm has joined already; its link is used."), "info")
        return redirect(url_for(".show", org_id=org_id, programme_id=programme_id))
    return _hand_out(org_id, programme, participation, token)


def _mail(email: str, programme: Programme, link: str, until: str) -> bool:
    """Mail the invitation link; False without MAIL_SERVER or when sending fails (link shown)."""
    if not current_app.config.get("MAIL_SERVER"):
        return False
    subject = _("Invitation to the programme %(name)s", name=programme.name)
    body = _(
        "%(operator)s invites your firm to its programme %(name)s on Readiness. Open this link"
        " to join with your organisation and choose what the programme may see (the link works"
        " until %(until)s):\n\n%(link)s",
        operator=g.organisation.name,
        name=programme.name,
        link=link,
        until=until,
    )
    try:
        return send_mail(current_app.config, email, subject, body)
    except (OSError, smtplib.SMTPException):
        log.exception("could not send the programme invitation to %s", email)
        return False


def _numbers(programme: Programme) -> tuple[Questionnaire, Any]:
    q = _questionnaire(programme)
    return q, cohort.cohort(get_session(), programme, q.id)


def _page_number() -> int:
    return request.args.get("page", 1, type=int) or 1


@bp.route("/<int:programme_id>/cohort")
@member_required("viewer")
def cohort_page(org_id: int, programme_id: int) -> str:
    """The cohort: distributions, breakdowns, measures, rounds and the table of firms."""
    programme = _programme(org_id, programme_id)
    q, numbers = _numbers(programme)
    sort = request.args.get("sort", "overall")
    descending = request.args.get("order", "desc") != "asc"
    page = cohort_table.firm_page(
        get_session(), programme, q.id, sort, descending, _page_number(), total=numbers.firms
    )
    lang = current_language()
    return render_template(
        "programmes/cohort.html",
        organisation=g.organisation,
        programme=programme,
        q=q,
        view=cohort_view(q, numbers, lang),
        page=page,
        sort=sort,
        descending=descending,
        label=lambda dim, value: option_label(q, dim, value, lang),
    )


@bp.route("/<int:programme_id>/cohort.<fmt>")
@member_required("viewer")
def export(org_id: int, programme_id: int, fmt: str) -> Response:
    """The table of consenting firms as CSV or XLSX, or the cohort report as PDF."""
    if fmt not in EXPORTS:
        abort(404)
    programme = _programme(org_id, programme_id)
    q = _questionnaire(programme)
    lang = current_language()
    every = cohort_table.firm_page(get_session(), programme, q.id, per_page=None)
    if fmt == "pdf":
        _q, numbers = _numbers(programme)
        context = {
            "programme_name": programme.name,
            "operator": g.organisation.name,
            "view": cohort_view(q, numbers, lang),
            "rows": table_rows(q, every, lang),
        }
        body = run_isolated(render_cohort_pdf, context, lang)
    elif fmt == "xlsx":
        body = cohort_xlsx(table_rows(q, every, lang), programme.name)
    else:
        body = cohort_csv(table_rows(q, every, lang))
    response = Response(body, content_type=EXPORTS[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="cohort-{programme.id}.{fmt}"'
    return response


@bp.route("/<int:programme_id>/firms/<int:participation_id>")
@member_required("viewer")
def firm(org_id: int, programme_id: int, participation_id: int) -> str:
    """What one consenting firm shares: its latest result, and its answers if it agreed to that."""
    programme = _programme(org_id, programme_id)
    try:
        participation, assessment = cohort_table.shared_assessment(
            get_session(), programme, participation_id
        )
    except LookupError:
        abort(404)
    shared = cohort_table.shared_view(get_session(), participation, assessment)
    return render_template(
        "programmes/firm.html",
        organisation=g.organisation,
        programme=programme,
        participation=participation,
        assessment=assessment,
        shared=shared,
        **_shared_rows(assessment, shared),
    )


def _shared_rows(assessment: Any, shared: cohort_table.SharedView) -> dict[str, Any]:
    """The shared scores and (if consented) answers as rows of text in the page's language."""
    if assessment is None:
        return {"score_rows": [], "answer_rows": []}
    lang = current_language()
    q = current_app.extensions["catalogue"].get(
        assessment.questionnaire_id, assessment.questionnaire_version
    )
    titles = {p.id: p.title.get(lang) for p in q.pillars}
    titles |= {a.id: f"{a.id} {a.title.get(lang)}" for a in q.challenge_areas}
    score_rows = [(titles.get(s.key, s.key), s.score, s.level) for s in shared.scores]
    answer_rows = []
    if shared.answers is not None:
        for question in q.questions:
            given = page_answer(shared.answers.get(question.id))
            answer_rows.append((question.text.get(lang), describe_answer(question, given, lang)))
    return {"score_rows": score_rows, "answer_rows": answer_rows}
