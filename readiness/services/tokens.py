"""Personal access tokens for the JSON API: create (shown once), list, revoke, authenticate."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from readiness.models import ROLES
from readiness.models import TOKEN_SCOPES
from readiness.models import ApiToken
from readiness.models import Membership
from readiness.models import User
from readiness.models.base import utcnow
from readiness.services.accounts import NotFound
from readiness.services.accounts import require_role

TOKEN_PREFIX = "rdy_"
EXPIRY_DAYS = (7, 30, 90, 365)  # the lifetimes a token may be given
MAX_DAYS = max(EXPIRY_DAYS)


class TokenError(Exception):
    """Base of the token errors; the message is safe to show."""


class InvalidApiToken(TokenError):
    """The token is unknown, revoked or expired, or its holder left the organisation (401)."""


@dataclass(frozen=True)
class Caller:
    """Who an API request acts as: the token's user, in the token's organisation, with its scope."""

    user: User
    membership: Membership
    token: ApiToken

    @property
    def organisation_id(self) -> int:
        """The one organisation the token opens."""
        return self.membership.organisation_id

    @property
    def can_write(self) -> bool:
        """Whether the token's scope allows changes (the role is checked separately)."""
        return self.token.scope == "write"

    def has_role(self, min_role: str) -> bool:
        """Whether the holder's current role is at least `min_role`."""
        return ROLES.index(self.membership.role) >= ROLES.index(min_role)


def hash_token(token: str) -> str:
    """The SHA-256 of a token, as stored (the token itself never is)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(
    session: Session,
    user: User,
    organisation_id: int,
    name: str,
    scope: str,
    days: int = 90,
    now: datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new token of `user` for one of their organisations; returns the row and the secret.

    :raises NotFound: the user is not a member of the organisation.
    :raises ValueError: unknown scope.
    """
    if scope not in TOKEN_SCOPES:
        raise ValueError(f"unknown scope {scope!r}; expected one of {', '.join(TOKEN_SCOPES)}")
    require_role(session, user, organisation_id, "viewer")
    days = min(max(int(days), 1), MAX_DAYS)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        organisation_id=organisation_id,
        name=(name.strip() or scope)[:100],
        prefix=secret[:10],
        token_hash=hash_token(secret),
        scope=scope,
        expires_at=(now or utcnow()) + timedelta(days=days),
    )
    session.add(token)
    session.commit()
    return token, secret


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    """The user's tokens with their organisations, newest first."""
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .options(selectinload(ApiToken.organisation))
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke_token(
    session: Session, user: User, token_id: int, now: datetime | None = None
) -> ApiToken:
    """Revoke one of the user's own tokens (idempotent); NotFound if it is not theirs."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound("No such token.")
    if token.revoked_at is None:
        token.revoked_at = now or utcnow()
        session.commit()
    return token


def authenticate_token(session: Session, secret: str, now: datetime | None = None) -> Caller:
    """The caller a bearer token stands for, noting when it was last used.

    :raises InvalidApiToken: unknown, revoked or expired, or the user is no longer a member.
    """
    now = now or utcnow()
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        raise InvalidApiToken("The access token is not valid.")
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
    if token is None or not token.is_live(now):
        raise InvalidApiToken("The access token is not valid, has expired or was revoked.")
    membership = session.scalar(
        select(Membership).where(
            Membership.user_id == token.user_id,
            Membership.organisation_id == token.organisation_id,
        )
    )
    if membership is None:
        raise InvalidApiToken("The token's user no longer belongs to its organisation.")
    # One conditional UPDATE a minute at most, so that reads do not write on every call.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        session.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
        session.commit()
    return Caller(token.user, membership, token)
