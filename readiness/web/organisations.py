"""Blueprint "organisations": create and switch, company profile, members, invitations."""

from __future__ import annotations

import logging
import smtplib

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_required
from werkzeug.wrappers import Response

from readiness.db import get_session
from readiness.domain.questionnaire import ProfileField
from readiness.i18n import current_language
from readiness.languages import single_full_stop
from readiness.services import accounts
from readiness.services import assessments
from readiness.services import invitations
from readiness.services import organisations
from readiness.services.mail import send_mail
from readiness.web.access import member_required
from readiness.web.access import set_active_organisation
from readiness.web.audit_trail import note
from readiness.web.audit_trail import origin
from readiness.web.auth import safe_next
from readiness.web.forms import ActionForm
from readiness.web.forms import InviteForm
from readiness.web.forms import OrganisationForm
from readiness.web.forms import RoleForm
from readiness.web.forms import SwitchOrganisationForm
from readiness.web.profile_forms import build_profile_form
from readiness.web.profile_forms import profile_from_form
from readiness.web.profile_forms import profile_to_formdata

bp = Blueprint("organisations", __name__, url_prefix="/organisations")
log = logging.getLogger(__name__)


def profile_fields() -> tuple[ProfileField, ...]:
    """The company-profile fields of the flagship questionnaire (none if it is unavailable)."""
    catalogue = current_app.extensions.get("catalogue")
    try:
        questionnaire = catalogue.get(current_app.config["FLAGSHIP_QUESTIONNAIRE"])
    except (AttributeError, KeyError, LookupError):
        return ()
    return tuple(questionnaire.profile) if questionnaire is not None else ()


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create() -> Response | str:
    """Create an organisation; its creator becomes the owner and it becomes active."""
    form = OrganisationForm()
    if form.validate_on_submit():
        organisation = organisations.create_organisation(
            get_session(), current_user, form.name.data
        )
        set_active_organisation(organisation.id)
        flash(_("Organisation “%(name)s” created.", name=organisation.name), "success")
        return redirect(url_for("organisations.profile", org_id=organisation.id))
    return render_template("organisations/create.html", form=form)


@bp.route("/switch", methods=["POST"])
@login_required
def switch() -> Response:
    """Make another of the user's organisations the active one."""
    form = SwitchOrganisationForm()
    if form.validate_on_submit():
        accounts.require_role(get_session(), current_user, form.organisation_id.data, "viewer")
        set_active_organisation(form.organisation_id.data)
    return redirect(safe_next(form.next.data))


@bp.route("/<int:org_id>/profile", methods=["GET", "POST"])
@member_required("viewer", write_role="editor")
def profile(org_id: int) -> Response | str:
    """Show the company profile; editors and owners may change it."""
    fields = profile_fields()
    organisation = g.organisation
    form_class = build_profile_form(fields, current_language())
    data = {"name": organisation.name, **profile_to_formdata(fields, organisation.profile or {})}
    form = form_class(data=data)
    if form.validate_on_submit():
        organisations.update_profile(
            get_session(),
            current_user,
            org_id,
            profile_from_form(form, fields),
            name=form.name.data,
        )
        if not assessments.list_assessments(get_session(), org_id, limit=1):
            # a new organisation: the next step is its first assessment, not this form again
            flash(_("The company profile has been saved. Next: your first assessment."), "success")
            set_active_organisation(org_id)
            return redirect(url_for("assessments.start"))
        flash(_("The company profile has been saved."), "success")
        return redirect(url_for("organisations.profile", org_id=org_id))
    can_edit = g.membership.role in ("editor", "owner")
    return render_template(
        "organisations/profile.html", form=form, organisation=organisation, can_edit=can_edit
    )


def _members_page(org_id: int, invite_link: str | None = None, fresh: bool = False) -> str:
    """The members page; `fresh` renders its forms empty (after a POST that succeeded)."""
    formdata = {"formdata": None} if fresh else {}
    return render_template(
        "organisations/members.html",
        organisation=g.organisation,
        members=organisations.members_of(get_session(), org_id),
        is_owner=g.membership.role == "owner",
        invite_form=InviteForm(**formdata),
        role_form_for=lambda m: RoleForm(**formdata, prefix=f"m{m.user_id}", role=m.role),
        action_form=ActionForm(**formdata),
        invite_link=invite_link,
        pending=invitations.pending_invitations(get_session(), org_id)
        if g.membership.role == "owner"
        else [],
    )


@bp.route("/<int:org_id>/members")
@member_required("viewer")
def members(org_id: int) -> str:
    """List the members; owners also see role controls, open invitations and the invite form."""
    return _members_page(org_id)


def _mail_invitation(email: str, link: str) -> bool:
    """Send the invitation link to `email`; False when mail is not set up or fails (then shown)."""
    if not current_app.config.get("MAIL_SERVER"):
        return False
    subject = _("Invitation to join %(name)s on Readiness", name=g.organisation.name)
    body = _(
        "%(who)s invites you to join %(name)s on Readiness. Open this link within seven days "
        "to accept:\n\n%(link)s",
        who=current_user.name,
        name=g.organisation.name,
        link=link,
    )
    try:
        return send_mail(current_app.config, email, subject, body)
    except (OSError, smtplib.SMTPException):
        log.exception("could not send the invitation to %s", email)
        return False


