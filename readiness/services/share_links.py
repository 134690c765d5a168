"""Read-only share links to a report: signed tokens whose hash is stored, expiring and revocable."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from datetime import timedelta

from itsdangerous import BadSignature
from itsdangerous import URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.models import Assessment
from readiness.models import ShareLink
from readiness.models import User
from readiness.models.base import utcnow

SALT = "readiness.report-share"
EXPIRY_CHOICES = (7, 30, 90)  # days a link may be valid for
MAX_DAYS = max(EXPIRY_CHOICES)


class ShareError(Exception):
    """Base of the share-link errors; the message is safe to show."""


class NotShareable(ShareError):
    """Only submitted assessments have a report that can be shared."""


class LinkNotFound(ShareError):
    """The link is unknown or tampered with (shown as 404); its subclasses say more."""


class LinkRevoked(LinkNotFound):
    """The link was genuine but its owner revoked it."""


class LinkExpired(LinkNotFound):
    """The link was genuine but its time is up."""


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=SALT)


def token_hash(token: str) -> str:
    """The SHA-256 of a token, as stored (the token itself never is)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_share_link(
    session: Session,
    assessment: Assessment,
    user: User,
    secret_key: str,
    days: int = 30,
    now: datetime | None = None,
) -> tuple[ShareLink, str]:
    """A new link for a submitted assessment; returns the row and the token (shown only once)."""
    if assessment.status != "submitted":
        raise NotShareable("Only a submitted assessment can be shared.")
    days = min(max(int(days), 1), MAX_DAYS)
    token = _serializer(secret_key).dumps({"a": assessment.id, "n": secrets.token_urlsafe(24)})
    link = ShareLink(
        assessment_id=assessment.id,
        token_hash=token_hash(token),
        created_by_id=user.id,
        expires_at=(now or utcnow()) + timedelta(days=days),
    )
    session.add(link)
    session.commit()
    return link, token


def resolve_share_link(
    session: Session, token: str, secret_key: str, now: datetime | None = None
) -> ShareLink:
    """The live link for `token`; raises LinkNotFound when it is bad, expired or revoked."""
    try:
        payload = _serializer(secret_key).loads(token)
    except BadSignature:
        raise LinkNotFound("unknown link") from None
    link = session.scalars(
        select(ShareLink).where(ShareLink.token_hash == token_hash(token))
    ).first()
    if link is None or not isinstance(payload, dict) or payload.get("a") != link.assessment_id:
        raise LinkNotFound("unknown link")
    now = now or utcnow()
    if link.revoked_at is not None:
        raise LinkRevoked("revoked link")
    if link.expires_at is not None and link.expires_at <= now:
        raise LinkExpired("expired link")
    if link.assessment.status != "submitted":
        raise LinkNotFound("the assessment is no longer submitted")
    return link


def links_of(session: Session, assessment: Assessment) -> list[ShareLink]:
    """The assessment's share links, newest first."""
    return list(
        session.scalars(
            select(ShareLink)
            .where(ShareLink.assessment_id == assessment.id)
            .order_by(ShareLink.created_at.desc(), ShareLink.id.desc())
        )
    )


def revoke_share_link(
    session: Session, assessment: Assessment, link_id: int, now: datetime | None = None
) -> ShareLink:
    """Revoke one of the assessment's links (idempotent); LinkNotFound if it is not one of them."""
    link = session.get(ShareLink, link_id)
    if link is None or link.assessment_id != assessment.id:
        raise LinkNotFound("unknown link")
    if link.revoked_at is None:
        link.revoked_at = now or utcnow()
        session.commit()
    return link
