"""Managing a programme after it started: edit it, delete it, revoke or renew invitation links.

Only the operator's owners may do any of this. Nothing here touches a firm's own data: a
programme only points at firms' organisations, so editing it changes what the cohort counts
and deleting it removes the programme, its invitations and participations, never a firm's
assessments. Firms that took part are told in their audit log ("programme_ended"), which
their programmes page lists under "Programmes that ended".
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.models import Assessment
from readiness.models import AuditEvent
from readiness.models import CohortMember
from readiness.models import Participation
from readiness.models import Programme
from readiness.models import User
from readiness.models.base import utcnow
from readiness.services import audit
from readiness.services.accounts import AccountError
from readiness.services.accounts import NotFound
from readiness.services.accounts import require_role
from readiness.services.cohort_pool import consenting
from readiness.services.cohort_pool import since
from readiness.services.locking import lock_row
from readiness.services.peer_pool import refresh_peers
from readiness.services.programmes import INVITATION_VALID_FOR
from readiness.services.programmes import invitation_hash

ENDED_SHOWN = 20  # ended programmes listed on a firm's programmes page


class QuestionnaireInUse(AccountError):
    """Firms sharing with the programme have answered a questionnaire the edit would remove."""

    def __init__(self, questionnaire_ids: list[str]) -> None:
        self.questionnaire_ids = questionnaire_ids
        super().__init__(
            "Firms have already answered " + ", ".join(questionnaire_ids) + "; keep it."
        )


class NameMismatch(AccountError):
    """The typed name does not match the programme's: nothing is deleted."""


class InvitationClosed(AccountError):
    """The invitation was used already: a firm that joined cannot be uninvited by its link."""


@dataclass(frozen=True)
class ProgrammeFields:
    """What an operator can change about a programme."""

    name: str
    questionnaire_ids: Sequence[str]
    starts_on: date
    ends_on: date | None = None
    sector_focus: str = ""
    repeat_after_days: int = 180


def _owned(session: Session, user: User, organisation_id: int, programme_id: int) -> Programme:
    """The operator's programme, locked for this transaction (owners only); NotFound otherwise."""
    require_role(session, user, organisation_id, "owner")
    lock_row(session, Programme, programme_id)
    programme = session.get(Programme, programme_id)
    if programme is None or programme.organisation_id != organisation_id:
        raise NotFound("No such programme.")
    return programme


def answered_questionnaires(session: Session, programme: Programme) -> set[str]:
    """The programme's questionnaires that a consenting firm has an assessment of (since start)."""
    return set(
        session.scalars(
            select(Assessment.questionnaire_id)
            .where(
                Assessment.organisation_id.in_(consenting(programme)),
                Assessment.questionnaire_id.in_(programme.questionnaire_ids),
                Assessment.created_at >= since(programme),
            )
            .distinct()
        )
    )


def update_programme(
    session: Session,
    user: User,
    organisation_id: int,
    programme_id: int,
    fields: ProgrammeFields,
    origin: audit.Origin = audit.CLI,
) -> Programme:
    """Change a programme's name, questionnaires, period, sector focus or repeat interval.

    :raises QuestionnaireInUse: a questionnaire left out has been answered by a sharing firm
        (its assessments would silently leave the cohort); nothing is changed.
    """
    programme = _owned(session, user, organisation_id, programme_id)
    chosen = list(dict.fromkeys(fields.questionnaire_ids))
    if not chosen:
        raise ValueError("a programme needs at least one questionnaire")
    removed = set(programme.questionnaire_ids) - set(chosen)
    in_use = sorted(removed & answered_questionnaires(session, programme))
    if in_use:
        raise QuestionnaireInUse(in_use)
    before = {
        "name": programme.name,
        "questionnaires": list(programme.questionnaire_ids),
        "starts_on": programme.starts_on.isoformat(),
        "ends_on": programme.ends_on.isoformat() if programme.ends_on else None,
        "sector_focus": programme.sector_focus,
        "repeat_after_days": programme.repeat_after_days,
    }
    programme.name = fields.name.strip()
    programme.questionnaire_ids = chosen
    programme.starts_on, programme.ends_on = fields.starts_on, fields.ends_on
    programme.sector_focus = fields.sector_focus.strip()
    programme.repeat_after_days = fields.repeat_after_days
    after = {
        "name": programme.name,
        "questionnaires": chosen,
        "starts_on": programme.starts_on.isoformat(),
        "ends_on": programme.ends_on.isoformat() if programme.ends_on else None,
        "sector_focus": programme.sector_focus,
        "repeat_after_days": programme.repeat_after_days,
    }
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if {"questionnaires", "starts_on"} & set(changes):
        _recount(session, programme)
    audit.record(
        session,
        "programme_updated",
        actor=user,
        organisation_id=organisation_id,
        target=f"programme:{programme.id}",
        details={"changes": changes},
        origin=origin,
        commit=False,
    )
    session.commit()
    return programme


def _recount(session: Session, programme: Programme) -> None:
    """Which firms' results count changed: drop the kept cohort counts and shares, so that the
    next cohort view builds them afresh (cohort_pool.ensure_built); firms' data is untouched."""
    session.execute(delete(CohortMember).where(CohortMember.programme_id == programme.id))
    programme.cohort_cache = {}
    programme.revision = Programme.revision + 1