@bp.route("/<int:org_id>/invitations", methods=["POST"])
@member_required("owner")
def invite(org_id: int) -> Response | str:
    """Create an invitation link with a role: mail it where possible, else show it once."""
    form = InviteForm()
    if not form.validate_on_submit():
        flash(_("Please check the e-mail address and the role."), "error")
        return _members_page(org_id)
    valid_for = current_app.config["INVITATION_MAX_AGE"]
    invitation, token = organisations.create_invitation(
        get_session(), current_user, org_id, form.role.data, valid_for, email=form.email.data
    )
    note(
        "invitation_created",
        current_user,
        organisation_id=org_id,
        target=f"invitation:{invitation.id}",
        details={"role": invitation.role},
    )
    link = url_for("organisations.accept_invitation", token=token, _external=True)
    if form.email.data and _mail_invitation(form.email.data, link):
        flash(_("The invitation was sent to %(email)s.", email=form.email.data), "success")
        return redirect(url_for("organisations.members", org_id=org_id))
    if form.email.data:
        flash(
            _(
                "Mail is not set up here: send this link to %(email)s yourself.",
                email=form.email.data,
            ),
            "info",
        )
    else:
        flash(_("Invitation link created. Send it to the person you are inviting."), "success")
    return _members_page(org_id, invite_link=link, fresh=True)


@bp.route("/<int:org_id>/invitations/<int:invitation_id>/revoke", methods=["POST"])
@member_required("owner")
def revoke_invitation(org_id: int, invitation_id: int) -> Response:
    """Withdraw an unused invitation: its link stops working."""
    if ActionForm().validate_on_submit():
        try:
            invitations.revoke_invitation(
                get_session(), current_user, org_id, invitation_id, origin()
            )
        except accounts.NotFound:
            abort(404)
        flash(_("The invitation is withdrawn; its link no longer works."), "success")
    return redirect(url_for("organisations.members", org_id=org_id))


@bp.route("/<int:org_id>/members/<int:user_id>/role", methods=["POST"])
@member_required("owner")
def change_role(org_id: int, user_id: int) -> Response:
    """Give a member another role."""
    form = RoleForm(prefix=f"m{user_id}")
    if form.validate_on_submit():
        members = organisations.members_of(get_session(), org_id)
        if any(m.user_id == user_id and m.role == form.role.data for m in members):
            flash(_("The role is unchanged."), "info")
            return redirect(url_for("organisations.members", org_id=org_id))
        try:
            organisations.change_role(get_session(), current_user, org_id, user_id, form.role.data)
        except accounts.LastOwner:
            flash(_("An organisation needs at least one owner."), "error")
        else:
            note(
                "role_changed",
                current_user,
                organisation_id=org_id,
                target=f"user:{user_id}",
                details={"role": form.role.data},
            )
            flash(_("The role has been changed."), "success")
    return redirect(url_for("organisations.members", org_id=org_id))


@bp.route("/<int:org_id>/members/<int:user_id>/remove", methods=["POST"])
@member_required("viewer")
def remove_member(org_id: int, user_id: int) -> Response:
    """Remove a member (owners), or leave the organisation (anyone, for themselves)."""
    if ActionForm().validate_on_submit():
        try:
            organisations.remove_member(get_session(), current_user, org_id, user_id)
        except accounts.LastOwner:
            flash(_("An organisation needs at least one owner."), "error")
            return redirect(url_for("organisations.members", org_id=org_id))
        note("member_removed", current_user, organisation_id=org_id, target=f"user:{user_id}")
        if user_id == current_user.id:
            set_active_organisation(None)
            flash(_("You have left the organisation."), "info")
            return redirect(url_for("main.index"))
        flash(_("The member has been removed."), "success")
    return redirect(url_for("organisations.members", org_id=org_id))


@bp.route("/join/<token>", methods=["GET", "POST"])
@login_required
def accept_invitation(token: str) -> Response | str:
    """Show an invitation and join the organisation on confirmation."""
    session = get_session()
    try:
        invitation = organisations.invitation_for_token(session, token)
    except accounts.InvitationUsed:
        flash(
            _("This invitation link has already been used. Ask for a new one if needed."), "error"
        )
        return redirect(url_for("main.index"))
    except accounts.InvitationExpired:
        flash(
            _("This invitation link has expired. Ask the person who invited you for a new one."),
            "error",
        )
        return redirect(url_for("main.index"))
    except accounts.InvalidToken:
        flash(_("This invitation link is not valid, has expired or was already used."), "error")
        return redirect(url_for("main.index"))
    form = ActionForm()
    if form.validate_on_submit():
        try:
            membership = organisations.accept_invitation(session, current_user, token)
        except accounts.AlreadyMember:
            flash(_("You already belong to this organisation."), "info")
            return redirect(url_for("main.index"))
        except accounts.InvalidToken:  # accepted by someone else a moment ago
            flash(_("This invitation link is not valid, has expired or was already used."), "error")
            return redirect(url_for("main.index"))
        note(
            "invitation_accepted",
            current_user,
            organisation_id=membership.organisation_id,
            target=f"invitation:{invitation.id}",
            details={"role": membership.role},
        )
        set_active_organisation(membership.organisation_id)
        joined = _("You have joined %(name)s.", name=invitation.organisation.name)
        flash(single_full_stop(joined), "success")
        return redirect(url_for("main.index"))
    return render_template("organisations/accept.html", invitation=invitation, form=form)
