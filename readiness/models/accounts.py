"""Account tables: users, organisations, their memberships with a role, and invitations."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING
from typing import Any

from sqlalchemy import CheckConstraint
from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from readiness.models.base import Base
from readiness.models.base import CreatedAtMixin
from readiness.models.base import JSONType
from readiness.models.base import UTCDateTime

if TYPE_CHECKING:
    from readiness.models.assessments import Assessment

ROLES = ("viewer", "editor", "owner")  # in rising order of rights


def new_session_token() -> str:
    """A fresh random session token; replacing a user's token signs out all their sessions."""
    return secrets.token_hex(16)


def _role_check() -> CheckConstraint:
    return CheckConstraint("role IN ('owner', 'editor', 'viewer')", name="role")


class User(CreatedAtMixin, Base):
    """A person who signs in; belongs to organisations through memberships."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(10))
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Part of the ID Flask-Login keeps in sessions and remember cookies (Flask-Login's
    # "alternative tokens"): a new token ends every session that carries the old one.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    # The four attributes Flask-Login expects, without importing Flask here.
    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        """What Flask-Login stores in the session: the user ID and the current session token."""
        return f"{self.id}:{self.session_token}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class Organisation(CreatedAtMixin, Base):
    """A company being assessed; its profile answers tailor the recommendations."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    profile: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )
    invitations: Mapped[list[Invitation]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )
    assessments: Mapped[list[Assessment]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name!r}>"


class Membership(CreatedAtMixin, Base):
    """A user's role in an organisation: owner, editor or viewer."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id"), _role_check())

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))

    user: Mapped[User] = relationship(back_populates="memberships")
    organisation: Mapped[Organisation] = relationship(back_populates="memberships")


class Invitation(CreatedAtMixin, Base):
    """A link that lets its holder join an organisation with a role; only its hash is stored."""

    __tablename__ = "invitations"
    __table_args__ = (_role_check(),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str | None] = mapped_column(String(254))  # whom it was sent to, if by mail
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation] = relationship(back_populates="invitations")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    accepted_by: Mapped[User | None] = relationship(foreign_keys=[accepted_by_id])
