"""Plan use cases: write, change, adopt and delete plan actions, each change recorded in history."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import asdict
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from typing import Any

from sqlalchemy import Select
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from readiness.domain.plan import MAX_LINKS
from readiness.domain.plan import ActionStatus
from readiness.domain.plan import PlanRuleError
from readiness.domain.plan import check_action
from readiness.domain.plan import evidence_link_problem
from readiness.domain.plan_links import Adopted
from readiness.domain.plan_links import Candidate
from readiness.models import Assessment
from readiness.models import Organisation
from readiness.models import PlanAction
from readiness.models import PlanActionChange
from readiness.models import User
from readiness.models.base import utcnow
from readiness.services import audit
from readiness.services.accounts import NotFound
from readiness.services.accounts import require_role
from readiness.services.organisations import members_of


class PlanError(Exception):
    """Base of the plan errors; the message is safe to show to the user."""


class InvalidAction(PlanError):
    """The action's fields break a rule of the plan (a dropped action needs a reason …)."""


class StaleAction(PlanError):
    """Someone changed the action since the form was opened; nothing was saved."""


class NotAMember(PlanError):
    """The chosen owner is not a member of the organisation."""


@dataclass
class ActionFields:
    """The fields of a plan action a person edits."""

    title: str
    description: str = ""
    measure_id: str | None = None
    challenge_area: str | None = None
    pillar: str | None = None
    question_ids: list[str] = field(default_factory=list)
    owner_id: int | None = None
    owner_name: str = ""
    owner_email: str = ""
    start_date: date | None = None
    due_date: date | None = None
    status: str = "planned"
    dropped_reason: str = ""
    effort: str | None = None
    cost_band: str | None = None
    indicator: str = ""
    baseline: str = ""
    target: str = ""
    notes: str = ""
    evidence_links: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, action: PlanAction) -> ActionFields:
        """The editable fields of a stored action."""
        return cls(**{name: getattr(action, name) for name in cls.__dataclass_fields__})


# Due date first (undated last), then the order they were written in.
_ORDER = (PlanAction.due_date.is_(None), PlanAction.due_date, PlanAction.id)


@dataclass(frozen=True)
class PlanFilter:
    """Which actions the plan page lists (None: any)."""

    pillar: str | None = None
    measure: str | None = None
    owner: str | None = None  # "user:<id>", "name:<text>" or "none"
    overdue: bool = False
    status: str | None = None


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _validate(session: Session, organisation_id: int, data: ActionFields) -> None:
    try:
        check_action(data.status, data.dropped_reason, data.start_date, data.due_date)
    except PlanRuleError as exc:
        raise InvalidAction(str(exc)) from exc
    if len(data.evidence_links) > MAX_LINKS or any(
        evidence_link_problem(link) for link in data.evidence_links
    ):
        raise InvalidAction("evidence links must be http:// or https:// addresses")
    if data.owner_id is not None:
        if data.owner_id not in {m.user_id for m in members_of(session, organisation_id)}:
            raise NotAMember("The owner must be a member of the organisation.")


def get_action(session: Session, user: User, action_id: int, min_role: str) -> PlanAction:
    """A plan action if `user` has `min_role` in its organisation (NotFound otherwise)."""
    action = session.get(PlanAction, action_id)
    if action is None:
        raise NotFound("No such action.")
    require_role(session, user, action.organisation_id, min_role)
    return action


def _filtered(organisation_id: int, f: PlanFilter, today: date | None) -> Select[Any]:
    """The organisation's actions that pass the filter, as a select (overdue decided in SQL)."""
    query = select(PlanAction).where(PlanAction.organisation_id == organisation_id)
    if f.pillar:
        query = query.where(PlanAction.pillar == f.pillar)
    if f.measure:
        query = query.where(PlanAction.measure_id == f.measure)
    if f.status:
        query = query.where(PlanAction.status == f.status)
    if f.owner == "none":
        query = query.where(PlanAction.owner_id.is_(None), PlanAction.owner_name == "")
    elif f.owner and f.owner.startswith("user:") and f.owner[5:].isdigit():
        query = query.where(PlanAction.owner_id == int(f.owner[5:]))
    elif f.owner and f.owner.startswith("name:"):
        query = query.where(PlanAction.owner_id.is_(None), PlanAction.owner_name == f.owner[5:])
    if f.overdue:  # as domain.plan.is_overdue: open, and due before today
        query = query.where(
            PlanAction.status.in_([s.value for s in ActionStatus if s.is_open]),
            PlanAction.due_date < (today or date.today()),
        )
    return query


