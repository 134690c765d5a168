"""Programme use cases: create a programme, invite firms, join with consent, change or withdraw it.

Who may see what is decided here and in readiness/services/cohort.py, never in views: an
operator reads a firm only through a participation whose `consent` is set, and every query
filters on it, so a withdrawal takes effect with its commit.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import date
from datetime import datetime
from datetime import timedelta

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from readiness.models import CONSENTS
from readiness.models import CohortMember
from readiness.models import Participation
from readiness.models import ParticipationRecord
from readiness.models import Programme
from readiness.models import User
from readiness.models.base import utcnow
from readiness.services import audit
from readiness.services import cohort_pool
from readiness.services.accounts import AccountError
from readiness.services.accounts import InvalidToken
from readiness.services.accounts import InvitationExpired
from readiness.services.accounts import InvitationUsed
from readiness.services.accounts import NotFound
from readiness.services.accounts import normalise_email
from readiness.services.accounts import require_role
from readiness.services.locking import lock_row
from readiness.services.peer_pool import refresh_peers

STATUSES = ("invited", "expired", "revoked", "joined", "draft", "submitted", "repeat_due")
# How long an invitation link works unless the app's PROGRAMME_INVITATION_MAX_AGE says otherwise.
INVITATION_VALID_FOR = timedelta(days=30)


class AlreadyParticipating(AccountError):
    """The organisation already takes part in this programme."""


class OwnProgramme(AccountError):
    """The operator's own organisation cannot join its programme as a firm."""


class InvitationRevoked(InvalidToken):
    """The operator withdrew this invitation link."""


def invitation_hash(token: str) -> str:
    """The stored form of an invitation token."""
    return hashlib.sha256(token.encode()).hexdigest()


def lock_programmes(session: Session, organisation_id: int, programme_id: int) -> None:
    """Lock the rows of every programme the firm is in, and of `programme_id`, in ID order.

    Programme rows come before participation rows in every programme use case, and in ID
    order as cohort_pool.refresh bumps them: so a join, a consent change, a firm's submit and
    a programme's deletion at the same moment wait for each other instead of deadlocking.
    """
    mine = select(Participation.programme_id).where(
        Participation.organisation_id == organisation_id
    )
    counted = select(CohortMember.programme_id).where(
        CohortMember.organisation_id == organisation_id
    )
    for chosen in sorted({programme_id, *session.scalars(mine.union(counted))}):
        lock_row(session, Programme, chosen)


def _check_consent(consent: str | None) -> None:
    if consent is not None and consent not in CONSENTS:
        raise ValueError(f"unknown consent {consent!r}; expected one of {', '.join(CONSENTS)}")


def create_programme(
    session: Session,
    user: User,
    organisation_id: int,
    name: str,
    questionnaire_ids: Sequence[str],
    starts_on: date,
    ends_on: date | None = None,
    sector_focus: str = "",
    repeat_after_days: int = 180,
    origin: audit.Origin = audit.CLI,
) -> Programme:
    """A new programme of the operator organisation (owners only)."""
    require_role(session, user, organisation_id, "owner")
    programme = Programme(
        organisation_id=organisation_id,
        name=name.strip(),
        questionnaire_ids=list(dict.fromkeys(questionnaire_ids)),
        starts_on=starts_on,
        ends_on=ends_on,
        sector_focus=sector_focus.strip(),
        repeat_after_days=repeat_after_days,
        created_by_id=user.id,
    )
    # No firm yet: its cohort counts start empty and follow every change from now on.
    programme.cohort_cache = cohort_pool.started(programme.questionnaire_ids)
    session.add(programme)
    session.flush()
    audit.record(
        session,
        "programme_created",
        actor=user,
        organisation_id=organisation_id,
        target=f"programme:{programme.id}",
        details={"name": programme.name},
        origin=origin,
        commit=False,
    )
    session.commit()
    return programme


def programmes_of(
    session: Session, organisation_id: int, page: int = 1, per_page: int | None = None
) -> list[Programme]:
    """The operator organisation's programmes, newest first (the caller checked membership).

    With `per_page`, one page of them (paged in SQL).
    """
    statement = (
        select(Programme)
        .where(Programme.organisation_id == organisation_id)
        .order_by(Programme.starts_on.desc(), Programme.id.desc())
    )
    if per_page is not None:
        statement = statement.limit(per_page).offset((max(1, page) - 1) * per_page)
    return list(session.scalars(statement))


def count_programmes(session: Session, organisation_id: int) -> int:
    """How many programmes the organisation runs."""
    where = Programme.organisation_id == organisation_id
    return session.scalar(select(func.count(Programme.id)).where(where)) or 0


def get_programme(
    session: Session, user: User, organisation_id: int, programme_id: int, min_role: str
) -> Programme:
    """The operator organisation's programme if the user's role there is at least `min_role`.

    :raises NotFound: no such programme of this organisation, or the user is not a member.
    :raises Forbidden: the role is too low.
    """
    require_role(session, user, organisation_id, min_role)
    programme = session.get(Programme, programme_id)
    if programme is None or programme.organisation_id != organisation_id:
        raise NotFound("No such programme.")
    return programme


