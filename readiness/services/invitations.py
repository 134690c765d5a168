"""Open invitations of an organisation: listed for its owners, and withdrawn by them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.models import Invitation
from readiness.models import User
from readiness.models.base import utcnow
from readiness.services import audit
from readiness.services.accounts import NotFound
from readiness.services.accounts import require_role


def pending_invitations(
    session: Session, organisation_id: int, now: datetime | None = None
) -> list[Invitation]:
    """The organisation's invitations not yet used and not expired, newest first."""
    return list(
        session.scalars(
            select(Invitation)
            .where(
                Invitation.organisation_id == organisation_id,
                Invitation.accepted_at.is_(None),
                Invitation.expires_at > (now or utcnow()),
            )
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        )
    )


def revoke_invitation(
    session: Session,
    user: User,
    organisation_id: int,
    invitation_id: int,
    origin: audit.Origin = audit.CLI,
) -> None:
    """Withdraw an unused invitation (owners): its link stops working at once (audit-logged).

    :raises NotFound: no open invitation with this ID in this organisation.
    """
    require_role(session, user, organisation_id, "owner")
    invitation = session.get(Invitation, invitation_id)
    if (
        invitation is None
        or invitation.organisation_id != organisation_id
        or invitation.accepted_at is not None
    ):
        raise NotFound("No such open invitation.")
    audit.record(
        session,
        "invitation_revoked",
        actor=user,
        organisation_id=organisation_id,
        target=f"invitation:{invitation.id}",
        details={"role": invitation.role},
        origin=origin,
        commit=False,
    )
    session.delete(invitation)
    session.commit()
