"""Programme participations, on-site reviews and respondents in an organisation archive.

Used by services/organisation_export.py and services/organisation_import.py (format version 3).
People are named by e-mail address, as everywhere in the archive. A participation names its
programme and operator by what they were called: programme IDs mean nothing elsewhere, and a
consent must never attach itself to another operator's programme that merely has the same
name. So an imported participation becomes a ParticipationRecord of the firm: the programme's
name and period, what the firm shared and the history of its consent, linked to no programme
and giving no operator any access. Exporting again writes records in the same form, so that an
export, an import and another export give the same document. The programmes an organisation
operates travel as definitions only: the firms in them, their consent and their invitations
are the firms' data or secrets, so an imported programme starts without firms.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from collections.abc import Iterable
from datetime import date
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from readiness.models import Assessment
from readiness.models import AuditEvent
from readiness.models import OnSiteReview
from readiness.models import Participation
from readiness.models import ParticipationRecord
from readiness.models import Programme
from readiness.models import Respondent
from readiness.models import RespondentAnswer
from readiness.models import Settlement
from readiness.services.accounts import normalise_email

# Audit events of a firm's consent, and the name each has in an archive's history.
CONSENT_EVENTS = {
    "programme_joined": "joined",
    "programme_consent_changed": "changed",
    "programme_consent_withdrawn": "withdrawn",
}


def _stamp(value: datetime | None) -> str | None:
    return value.isoformat(timespec="microseconds") if value is not None else None


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _history(events: Iterable[AuditEvent]) -> list[dict[str, Any]]:
    """A participation's consent events from the audit log, oldest first."""
    rows = []
    for event in events:
        details = event.details or {}
        rows.append(
            {
                "at": _stamp(event.created_at),
                "event": CONSENT_EVENTS[event.action],
                "from": details.get("from"),
                "to": details.get("consent" if event.action == "programme_joined" else "to"),
                "by": event.actor_email,
            }
        )
    return rows


def participation_data(session: Session, organisation_id: int) -> list[dict[str, Any]]:
    """The firm's participations: records of earlier imports first, then its live ones."""
    records = session.scalars(
        select(ParticipationRecord)
        .where(ParticipationRecord.organisation_id == organisation_id)
        .order_by(ParticipationRecord.id)
    )
    rows = [
        {
            "programme": dict(r.programme),
            "status": r.status,
            "consent": r.consent,
            "joined_at": _stamp(r.joined_at),
            "consented_at": _stamp(r.consented_at),
            "withdrawn_at": _stamp(r.withdrawn_at),
            "history": list(r.history),
        }
        for r in records
    ]
    live = session.scalars(
        select(Participation)
        .where(Participation.organisation_id == organisation_id)
        .options(selectinload(Participation.programme).selectinload(Programme.organisation))
        .order_by(Participation.joined_at, Participation.id)
    ).all()
    targets = {f"participation:{p.id}": p.id for p in live}
    events: dict[int, list[AuditEvent]] = defaultdict(list)
    if targets:
        for event in session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.organisation_id == organisation_id,
                AuditEvent.action.in_(CONSENT_EVENTS),
                AuditEvent.target.in_(targets),
            )
            .order_by(AuditEvent.created_at, AuditEvent.id)
        ):
            events[targets[event.target]].append(event)
    for p in live:
        programme = p.programme
        rows.append(
            {
                "programme": {
                    "name": programme.name,
                    "operator": programme.organisation.name,
                    "questionnaire_ids": list(programme.questionnaire_ids),
                    "starts_on": _day(programme.starts_on),
                    "ends_on": _day(programme.ends_on),
                    "sector_focus": programme.sector_focus,
                },
                "status": "sharing" if p.consent is not None else "withdrawn",
                "consent": p.consent,
                "joined_at": _stamp(p.joined_at),
                "consented_at": _stamp(p.consented_at),
                "withdrawn_at": _stamp(p.withdrawn_at),
                "history": _history(events[p.id]),
            }
        )
    return rows


