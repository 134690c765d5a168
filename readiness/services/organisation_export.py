"""Exporting an organisation: one ZIP archive with its data as versioned JSON plus its reports.

The archive holds `organisation.json` (described by `schema/organisation-export-3.json`, a
copy of readiness/schemas/; version 2 added the action plan, version 3 the programme
participations, on-site reviews and respondents), and for each submitted
assessment its report as HTML and JSON in every language of its questionnaire (and as PDF
when asked). People are named by e-mail address and assessments and plan actions by a
reference local to the file, so that the archive can be loaded into another installation
(services/organisation_import.py). Share links, invitations, API tokens and the audit log are
not exported: they are secrets or belong to this installation.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from readiness.config import PACKAGE_DIR
from readiness.models import Assessment
from readiness.models import User
from readiness.models.base import utcnow
from readiness.services import audit
from readiness.services.accounts import require_role
from readiness.services.collaboration_transfer import Extras
from readiness.services.collaboration_transfer import participation_data
from readiness.services.collaboration_transfer import programme_data
from readiness.services.organisations import members_of
from readiness.services.plan_transfer import plan_data
from readiness.services.questionnaires import Catalogue
from readiness.services.questionnaires import UnknownQuestionnaire

FORMAT = "readiness-organisation-export"
VERSION = 3
# version 1: without the action plan; 2: without participations, reviews and respondents
READABLE_VERSIONS = (1, 2, 3)
SCHEMA_NAME = f"organisation-export-{VERSION}.json"
SCHEMA_PATH = PACKAGE_DIR / "schemas" / SCHEMA_NAME


def schema_path(version: int) -> Path:
    """The JSON Schema of an export format version."""
    return PACKAGE_DIR / "schemas" / f"organisation-export-{version}.json"


DATA_NAME = "organisation.json"
# Renders a submitted assessment's report: (assessment, questionnaire, lang, format) -> bytes.
ReportRenderer = Callable[[Assessment, Any, str, str], bytes]


def timestamp(value: datetime | None) -> str | None:
    """An ISO 8601 timestamp in UTC with microseconds (None stays None)."""
    return value.isoformat(timespec="microseconds") if value is not None else None


def organisation_data(session: Session, organisation_id: int) -> dict[str, Any]:
    """The organisation's data as the JSON document of the export format."""
    members = members_of(session, organisation_id)
    organisation = members[0].organisation if members else None
    if organisation is None:
        raise LookupError(f"organisation {organisation_id} has no members")
    emails = {m.user_id: m.user.email for m in members}
    rows = list(
        session.scalars(
            select(Assessment)
            .where(Assessment.organisation_id == organisation_id)
            .options(selectinload(Assessment.answers))
            .order_by(Assessment.created_at, Assessment.id)
        )
    )
    refs = {a.id: f"a{n}" for n, a in enumerate(rows, start=1)}
    extras = Extras(session, rows)
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timestamp(utcnow()),
        "organisation": {
            "name": organisation.name,
            "profile": dict(organisation.profile or {}),
            "created_at": timestamp(organisation.created_at),
        },
        "members": [
            {"email": m.user.email, "name": m.user.name, "role": m.role, "locale": m.user.locale}
            for m in sorted(members, key=lambda m: m.user.email)
        ],
        "assessments": [{**_assessment(a, refs, emails), **extras.of(a.id, emails)} for a in rows],
        "plan": plan_data(session, organisation_id, emails, refs),
        "participations": participation_data(session, organisation_id),
        "programmes": programme_data(session, organisation_id, emails),
    }


def _assessment(a: Assessment, refs: dict[int, str], emails: dict[int, str]) -> dict[str, Any]:
    """One assessment with its answers; authors who left the organisation are not named."""
    return {
        "ref": refs[a.id],
        "questionnaire_id": a.questionnaire_id,
        "questionnaire_version": a.questionnaire_version,
        "title": a.title,
        "status": a.status,
        "profile": dict(a.profile or {}),
        "revision": a.revision,
        "created_at": timestamp(a.created_at),
        "updated_at": timestamp(a.updated_at),
        "submitted_at": timestamp(a.submitted_at),
        "created_by": emails.get(a.created_by_id),
        "submitted_by": emails.get(a.submitted_by_id),
        "previous": refs.get(a.previous_assessment_id),
        "result": a.result,
        "kind": a.kind,
        "confirmed_at": timestamp(a.confirmed_at),
        "confirmed_by": emails.get(a.confirmed_by_id),
        "answers": [
            {
                "question_id": r.question_id,
                "status": r.status,
                "value": r.value,
                "comment": r.comment or "",
                "evidence": r.evidence or "",
                "revision": r.revision,
                "updated_at": timestamp(r.updated_at),
                "updated_by": emails.get(r.updated_by_id),
            }
            for r in sorted(a.answers, key=lambda r: r.question_id)
        ],
    }


def export_organisation(
    session: Session,
    user: User | None,
    organisation_id: int,
    catalogue: Catalogue,
    render: ReportRenderer,
    formats: tuple[str, ...] = ("html", "json"),
    origin: audit.Origin = audit.CLI,
) -> bytes:
    """The organisation's archive (owners; `user` None: the command line, trusted).

    The export is recorded in the audit log.
    """
    if user is not None:
        require_role(session, user, organisation_id, "owner")
    data = organisation_data(session, organisation_id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(DATA_NAME, json.dumps(data, ensure_ascii=False, indent=2))
        archive.writestr(f"schema/{SCHEMA_NAME}", SCHEMA_PATH.read_bytes())
        ordered = session.scalars(
            select(Assessment)
            .where(Assessment.organisation_id == organisation_id)
            .order_by(Assessment.created_at, Assessment.id)
        )
        for n, assessment in enumerate(ordered, start=1):  # the refs organisation_data gave
            if assessment.status != "submitted":
                continue
            try:
                questionnaire = catalogue.get(
                    assessment.questionnaire_id, assessment.questionnaire_version
                )
            except UnknownQuestionnaire:
                continue  # the data is exported; without its questionnaire no report renders
            for lang in questionnaire.languages:
                for fmt in formats:
                    body = render(assessment, questionnaire, lang, fmt)
                    archive.writestr(f"reports/a{n}-{lang}.{fmt}", body)
    audit.record(
        session,
        "organisation_exported",
        actor=user,
        organisation_id=organisation_id,
        target=f"organisation:{organisation_id}",
        details={
            "assessments": len(data["assessments"]),
            "plan_actions": len(data["plan"]),
            "participations": len(data["participations"]),
        },
        origin=origin,
    )
    return buffer.getvalue()