def invite_firm(
    session: Session,
    user: User,
    programme: Programme,
    email: str | None = None,
    origin: audit.Origin = audit.CLI,
    valid_for: timedelta = INVITATION_VALID_FOR,
) -> tuple[Participation, str]:
    """An invitation link for one firm (owners of the operator) working for `valid_for`.

    Only the token's hash is stored.
    """
    require_role(session, user, programme.organisation_id, "owner")
    token = secrets.token_urlsafe(32)
    participation = Participation(
        programme_id=programme.id,
        email=normalise_email(email) if email else None,
        token_hash=invitation_hash(token),
        expires_at=utcnow() + valid_for,
    )
    session.add(participation)
    session.flush()
    audit.record(
        session,
        "programme_invitation_created",
        actor=user,
        organisation_id=programme.organisation_id,
        target=f"participation:{participation.id}",
        details={"programme": programme.id, "email": participation.email},
        origin=origin,
        commit=False,
    )
    session.commit()
    return participation, token


def invitation_for_token(
    session: Session, token: str, now: datetime | None = None
) -> Participation:
    """The open programme invitation with this token.

    :raises InvalidToken: unknown link (a programme deleted since, a mistyped address).
    :raises InvitationUsed, InvitationExpired, InvitationRevoked: a genuine link that no longer
        works; the exception's `programme` says whom to ask for a new one.
    """
    participation = session.scalar(
        select(Participation)
        .where(Participation.token_hash == invitation_hash(token))
        .options(selectinload(Participation.programme).selectinload(Programme.organisation))
    )
    if participation is None:
        raise InvalidToken("This programme invitation is not valid.")
    problem: InvalidToken | None = None
    if participation.organisation_id is not None:
        problem = InvitationUsed("This programme invitation was already used.")
    elif participation.revoked_at is not None:
        problem = InvitationRevoked("The operator withdrew this programme invitation.")
    elif participation.expires_at is not None and participation.expires_at <= (now or utcnow()):
        problem = InvitationExpired("This programme invitation has expired.")
    if problem is not None:
        problem.programme = participation.programme  # type: ignore[attr-defined]
        raise problem
    return participation


def join(
    session: Session,
    user: User,
    token: str,
    organisation_id: int,
    consent: str,
    origin: audit.Origin = audit.CLI,
) -> Participation:
    """Join a programme with the firm's organisation (its owners) and consent to share.

    :raises InvalidToken: unknown or used link (also by a concurrent join: the row is locked).
    :raises AlreadyParticipating: the organisation is in the programme already.
    """
    _check_consent(consent)
    require_role(session, user, organisation_id, "owner")
    found = invitation_for_token(session, token)
    invitation_id, programme_id = found.id, found.programme_id  # `found` expires with the lock
    lock_programmes(session, organisation_id, programme_id)
    lock_row(session, Participation, invitation_id)
    participation = invitation_for_token(session, token)
    programme = participation.programme
    if programme.organisation_id == organisation_id:
        raise OwnProgramme("An operator cannot join its own programme as a firm.")
    taken = session.scalar(
        select(Participation.id).where(
            Participation.programme_id == programme.id,
            Participation.organisation_id == organisation_id,
        )
    )
    if taken is not None:
        raise AlreadyParticipating("This organisation already takes part in the programme.")
    now = utcnow()
    participation.organisation_id = organisation_id
    participation.joined_at = now
    participation.consent = consent
    participation.consented_at = now
    cohort_pool.refresh(session, organisation_id)
    refresh_peers(session, [organisation_id])
    audit.record(
        session,
        "programme_joined",
        actor=user,
        organisation_id=organisation_id,
        target=f"participation:{participation.id}",
        details={"programme": programme.id, "name": programme.name, "consent": consent},
        origin=origin,
        commit=False,
    )
    session.commit()
    return participation


def participations_of_firm(session: Session, organisation_id: int) -> list[Participation]:
    """The programmes a firm has joined (the caller checked membership), newest first."""
    return list(
        session.scalars(
            select(Participation)
            .where(Participation.organisation_id == organisation_id)
            .options(selectinload(Participation.programme).selectinload(Programme.organisation))
            .order_by(Participation.joined_at.desc(), Participation.id.desc())
        )
    )


def participation_records(session: Session, organisation_id: int) -> list[ParticipationRecord]:
    """The firm's participations that arrived with an import: records, linked to no programme."""
    return list(
        session.scalars(
            select(ParticipationRecord)
            .where(ParticipationRecord.organisation_id == organisation_id)
            .order_by(ParticipationRecord.id)
        )
    )


def set_consent(
    session: Session,
    user: User,
    organisation_id: int,
    participation_id: int,
    consent: str | None,
    origin: audit.Origin = audit.CLI,
) -> Participation:
    """Change what the firm shares with a programme, or withdraw (None); owners of the firm.

    :raises NotFound: the participation is not this organisation's.
    """
    _check_consent(consent)
    require_role(session, user, organisation_id, "owner")
    found = session.get(Participation, participation_id)
    if found is None or found.organisation_id != organisation_id:
        raise NotFound("No such programme participation.")
    lock_programmes(session, organisation_id, found.programme_id)
    lock_row(session, Participation, participation_id)
    participation = session.get(Participation, participation_id)
    if participation is None or participation.organisation_id != organisation_id:
        raise NotFound("No such programme participation.")
    before = participation.consent
    now = utcnow()
    participation.consent = consent
    if consent is None:
        participation.withdrawn_at = now
    else:
        participation.consented_at = now
        participation.withdrawn_at = None
    cohort_pool.refresh(session, organisation_id)
    refresh_peers(session, [organisation_id])
    audit.record(
        session,
        "programme_consent_withdrawn" if consent is None else "programme_consent_changed",
        actor=user,
        organisation_id=organisation_id,
        target=f"participation:{participation.id}",
        details={"programme": participation.programme_id, "from": before, "to": consent},
        origin=origin,
        commit=False,
    )
    session.commit()
    return participation