def programme_data(
    session: Session, organisation_id: int, emails: dict[int, str]
) -> list[dict[str, Any]]:
    """The programmes the organisation operates, without their firms (those are the firms')."""
    rows = session.scalars(
        select(Programme)
        .where(Programme.organisation_id == organisation_id)
        .order_by(Programme.created_at, Programme.id)
    )
    return [
        {
            "name": p.name,
            "questionnaire_ids": list(p.questionnaire_ids),
            "starts_on": _day(p.starts_on),
            "ends_on": _day(p.ends_on),
            "sector_focus": p.sector_focus,
            "repeat_after_days": p.repeat_after_days,
            "created_at": _stamp(p.created_at),
            "created_by": emails.get(p.created_by_id),
        }
        for p in rows
    ]


def load_programmes(
    session: Session,
    organisation_id: int,
    items: list[dict[str, Any]],
    person: Callable[[str | None], int | None],
) -> int:
    """Create the archive's programmes for the organisation, with no firms yet; how many."""
    for item in items:
        session.add(
            Programme(
                organisation_id=organisation_id,
                name=item["name"],
                questionnaire_ids=item["questionnaire_ids"],
                starts_on=date.fromisoformat(item["starts_on"]),
                ends_on=date.fromisoformat(item["ends_on"]) if item["ends_on"] else None,
                sector_focus=item["sector_focus"],
                repeat_after_days=item["repeat_after_days"],
                created_at=_when(item["created_at"]),
                created_by_id=person(item["created_by"]),
            )
        )
    return len(items)


def load_participations(session: Session, organisation_id: int, items: list[dict]) -> int:
    """Store an archive's participations as records of the organisation; returns how many."""
    for item in items:
        session.add(
            ParticipationRecord(
                organisation_id=organisation_id,
                programme=item["programme"],
                status=item["status"],
                consent=item["consent"],
                joined_at=_when(item["joined_at"]),
                consented_at=_when(item["consented_at"]),
                withdrawn_at=_when(item["withdrawn_at"]),
                history=item["history"],
            )
        )
    return len(items)


class Extras:
    """The on-site reviews, respondents and settlements of an organisation's assessments."""

    def __init__(self, session: Session, assessments: list[Assessment]) -> None:
        ids = [a.id for a in assessments]
        self.reviews: dict[int, list[OnSiteReview]] = defaultdict(list)
        self.respondents: dict[int, list[Respondent]] = defaultdict(list)
        self.settlements: dict[int, list[Settlement]] = defaultdict(list)
        if not ids:
            return
        for review in session.scalars(
            select(OnSiteReview).where(OnSiteReview.assessment_id.in_(ids))
        ):
            self.reviews[review.assessment_id].append(review)
        for respondent in session.scalars(
            select(Respondent)
            .where(Respondent.assessment_id.in_(ids))
            .options(selectinload(Respondent.user), selectinload(Respondent.answers))
        ):
            self.respondents[respondent.assessment_id].append(respondent)
        for settlement in session.scalars(
            select(Settlement).where(Settlement.assessment_id.in_(ids))
        ):
            self.settlements[settlement.assessment_id].append(settlement)

    def of(self, assessment_id: int, emails: dict[int, str]) -> dict[str, Any]:
        """The assessment's `reviews`, `respondents` and `settlements` as archive JSON."""
        reviews = sorted(self.reviews[assessment_id], key=lambda r: r.question_id)
        parts = sorted(self.respondents[assessment_id], key=lambda r: r.user.email)
        settled = sorted(self.settlements[assessment_id], key=lambda s: s.question_id)
        return {
            "reviews": [
                {
                    "question_id": r.question_id,
                    "verdict": r.verdict,
                    "note": r.note or "",
                    "reviewed_by": emails.get(r.reviewed_by_id),
                    "reviewed_at": _stamp(r.reviewed_at),
                }
                for r in reviews
            ],
            "respondents": [
                {
                    "email": r.user.email,
                    "name": r.user.name,
                    "pillars": r.pillars,
                    "submitted_at": _stamp(r.submitted_at),
                    "revision": r.revision,
                    "created_at": _stamp(r.created_at),
                    "answers": [
                        {
                            "question_id": a.question_id,
                            "status": a.status,
                            "value": a.value,
                            "comment": a.comment or "",
                            "evidence": a.evidence or "",
                            "revision": a.revision,
                            "updated_at": _stamp(a.updated_at),
                        }
                        for a in sorted(r.answers, key=lambda a: a.question_id)
                    ],
                }
                for r in parts
            ],
            "settlements": [
                {
                    "question_id": s.question_id,
                    "status": s.status,
                    "value": s.value,
                    "note": s.note or "",
                    "settled_by": emails.get(s.settled_by_id),
                    "settled_at": _stamp(s.settled_at),
                }
                for s in settled
            ],
        }