def delete_programme(
    session: Session,
    user: User,
    organisation_id: int,
    programme_id: int,
    typed_name: str,
    origin: audit.Origin = audit.CLI,
) -> int:
    """Delete a programme with its invitations and participations; the firms keep their data.

    Each firm that had joined finds a "programme_ended" entry in its own audit log. Returns
    how many firms had joined.

    :raises NameMismatch: the typed name is not the programme's.
    """
    programme = _owned(session, user, organisation_id, programme_id)
    if typed_name.strip() != programme.name.strip():
        raise NameMismatch("Type the programme's name exactly to delete it.")
    firms = end_participations(session, [programme])
    audit.record(
        session,
        "programme_deleted",
        actor=user,
        organisation_id=organisation_id,
        target=f"programme:{programme.id}",
        details={"name": programme.name, "firms": len(firms)},
        origin=origin,
        commit=False,
    )
    session.delete(programme)
    session.commit()
    return len(firms)


def end_participations(session: Session, ended: Sequence[Programme]) -> set[int]:
    """Tell every firm that joined these programmes that they ended, then remove the rows.

    Part of the caller's transaction (programme or operator deletion). The firms leave the
    benchmark pool if they no longer share with any programme. The firm's log names the
    programme and operator, never the operator's people or addresses. Returns the firms' IDs.
    """
    ids = [p.id for p in ended]
    joined = session.execute(
        select(Participation.organisation_id, Participation.programme_id).where(
            Participation.programme_id.in_(ids), Participation.organisation_id.is_not(None)
        )
    ).all()
    by_id = {p.id: p for p in ended}
    for firm_id, programme_id in joined:
        programme = by_id[programme_id]
        audit.record(
            session,
            "programme_ended",
            organisation_id=firm_id,
            target=f"programme:{programme_id}",
            details={"name": programme.name, "operator": programme.organisation.name},
            origin=audit.Origin(),
            commit=False,
        )
    session.execute(
        delete(Participation)
        .where(Participation.programme_id.in_(ids))
        .execution_options(synchronize_session=False)
    )
    firms = {firm_id for firm_id, _p in joined}
    refresh_peers(session, sorted(firms))
    return firms


@dataclass(frozen=True)
class EndedProgramme:
    """A programme the firm took part in that its operator deleted."""

    name: str
    operator: str
    ended_at: datetime


def ended_programmes(session: Session, organisation_id: int) -> list[EndedProgramme]:
    """The programmes of the firm that ended (were deleted), newest first (caller checks)."""
    events = session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.organisation_id == organisation_id,
            AuditEvent.action == "programme_ended",
        )
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(ENDED_SHOWN)
    )
    return [
        EndedProgramme(
            str(e.details.get("name", "")), str(e.details.get("operator", "")), e.created_at
        )
        for e in events
    ]


def _invitation(
    session: Session, user: User, programme: Programme, participation_id: int
) -> Participation:
    """An invitation of the programme not used yet, locked (owners of the operator)."""
    programme_id = programme.id
    require_role(session, user, programme.organisation_id, "owner")
    lock_row(session, Programme, programme_id)  # programme, then participation (as join does)
    lock_row(session, Participation, participation_id)
    participation = session.get(Participation, participation_id)
    if participation is None or participation.programme_id != programme_id:
        raise NotFound("No such invitation.")
    if participation.organisation_id is not None:
        raise InvitationClosed("The firm has joined already; this link is used.")
    return participation


def revoke_invitation(
    session: Session,
    user: User,
    programme: Programme,
    participation_id: int,
    origin: audit.Origin = audit.CLI,
) -> Participation:
    """Withdraw an unused invitation link: it stops working at once (a firm opening it is told).

    :raises InvitationClosed: the firm has joined already (withdrawing is the firm's choice).
    """
    participation = _invitation(session, user, programme, participation_id)
    if participation.revoked_at is None:
        participation.revoked_at = utcnow()
        audit.record(
            session,
            "programme_invitation_revoked",
            actor=user,
            organisation_id=programme.organisation_id,
            target=f"participation:{participation.id}",
            details={"programme": programme.id, "email": participation.email},
            origin=origin,
            commit=False,
        )
    session.commit()
    return participation


def renew_invitation(
    session: Session,
    user: User,
    programme: Programme,
    participation_id: int,
    valid_for: timedelta = INVITATION_VALID_FOR,
    origin: audit.Origin = audit.CLI,
    now: datetime | None = None,
) -> tuple[Participation, str]:
    """A new link for an unused invitation (expired, revoked or still open); the old one dies.

    :raises InvitationClosed: the firm has joined already.
    """
    participation = _invitation(session, user, programme, participation_id)
    token = secrets.token_urlsafe(32)
    participation.token_hash = invitation_hash(token)
    participation.revoked_at = None
    participation.expires_at = (now or utcnow()) + valid_for
    audit.record(
        session,
        "programme_invitation_created",
        actor=user,
        organisation_id=programme.organisation_id,
        target=f"participation:{participation.id}",
        details={"programme": programme.id, "email": participation.email, "renewed": True},
        origin=origin,
        commit=False,
    )
    session.commit()
    return participation, token


def open_invitations(session: Session, programme_id: int) -> int:
    """How many invitations of the programme are not used yet (for the deletion page)."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Participation)
            .where(
                Participation.programme_id == programme_id,
                Participation.organisation_id.is_(None),
            )
        )
        or 0
    )