def list_actions(
    session: Session,
    organisation_id: int,
    plan_filter: PlanFilter | None = None,
    today: date | None = None,
) -> list[PlanAction]:
    """The organisation's actions, filtered, by due date (undated last), then by ID."""
    query = _filtered(organisation_id, plan_filter or PlanFilter(), today)
    return list(session.scalars(query.options(selectinload(PlanAction.owner)).order_by(*_ORDER)))


def page_of_actions(
    session: Session,
    organisation_id: int,
    plan_filter: PlanFilter,
    page: int,
    per_page: int,
    today: date | None = None,
) -> tuple[list[PlanAction], int]:
    """One page of list_actions (paged in SQL), and how many actions pass the filter."""
    query = _filtered(organisation_id, plan_filter, today)
    total = session.scalar(query.with_only_columns(func.count(PlanAction.id))) or 0
    shown = query.options(selectinload(PlanAction.owner)).order_by(*_ORDER)
    shown = shown.limit(per_page).offset((max(1, page) - 1) * per_page)
    return list(session.scalars(shown)), total


def _record(session: Session, action: PlanAction, user: User | None, kind: str, changes: dict):
    session.add(
        PlanActionChange(
            action=action, user_id=user.id if user else None, kind=kind, changes=changes
        )
    )


def create_action(
    session: Session,
    organisation: Organisation,
    user: User,
    data: ActionFields,
    questionnaire: tuple[str, int] | None = None,
) -> PlanAction:
    """Write an action of one's own into the plan (editors); the history records its fields.

    `questionnaire` (ID, version) names the version its question IDs belong to.
    """
    require_role(session, user, organisation.id, "editor")
    _validate(session, organisation.id, data)
    action = PlanAction(organisation_id=organisation.id, created_by_id=user.id, **asdict(data))
    if questionnaire is not None:
        action.questionnaire_id, action.questionnaire_version = questionnaire
    if data.status == ActionStatus.DONE:
        action.done_at = utcnow()
    session.add(action)
    _record(
        session,
        action,
        user,
        "created",
        {k: [None, _json(v)] for k, v in asdict(data).items() if v not in (None, "", [])},
    )
    session.commit()
    return action


def update_action(
    session: Session, action: PlanAction, user: User, data: ActionFields, base_revision: int
) -> dict[str, list[Any]]:
    """Change an action; returns the recorded changes ({} when nothing changed).

    The revision is bumped with a conditional UPDATE, so of two changes from the same form state
    only the first is saved; the second raises StaleAction.
    """
    require_role(session, user, action.organisation_id, "editor")
    _validate(session, action.organisation_id, data)
    before = ActionFields.of(action)
    changes = {
        name: [_json(getattr(before, name)), _json(value)]
        for name, value in asdict(data).items()
        if getattr(before, name) != value
    }
    if action.revision != base_revision:
        raise StaleAction("Someone changed this action meanwhile.")
    if not changes:
        return {}
    bumped = session.execute(
        update(PlanAction)
        .where(PlanAction.id == action.id, PlanAction.revision == base_revision)
        .values(revision=base_revision + 1)
        .execution_options(synchronize_session=False)
    )
    if bumped.rowcount != 1:
        session.rollback()
        raise StaleAction("Someone changed this action meanwhile.")
    for name, value in asdict(data).items():
        setattr(action, name, value)
    action.revision = base_revision + 1
    if data.status != before.status:
        action.done_at = utcnow() if data.status == ActionStatus.DONE else None
    _record(session, action, user, "updated", changes)
    session.commit()
    return changes


def set_status(
    session: Session,
    action: PlanAction,
    user: User,
    status: str,
    base_revision: int,
    reason: str = "",
) -> dict[str, list[Any]]:
    """Move an action to another status (the board's buttons); dropping needs a reason."""
    data = ActionFields.of(action)
    data.status = status
    if status == ActionStatus.DROPPED:
        data.dropped_reason = reason or data.dropped_reason
    return update_action(session, action, user, data, base_revision)