def respondent_people(data: dict[str, Any]) -> dict[str, str]:
    """E-mail → name of every respondent named in the archive's assessments."""
    return {r["email"]: r["name"] for a in data["assessments"] for r in a.get("respondents", [])}


def load_extras(
    session: Session,
    assessment_id: int,
    item: dict[str, Any],
    person: Callable[[str | None], int | None],
) -> None:
    """Store an archive assessment's reviews, respondents and settlements (version 3)."""
    for review in item.get("reviews", []):
        session.add(
            OnSiteReview(
                assessment_id=assessment_id,
                question_id=review["question_id"],
                verdict=review["verdict"],
                note=review["note"],
                reviewed_by_id=person(review["reviewed_by"]),
                reviewed_at=_when(review["reviewed_at"]),
            )
        )
    for part in item.get("respondents", []):
        respondent = Respondent(
            assessment_id=assessment_id,
            user_id=person(part["email"]),
            pillars=part["pillars"],
            submitted_at=_when(part["submitted_at"]),
            revision=part["revision"],
            created_at=_when(part["created_at"]),
        )
        respondent.answers = [
            RespondentAnswer(
                question_id=a["question_id"],
                status=a["status"],
                value=a["value"],
                comment=a["comment"],
                evidence=a["evidence"],
                revision=a["revision"],
                updated_at=_when(a["updated_at"]),
            )
            for a in part["answers"]
        ]
        session.add(respondent)
    for settlement in item.get("settlements", []):
        session.add(
            Settlement(
                assessment_id=assessment_id,
                question_id=settlement["question_id"],
                status=settlement["status"],
                value=settlement["value"],
                note=settlement["note"],
                settled_by_id=person(settlement["settled_by"]),
                settled_at=_when(settlement["settled_at"]),
            )
        )


def check_extras(data: dict[str, Any], members: set[str]) -> str | None:
    """What is wrong with the archive's participations, reviews and respondents, or None."""
    for a in data["assessments"]:
        ref, kind = a["ref"], a.get("kind", "self")
        if a.get("reviews") and kind != "on_site":
            return f"{ref}: reviews belong to on-site evaluations, this one is {kind}"
        if (a.get("respondents") or a.get("settlements")) and kind != "respondents":
            return (
                f"{ref}: respondents belong to several-respondent assessments, this one is {kind}"
            )
        for key, unique in (
            ("reviews", "question_id"),
            ("settlements", "question_id"),
            ("respondents", "email"),
        ):
            values = [str(row[unique]).lower() for row in a.get(key, [])]
            if len(set(values)) != len(values):
                return f"{ref}: {key}: the same {unique} twice"
        for key, who in (("reviews", "reviewed_by"), ("settlements", "settled_by")):
            for row in a.get(key, []):
                if row[who] is not None and normalise_email(row[who]) not in members:
                    return f"{ref}: {key} {row['question_id']}: {row[who]} is not a member"
        for part in a.get("respondents", []):
            questions = [answer["question_id"] for answer in part["answers"]]
            if len(set(questions)) != len(questions):
                return f"{ref}: respondent {part['email']} answers a question twice"
    return None
