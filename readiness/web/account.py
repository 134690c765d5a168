"""Blueprint "account": one's API tokens (created, shown once, revoked) and deleting the account."""

from __future__ import annotations

from flask import Blueprint
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import session
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_required
from flask_login import logout_user
from werkzeug.wrappers import Response

from readiness.db import get_session
from readiness.models.base import utcnow
from readiness.services import accounts
from readiness.services import deletion
from readiness.services import tokens
from readiness.web.account_forms import DeleteAccountForm
from readiness.web.account_forms import TokenForm
from readiness.web.audit_trail import note
from readiness.web.audit_trail import origin
from readiness.web.forms import ActionForm

bp = Blueprint("account", __name__, url_prefix="/account")


def _token_form() -> TokenForm:
    form = TokenForm()
    form.organisation_id.choices = [
        (m.organisation_id, m.organisation.name)
        for m in accounts.memberships_of(get_session(), current_user)
    ]
    return form


@bp.route("/", methods=["GET", "POST"])
@login_required
def tokens_page() -> str:
    """The account page: API tokens (a new one is shown once) and the account's other actions."""
    form = _token_form()
    new_token = None
    if form.validate_on_submit():
        user = current_user._get_current_object()
        token, new_token = tokens.create_token(
            get_session(),
            user,
            form.organisation_id.data,
            form.name.data,
            form.scope.data,
            form.days.data,
        )
        note(
            "token_created",
            user,
            organisation_id=token.organisation_id,
            target=f"token:{token.id}",
            details={"scope": token.scope, "name": token.name},
        )
    return render_template(
        "account/index.html",
        form=form,
        new_token=new_token,
        tokens=tokens.tokens_of(get_session(), current_user),
        revoke_form=ActionForm(formdata=None),
        now=utcnow(),
    )


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int) -> Response:
    """Revoke one of one's own tokens."""
    if not ActionForm().validate_on_submit():
        abort(400)
    token = tokens.revoke_token(get_session(), current_user, token_id)
    note(
        "token_revoked",
        current_user,
        organisation_id=token.organisation_id,
        target=f"token:{token.id}",
    )
    flash(_("The token is revoked; it no longer opens the API."), "success")
    return redirect(url_for(".tokens_page"))


@bp.route("/delete", methods=["GET", "POST"])
@login_required
def delete() -> Response | str:
    """Delete one's own account (refused while one is the only owner of an organisation)."""
    form = DeleteAccountForm()
    alone = deletion.sole_owned(get_session(), current_user)
    get_session().rollback()  # release the rows sole_owned locked; the form decides
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            deletion.delete_account(get_session(), user, form.password.data, origin=origin())
        except accounts.InvalidCredentials:
            form.password.errors.append(_("The password is wrong."))
        except accounts.LastOwner:
            flash(_("Hand over or delete the organisations you alone own first."), "error")
        else:
            logout_user()
            session.clear()
            flash(_("Your account and your access tokens are deleted."), "success")
            return redirect(url_for("main.index"))
    return render_template("account/delete.html", form=form, sole_owned=alone)
