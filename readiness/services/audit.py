"""The audit log: security-relevant events, recorded with who, when, what and from where.

Events are only ever added. Nothing in the app changes or deletes one, except that an
organisation's events go with the organisation when its owners delete it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.models import AuditEvent
from readiness.models import Membership
from readiness.models import User
from readiness.services.accounts import require_role

# Every action the log knows, so that a typo cannot invent a new one.
ACTIONS = (
    "sign_in",
    "sign_in_failed",
    "password_changed",
    "password_reset",
    "role_changed",
    "member_removed",
    "invitation_created",
    "invitation_accepted",
    "invitation_revoked",
    "share_link_created",
    "share_link_revoked",
    "token_created",
    "token_revoked",
    "organisation_exported",
    "organisation_imported",
    "assessment_deleted",
    "organisation_deleted",
    "account_deleted",
    "plan_action_deleted",
    "backup_created",
    "backup_restored",
    "programme_created",
    "programme_invitation_created",
    "programme_joined",
    "programme_consent_changed",
    "programme_consent_withdrawn",
    "programme_updated",
    "programme_deleted",
    "programme_ended",
    "programme_invitation_revoked",
)


@dataclass(frozen=True)
class Origin:
    """Where a request came from: the client's address and user agent (None from the CLI)."""

    ip_address: str | None = None
    user_agent: str | None = None


CLI = Origin("cli", "readiness command")


def record(
    session: Session,
    action: str,
    *,
    actor: User | None = None,
    actor_email: str | None = None,
    organisation_id: int | None = None,
    target: str | None = None,
    details: Mapping[str, Any] | None = None,
    origin: Origin = CLI,
    commit: bool = True,
) -> AuditEvent:
    """Add one event to the log (and commit, unless the caller's transaction continues)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor is not None else None,
        actor_email=actor.email if actor is not None else actor_email,
        organisation_id=organisation_id,
        target=target[:100] if target else None,
        details=dict(details or {}),
        ip_address=(origin.ip_address or None) and origin.ip_address[:45],
        user_agent=(origin.user_agent or None) and origin.user_agent[:200],
    )
    session.add(event)
    if commit:
        session.commit()
    return event


def events_of(
    session: Session, user: User, organisation_id: int, page: int = 1, per_page: int = 50
) -> tuple[list[AuditEvent], int]:
    """One page of an organisation's events, newest first, and the total (owners only).

    That is the events about the organisation and the personal events (sign-ins, password
    changes, failed sign-ins on their address) of its current members.
    """
    require_role(session, user, organisation_id, "owner")
    members = select(Membership.user_id).where(Membership.organisation_id == organisation_id)
    # The organisation's own events, and its members' personal ones (sign-ins, passwords …).
    where = or_(
        AuditEvent.organisation_id == organisation_id,
        AuditEvent.organisation_id.is_(None) & AuditEvent.actor_id.in_(members),
    )
    total = session.scalar(select(func.count()).select_from(AuditEvent).where(where)) or 0
    events = session.scalars(
        select(AuditEvent)
        .where(where)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(per_page)
        .offset(max(page - 1, 0) * per_page)
    )
    return list(events), total
