"""Programme use cases: create a programme, invite firms, join with consent, change or withdraw it.

Who may see what is decided here and in readiness/services/cohort.py, never in views: an
operator reads a firm only through a participation whose `consent` is set, and every query
filters on it, so a withdrawal takes effect with its commit.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import timedelta

from sqlalchemy import and_
from sqlalchemy import case
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from readiness.models import CONSENTS
from readiness.models import Assessment
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
FIRMS_PER_PAGE = 50  # firms on a page of a programme (its page and the API)


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


def programmes_of(session: Session, organisation_id: int) -> list[Programme]:
    """The operator organisation's programmes, newest first (the caller checked membership)."""
    return list(
        session.scalars(
            select(Programme)
            .where(Programme.organisation_id == organisation_id)
            .order_by(Programme.starts_on.desc(), Programme.id.desc())
        )
    )


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


@dataclass(frozen=True)
class FirmStatus:
    """One invited or consenting firm of a programme as its operator sees it."""

    participation_id: int
    status: str
    email: str | None
    organisation_name: str | None
    consent: str | None
    last_submitted: datetime | None
    expires_at: datetime | None = None  # of an invitation not used yet


@dataclass(frozen=True)
class ProgrammeStatus:
    """A page of a programme's invited and consenting firms with their status, and the counts.

    Firms that withdrew are counted (`withdrawn`), never listed; `joined` counts every firm that
    joined, withdrawn or not; `listed` the invited and consenting firms on all pages.
    """

    firms: list[FirmStatus]
    withdrawn: int
    listed: int = 0
    joined: int = 0
    number: int = 1
    pages: int = 1

    @property
    def previous(self) -> int | None:
        """The previous page's number, if any."""
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        """The next page's number, if any."""
        return self.number + 1 if self.number < self.pages else None


# Listed: invited (no organisation yet) or sharing; a firm that withdrew is only counted.
_LISTED = or_(Participation.organisation_id.is_(None), Participation.consent.is_not(None))
_WITHDRAWN = and_(Participation.organisation_id.is_not(None), Participation.consent.is_(None))


def programme_status(
    session: Session,
    programme: Programme,
    today: date | None = None,
    now: datetime | None = None,
    page: int = 1,
    per_page: int | None = None,
) -> ProgrammeStatus:
    """A page of the firms with their status: invited (or its link expired or revoked),
    joined, draft, submitted, repeat due (the caller checked the role).

    Paged in SQL: the cost of a page does not grow with the programme. A page past the last
    is empty (its `pages` tells the caller where the last is).
    """
    per_page = per_page or FIRMS_PER_PAGE
    listed, withdrawn, joined = session.execute(
        select(
            func.coalesce(func.sum(case((_LISTED, 1), else_=0)), 0),
            func.coalesce(func.sum(case((_WITHDRAWN, 1), else_=0)), 0),
            func.count(Participation.organisation_id),
        ).where(Participation.programme_id == programme.id)
    ).one()
    page = max(1, page)
    rows = session.scalars(
        select(Participation)
        .where(Participation.programme_id == programme.id, _LISTED)
        .options(selectinload(Participation.organisation))
        .order_by(Participation.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    consenting = [p.organisation_id for p in rows if p.organisation_id is not None]
    since = datetime.combine(programme.starts_on, datetime.min.time())
    activity = {}
    if consenting:
        activity = {
            r.organisation_id: r
            for r in session.execute(
                select(
                    Assessment.organisation_id,
                    func.max(
                        case((Assessment.status == "submitted", Assessment.submitted_at))
                    ).label("submitted"),
                    func.sum(case((Assessment.status == "draft", 1), else_=0)).label("drafts"),
                )
                .where(
                    Assessment.organisation_id.in_(consenting),
                    Assessment.questionnaire_id.in_(programme.questionnaire_ids),
                    Assessment.created_at >= since,
                )
                .group_by(Assessment.organisation_id)
            )
        }
    due_before = datetime.combine(today or date.today(), datetime.min.time()) - timedelta(
        days=programme.repeat_after_days
    )
    firms = []
    for p in rows:
        if p.organisation_id is None:
            firms.append(
                FirmStatus(p.id, _invitation_state(p, now), p.email, None, None, None, p.expires_at)
            )
            continue
        seen = activity.get(p.organisation_id)
        submitted = seen.submitted if seen is not None else None
        if isinstance(submitted, str):  # SQLite returns MAX() of a date column as text
            submitted = datetime.fromisoformat(submitted)
        if seen is not None and seen.drafts:
            status = "draft"
        elif submitted is not None and submitted.replace(tzinfo=None) < due_before:
            status = "repeat_due"
        elif submitted is not None:
            status = "submitted"
        else:
            status = "joined"
        firms.append(FirmStatus(p.id, status, p.email, p.organisation.name, p.consent, submitted))
    pages = max(1, math.ceil(listed / per_page))
    return ProgrammeStatus(firms, withdrawn, listed, joined, page, pages)


def _invitation_state(participation: Participation, now: datetime | None = None) -> str:
    """invited, expired or revoked: whether an unused invitation link still works."""
    if participation.revoked_at is not None:
        return "revoked"
    expires = participation.expires_at
    return "expired" if expires is not None and expires <= (now or utcnow()) else "invited"
