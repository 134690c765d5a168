"""Recording audit events from a request: who is signed in and where the request came from."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l

from readiness.db import get_session
from readiness.models import User
from readiness.services import audit

ACTION_LABELS = {
    "sign_in": _l("Signed in"),
    "sign_in_failed": _l("Failed sign-in"),
    "password_changed": _l("Password changed"),
    "password_reset": _l("Password reset"),
    "role_changed": _l("Role changed"),
    "member_removed": _l("Member removed"),
    "invitation_created": _l("Invitation created"),
    "invitation_accepted": _l("Invitation accepted"),
    "invitation_revoked": _l("Invitation withdrawn"),
    "share_link_created": _l("Share link created"),
    "share_link_revoked": _l("Share link revoked"),
    "token_created": _l("API token created"),
    "token_revoked": _l("API token revoked"),
    "organisation_exported": _l("Organisation exported"),
    "organisation_imported": _l("Organisation imported"),
    "assessment_deleted": _l("Assessment deleted"),
    "organisation_deleted": _l("Organisation deleted"),
    "account_deleted": _l("Account deleted"),
    "plan_action_deleted": _l("Plan action deleted"),
    "backup_created": _l("Backup created"),
    "backup_restored": _l("Backup restored"),
    "programme_created": _l("Programme created"),
    "programme_invitation_created": _l("Firm invited to a programme"),
    "programme_joined": _l("Joined a programme and consented"),
    "programme_consent_changed": _l("Consent to a programme changed"),
    "programme_consent_withdrawn": _l("Consent to a programme withdrawn"),
    "programme_updated": _l("Programme changed"),
    "programme_deleted": _l("Programme deleted"),
    "programme_ended": _l("A programme the organisation took part in ended"),
    "programme_invitation_revoked": _l("Programme invitation withdrawn"),
}


def origin() -> audit.Origin:
    """The client address and user agent of the current request.

    The address is the one the WSGI server saw; behind reverse proxies, TRUSTED_PROXY_HOPS
    (Werkzeug's ProxyFix) makes it the client's.
    """
    return audit.Origin(request.remote_addr, request.headers.get("User-Agent"))


def note(action: str, actor: User | None = None, **fields: Any) -> None:
    """Record one event of the current request in the audit log (its own transaction)."""
    audit.record(get_session(), action, actor=actor, origin=origin(), **fields)
