"""Test-data helpers: users and organisations created through the real services."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from readiness.models import Membership
from readiness.models import Organisation
from readiness.models import User
from readiness.services import accounts
from readiness.services import organisations

DEFAULT_PASSWORD = "correct horse battery"
_sequence = itertools.count(1)


def make_user(
    session: Session,
    email: str | None = None,
    name: str | None = None,
    password: str = DEFAULT_PASSWORD,
    locale: str | None = None,
) -> User:
    """A registered user (unique e-mail address unless one is given)."""
    n = next(_sequence)
    return accounts.register_user(
        session, email or f"user{n}@example.com", name or f"User {n}", password, locale
    )


def add_member(session: Session, organisation: Organisation, user: User, role: str) -> Membership:
    """Make `user` a member of `organisation` with `role` (bypassing invitations)."""
    membership = Membership(organisation_id=organisation.id, user_id=user.id, role=role)
    session.add(membership)
    session.commit()
    return membership


def make_org(
    session: Session,
    owner: User | None = None,
    name: str | None = None,
    members: Mapping[User, str] | None = None,
    profile: Mapping[str, Any] | None = None,
) -> Organisation:
    """An organisation owned by `owner` (a new user if None), with extra members by role."""
    owner = owner or make_user(session)
    organisation = organisations.create_organisation(
        session, owner, name or f"Firm {next(_sequence)}", profile
    )
    for user, role in (members or {}).items():
        add_member(session, organisation, user, role)
    return organisation
