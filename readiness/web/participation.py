"""Blueprint "participation": a firm joins a programme and changes or withdraws its consent."""

from __future__ import annotations

from datetime import date

from flask import Blueprint
from flask import abort
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_login import login_required
from werkzeug.wrappers import Response

from readiness.db import get_session
from readiness.services import accounts
from readiness.services import programme_admin
from readiness.services import programmes
from readiness.web.access import member_required
from readiness.web.access import set_active_organisation
from readiness.web.access import user_memberships
from readiness.web.audit_trail import origin
from readiness.web.programme_forms import ConsentForm
from readiness.web.programme_forms import JoinForm
from readiness.web.programme_forms import consent_choices

bp = Blueprint("participation", __name__)
WITHDRAW = "withdraw"


@bp.route("/programmes/join/<token>", methods=["GET", "POST"])
@login_required
def join(token: str) -> Response | str:
    """Join a programme with one of one's organisations and choose what it may see."""
    session = get_session()
    try:
        invitation = programmes.invitation_for_token(session, token)
    except accounts.InvalidToken as exc:
        return _unusable(exc)
    owned = [
        m.organisation
        for m in user_memberships()
        if m.role == "owner" and m.organisation_id != invitation.programme.organisation_id
    ]
    form = JoinForm()
    form.organisation_id.choices = [(o.id, o.name) for o in owned]
    form.consent.choices = consent_choices()
    if owned and form.validate_on_submit():
        try:
            participation = programmes.join(
                session,
                current_user,
                token,
                form.organisation_id.data,
                form.consent.data,
                origin=origin(),
            )
        except programmes.AlreadyParticipating:
            flash(_("This organisation already takes part in the programme."), "info")
            return redirect(url_for("main.index"))
        except accounts.InvalidToken as exc:  # revoked, expired or used a moment ago
            return _unusable(exc)
        set_active_organisation(participation.organisation_id)
        flash(_("You have joined “%(name)s”.", name=invitation.programme.name), "success")
        return redirect(url_for(".index", org_id=participation.organisation_id))
    return render_template("participation/join.html", invitation=invitation, form=form, owned=owned)


def _unusable(problem: accounts.InvalidToken) -> tuple[str, int]:
    """A page saying why the invitation link does not work and what to do (404 or 410)."""
    reason = "unknown"
    if isinstance(problem, programmes.InvitationRevoked):
        reason = "revoked"
    elif isinstance(problem, accounts.InvitationExpired):
        reason = "expired"
    elif isinstance(problem, accounts.InvitationUsed):
        reason = "used"
    programme = getattr(problem, "programme", None)
    page = render_template("participation/unusable.html", reason=reason, programme=programme)
    return page, 404 if programme is None else 410


def _consent_form(participation_id: int, current: str | None) -> ConsentForm:
    form = ConsentForm(formdata=None, prefix=f"p{participation_id}", consent=current)
    form.consent.choices = [*consent_choices(), (WITHDRAW, _l("Share nothing (withdraw)"))]
    return form


@bp.route("/organisations/<int:org_id>/programmes-joined/")
@member_required("viewer")
def index(org_id: int) -> str:
    """The programmes the organisation takes part in, and what each may see."""
    joined = programmes.participations_of_firm(get_session(), org_id)
    return render_template(
        "participation/index.html",
        organisation=g.organisation,
        joined=joined,
        records=programmes.participation_records(get_session(), org_id),
        ended=programme_admin.ended_programmes(get_session(), org_id),
        today=date.today(),
        is_owner=g.membership.role == "owner",
        form_for=lambda p: _consent_form(p.id, p.consent or WITHDRAW),
    )


@bp.route(
    "/organisations/<int:org_id>/programmes-joined/<int:participation_id>/consent", methods=["POST"]
)
@member_required("owner")
def consent(org_id: int, participation_id: int) -> Response:
    """Change what a programme may see, or withdraw (recorded in the audit log)."""
    form = ConsentForm(prefix=f"p{participation_id}")
    form.consent.choices = [*consent_choices(), (WITHDRAW, "")]
    if not form.validate_on_submit():
        flash(_("Please choose what the programme may see."), "error")
        return redirect(url_for(".index", org_id=org_id))
    chosen = None if form.consent.data == WITHDRAW else form.consent.data
    try:
        programmes.set_consent(
            get_session(), current_user, org_id, participation_id, chosen, origin=origin()
        )
    except accounts.NotFound:
        abort(404)
    if chosen is None:
        flash(_("Consent withdrawn: the programme no longer sees your organisation."), "success")
    else:
        flash(_("Your consent has been changed."), "success")
    return redirect(url_for(".index", org_id=org_id))
