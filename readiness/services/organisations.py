"""Organisations and their members: creation, company profile, invitations, roles, leaving."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from datetime import datetime
from datetime import timedelta
from typing import Any

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from readiness.models import Invitation
from readiness.models import Membership
from readiness.models import Organisation
from readiness.models import User
from readiness.models.base import utcnow
from readiness.services.accounts import AlreadyMember
from readiness.services.accounts import InvalidToken
from readiness.services.accounts import InvitationExpired
from readiness.services.accounts import InvitationUsed
from readiness.services.accounts import LastOwner
from readiness.services.accounts import NotFound
from readiness.services.accounts import check_role
from readiness.services.accounts import normalise_email
from readiness.services.accounts import require_role
from readiness.services.locking import lock_row


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def members_of(session: Session, organisation_id: int) -> list[Membership]:
    """The memberships of an organisation with their users, by name."""
    return list(
        session.scalars(
            select(Membership)
            .join(Membership.user)
            .where(Membership.organisation_id == organisation_id)
            .options(selectinload(Membership.user))
            .order_by(func.lower(User.name), User.id)
        )
    )


def create_organisation(
    session: Session, user: User, name: str, profile: Mapping[str, Any] | None = None
) -> Organisation:
    """Create an organisation with `user` as its owner."""
    organisation = Organisation(name=name.strip(), profile=dict(profile or {}))
    organisation.memberships.append(Membership(user=user, role="owner"))
    session.add(organisation)
    session.commit()
    return organisation


def update_profile(
    session: Session,
    user: User,
    organisation_id: int,
    profile: Mapping[str, Any],
    name: str | None = None,
) -> Organisation:
    """Replace the organisation's company profile (and optionally its name); editors and owners."""
    membership = require_role(session, user, organisation_id, "editor")
    organisation = membership.organisation
    organisation.profile = dict(profile)
    if name:
        organisation.name = name.strip()
    session.commit()
    return organisation


def create_invitation(
    session: Session,
    user: User,
    organisation_id: int,
    role: str,
    valid_for: timedelta = timedelta(days=7),
    email: str | None = None,
) -> tuple[Invitation, str]:
    """An invitation link token to join with `role` (owners only); only its hash is stored."""
    check_role(role)
    require_role(session, user, organisation_id, "owner")
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        organisation_id=organisation_id,
        role=role,
        email=normalise_email(email) if email else None,
        token_hash=_hash_token(token),
        created_by_id=user.id,
        expires_at=utcnow() + valid_for,
    )
    session.add(invitation)
    session.commit()
    return invitation, token


def invitation_for_token(session: Session, token: str, now: datetime | None = None) -> Invitation:
    """The open invitation with this token; raises InvalidToken if unknown, used or expired."""
    invitation = session.scalar(
        select(Invitation).where(Invitation.token_hash == _hash_token(token))
    )
    if invitation is None:
        raise InvalidToken("This invitation link is not valid.")
    if invitation.accepted_at is not None:
        raise InvitationUsed("This invitation link has already been used.")
    if invitation.expires_at <= (now or utcnow()):
        raise InvitationExpired("This invitation link has expired; please ask for a new one.")
    return invitation


def accept_invitation(session: Session, user: User, token: str) -> Membership:
    """Join the invitation's organisation with its role; the link then stops working.

    The invitation's row is locked first: of two people accepting one link at once, one joins.
    """
    found = invitation_for_token(session, token)
    lock_row(session, Invitation, found.id)
    invitation = invitation_for_token(session, token)
    exists = session.scalar(
        select(Membership).where(
            Membership.user_id == user.id,
            Membership.organisation_id == invitation.organisation_id,
        )
    )
    if exists is not None:
        raise AlreadyMember("You already belong to this organisation.")
    membership = Membership(
        user_id=user.id, organisation_id=invitation.organisation_id, role=invitation.role
    )
    invitation.accepted_at = utcnow()
    invitation.accepted_by_id = user.id
    session.add(membership)
    session.commit()
    return membership


def _owner_count(session: Session, organisation_id: int) -> int:
    return session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(Membership.organisation_id == organisation_id, Membership.role == "owner")
    )


def _member(session: Session, organisation_id: int, user_id: int) -> Membership:
    membership = session.scalar(
        select(Membership).where(
            Membership.organisation_id == organisation_id, Membership.user_id == user_id
        )
    )
    if membership is None:
        raise NotFound("No such member.")
    return membership


def change_role(
    session: Session, actor: User, organisation_id: int, member_user_id: int, role: str
) -> Membership:
    """Give a member another role (owners only); the last owner keeps theirs.

    The organisation's row is locked first, so two owners demoting each other at once are
    decided one after the other: the second finds the last owner and gets LastOwner.
    """
    check_role(role)
    lock_row(session, Organisation, organisation_id)
    require_role(session, actor, organisation_id, "owner")
    membership = _member(session, organisation_id, member_user_id)
    if (
        membership.role == "owner"
        and role != "owner"
        and _owner_count(session, organisation_id) <= 1
    ):
        raise LastOwner("An organisation needs at least one owner.")
    membership.role = role
    session.commit()
    return membership


def remove_member(session: Session, actor: User, organisation_id: int, member_user_id: int) -> None:
    """Remove a member (owners), or leave (anyone); the last owner cannot go (row-locked)."""
    lock_row(session, Organisation, organisation_id)
    if actor.id == member_user_id:
        require_role(session, actor, organisation_id, "viewer")
    else:
        require_role(session, actor, organisation_id, "owner")
    membership = _member(session, organisation_id, member_user_id)
    if membership.role == "owner" and _owner_count(session, organisation_id) <= 1:
        raise LastOwner("An organisation needs at least one owner.")
    session.delete(membership)
    session.commit()
