"""The action plan in an organisation archive: actions and their history to JSON and back.

Used by services/organisation_export.py and services/organisation_import.py (format version 2).
Database IDs do not travel: a member owner and the authors of changes are named by e-mail
address, the assessment an action was adopted from by its ref in the file, and the recorded
history's `owner_id` and `source_assessment_id` values likewise (under `owner` and
`source_assessment`), so that an export, an import and another export give the same document.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from datetime import date
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from readiness.models import PlanAction
from readiness.models import PlanActionChange

# History keys holding database IDs, and the key each travels under in the file.
ID_KEYS = {"owner_id": "owner", "source_assessment_id": "source_assessment"}
TEXT_FIELDS = (
    "title",
    "description",
    "measure_id",
    "challenge_area",
    "pillar",
    "questionnaire_id",
    "questionnaire_version",
    "source_key",
    "source_id",
    "owner_name",
    "owner_email",
    "status",
    "dropped_reason",
    "effort",
    "cost_band",
    "indicator",
    "baseline",
    "target",
    "notes",
    "revision",
)


def _stamp(value: datetime | None) -> str | None:
    return value.isoformat(timespec="microseconds") if value is not None else None


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _map_ids(changes: Mapping[str, Any], convert: Mapping[str, Callable[[Any], Any]]) -> dict:
    """`changes` with the values of ID keys converted and the keys renamed (either direction)."""
    out: dict[str, Any] = {}
    for key, pair in changes.items():
        if key in convert and isinstance(pair, list):
            new_key = ID_KEYS.get(key) or {v: k for k, v in ID_KEYS.items()}[key]
            out[new_key] = [convert[key](v) for v in pair]
        else:
            out[key] = pair
    return out


def plan_data(
    session: Session, organisation_id: int, emails: Mapping[int, str], refs: Mapping[int, str]
) -> list[dict[str, Any]]:
    """The organisation's plan actions with their history, as the export format has them.

    `emails` names the members by user ID and `refs` the assessments by ID; anyone else
    (a former member) is left unnamed.
    """
    actions = session.scalars(
        select(PlanAction)
        .where(PlanAction.organisation_id == organisation_id)
        .options(selectinload(PlanAction.changes))
        .order_by(PlanAction.created_at, PlanAction.id)
    )
    to_file = {"owner_id": emails.get, "source_assessment_id": refs.get}
    out = []
    for n, a in enumerate(actions, start=1):
        item: dict[str, Any] = {"ref": f"p{n}", **{f: getattr(a, f) for f in TEXT_FIELDS}}
        item.update(
            question_ids=list(a.question_ids or []),
            source_texts=dict(a.source_texts or {}),
            source_assessment=refs.get(a.source_assessment_id),
            owner=emails.get(a.owner_id),
            start_date=_day(a.start_date),
            due_date=_day(a.due_date),
            done_at=_stamp(a.done_at),
            evidence_links=list(a.evidence_links or []),
            created_by=emails.get(a.created_by_id),
            created_at=_stamp(a.created_at),
            updated_at=_stamp(a.updated_at),
            history=[
                {
                    "at": _stamp(c.at),
                    "by": emails.get(c.user_id),
                    "kind": c.kind,
                    "changes": _map_ids(c.changes or {}, to_file),
                }
                for c in sorted(a.changes, key=lambda c: c.id)
            ],
        )
        out.append(item)
    return out


def load_plan(
    session: Session,
    organisation_id: int,
    items: list[dict[str, Any]],
    person: Callable[[str | None], int | None],
    assessment_ids: Mapping[str, int],
) -> int:
    """Insert the plan actions of export data into an organisation; returns how many."""
    from_file = {
        "owner": lambda v: person(v) if isinstance(v, str) else None,
        "source_assessment": lambda v: assessment_ids.get(v) if isinstance(v, str) else None,
    }
    for item in items:
        action = PlanAction(
            organisation_id=organisation_id,
            **{f: item[f] for f in TEXT_FIELDS},
            question_ids=list(item["question_ids"]),
            source_texts=dict(item["source_texts"]),
            source_assessment_id=assessment_ids.get(item["source_assessment"] or ""),
            owner_id=person(item["owner"]),
            start_date=_date(item["start_date"]),
            due_date=_date(item["due_date"]),
            done_at=_when(item["done_at"]),
            evidence_links=list(item["evidence_links"]),
            created_by_id=person(item["created_by"]),
            created_at=_when(item["created_at"]),
            updated_at=_when(item["updated_at"]),
        )
        session.add(action)
        session.flush()
        for change in item["history"]:
            session.add(
                PlanActionChange(
                    action_id=action.id,
                    user_id=person(change["by"]),
                    at=_when(change["at"]),
                    kind=change["kind"],
                    changes=_map_ids(change["changes"], from_file),
                )
            )
    return len(items)


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value is not None else None