def delete_action(
    session: Session, action: PlanAction, user: User, origin: audit.Origin = audit.CLI
) -> None:
    """Delete an action and its history (owners only); the deletion is audit-logged."""
    require_role(session, user, action.organisation_id, "owner")
    audit.record(
        session,
        "plan_action_deleted",
        actor=user,
        organisation_id=action.organisation_id,
        target=f"plan_action:{action.id}",
        details={"title": action.title[:100], "status": action.status},
        origin=origin,
        commit=False,
    )
    session.delete(action)
    session.commit()


def history(session: Session, action: PlanAction) -> list[PlanActionChange]:
    """The recorded changes of an action, oldest first, with who made them."""
    return list(
        session.scalars(
            select(PlanActionChange)
            .where(PlanActionChange.action_id == action.id)
            .options(selectinload(PlanActionChange.user))
            .order_by(PlanActionChange.id)
        )
    )


@dataclass(frozen=True)
class AdoptOutcome:
    """What adopting did: the actions added and how many were already in the plan."""

    added: list[PlanAction]
    already: int


def adopt(
    session: Session,
    organisation: Organisation,
    user: User,
    assessment: Assessment,
    chosen: Sequence[Candidate],
    due_dates: dict[str, date] | None = None,
) -> AdoptOutcome:
    """Adopt recommended actions into the plan; one already adopted is left as it is.

    Each insert runs in a savepoint, so an action adopted meanwhile by someone else (the unique
    key on organisation + source) is counted as already there instead of failing the rest.
    """
    require_role(session, user, organisation.id, "editor")
    if assessment.organisation_id != organisation.id:
        raise NotFound("No such assessment.")
    due_dates = due_dates or {}
    added: list[PlanAction] = []
    already = 0
    for candidate in chosen:
        action = PlanAction(
            organisation_id=organisation.id,
            title=candidate.title[:300],
            measure_id=candidate.measure,
            challenge_area=candidate.challenge_area,
            pillar=candidate.pillar,
            question_ids=list(candidate.question_ids),
            questionnaire_id=assessment.questionnaire_id,
            questionnaire_version=assessment.questionnaire_version,
            source_key=candidate.key[:400],
            source_id=candidate.source_id,
            source_texts=dict(candidate.texts),
            source_assessment_id=assessment.id,
            due_date=due_dates.get(candidate.key),
            created_by_id=user.id,
        )
        try:
            with session.begin_nested():
                session.add(action)
                session.flush()
        except IntegrityError:
            already += 1
            continue
        _record(
            session,
            action,
            user,
            "adopted",
            {
                "title": [None, action.title],
                "measure_id": [None, action.measure_id],
                "source_assessment_id": [None, assessment.id],
            },
        )
        added.append(action)
    session.commit()
    return AdoptOutcome(added, already)


def adopted_keys(session: Session, organisation_id: int) -> set[str]:
    """The source keys of the recommended actions already in the organisation's plan."""
    return set(
        session.scalars(
            select(PlanAction.source_key).where(
                PlanAction.organisation_id == organisation_id, PlanAction.source_key.is_not(None)
            )
        )
    )


def as_adopted(actions: Iterable[Any]) -> list[Adopted]:
    """The plan as the recommendations see it: each adopted action's link and status.

    `actions`: PlanAction objects, or rows with the same columns (plan_loop.ADOPTED).
    """
    return [
        Adopted(
            a.measure_id,
            a.source_id,
            tuple((a.source_texts or {}).values()) or (a.title,),
            a.status,
        )
        for a in actions
        if a.source_key is not None
    ]


def owners_in_use(actions: Iterable[PlanAction]) -> list[tuple[str, str]]:
    """The distinct owners of `actions` as (filter value, name) pairs, by name."""
    seen: dict[str, str] = {}
    for a in actions:
        if a.owner_id is not None and a.owner is not None:
            seen[f"user:{a.owner_id}"] = a.owner.name
        elif a.owner_name:
            seen[f"name:{a.owner_name}"] = a.owner_name
    return sorted(seen.items(), key=lambda kv: kv[1].lower())
