"""Importing an organisation archive written by `readiness export` into this installation.

Everything arrives as a new organisation, in one transaction. People are matched by e-mail
address: an existing account is reused, anyone else gets an account without a usable
password (they choose one with "Forgot password"). Assessments keep their answers, results,
revisions and timestamps; only the database IDs are new. On-site reviews, respondents (with
their own answers) and settlements come back with their assessments; programme participations
arrive as records of the firm linked to no programme here (services/collaboration_transfer.py).
"""

from __future__ import annotations

import json
import secrets
import zipfile
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from sqlalchemy.orm import Session

from readiness.models import Answer
from readiness.models import Assessment
from readiness.models import Membership
from readiness.models import Organisation
from readiness.models import User
from readiness.services import audit
from readiness.services.accounts import hash_password
from readiness.services.accounts import normalise_email
from readiness.services.accounts import user_by_email
from readiness.services.collaboration_transfer import check_extras
from readiness.services.collaboration_transfer import load_extras
from readiness.services.collaboration_transfer import load_participations
from readiness.services.collaboration_transfer import load_programmes
from readiness.services.collaboration_transfer import respondent_people
from readiness.services.organisation_export import DATA_NAME
from readiness.services.organisation_export import FORMAT
from readiness.services.organisation_export import READABLE_VERSIONS
from readiness.services.organisation_export import schema_path
from readiness.services.plan_transfer import load_plan
from readiness.services.summaries import mark_latest
from readiness.services.summary_repair import summarise_arrived

MAX_DATA_BYTES = 256 * 1024 * 1024  # organisation.json beyond this is refused unread


class ImportError_(Exception):
    """The file is not an organisation archive this version can load; the message says why."""


@lru_cache(maxsize=len(READABLE_VERSIONS))
def _validator(version: int) -> Draft202012Validator:
    schema = json.loads(schema_path(version).read_text(encoding="utf-8"))
    # Formats are checked too: a date or time that does not parse is refused, not a traceback.
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def read_archive(path: Path) -> dict[str, Any]:
    """The checked organisation.json of an archive (or of a bare JSON file); raises ImportError_."""
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                try:
                    info = archive.getinfo(DATA_NAME)
                except KeyError:
                    raise ImportError_(f"{path}: no {DATA_NAME} in the archive") from None
                if info.file_size > MAX_DATA_BYTES:
                    raise ImportError_(f"{path}: {DATA_NAME} is too large")
                raw = archive.read(info)
        else:
            raw = path.read_bytes()
        data = json.loads(raw)
    except (OSError, zipfile.BadZipFile, UnicodeDecodeError, ValueError) as exc:
        raise ImportError_(f"{path}: cannot be read: {exc}") from None
    return check_data(data)


def check_data(data: Any) -> dict[str, Any]:
    """`data` if it is a valid export of a version this installation reads; raises ImportError_."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportError_("not a Readiness organisation export")
    version = data.get("version")
    if version not in READABLE_VERSIONS or isinstance(version, bool):
        readable = ", ".join(str(v) for v in READABLE_VERSIONS)
        raise ImportError_(f"export version {version!r}; this version reads {readable}")
    error = next(iter(sorted(_validator(version).iter_errors(data), key=str)), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        raise ImportError_(f"{where}: {error.message}")
    refs = [a["ref"] for a in data["assessments"]]
    if len(set(refs)) != len(refs):
        raise ImportError_("assessment refs are not unique")
    seen: set[str] = set()
    for a in data["assessments"]:
        if a["previous"] is not None and a["previous"] not in seen:
            raise ImportError_(f"{a['ref']}: previous {a['previous']} is not an earlier one")
        seen.add(a["ref"])
    if not any(m["role"] == "owner" for m in data["members"]):
        raise ImportError_("the organisation has no owner")
    data.setdefault("plan", [])  # version 1 had no plan
    for action in data["plan"]:
        if action["source_assessment"] is not None and action["source_assessment"] not in seen:
            raise ImportError_(f"{action['ref']}: no assessment {action['source_assessment']}")
        if action["status"] == "dropped" and not action["dropped_reason"]:
            raise ImportError_(f"{action['ref']}: a dropped action needs a reason")
    keys = [a["source_key"] for a in data["plan"] if a["source_key"] is not None]
    if len(set(keys)) != len(keys):
        raise ImportError_("an action is adopted twice (source_key)")
    data.setdefault("participations", [])  # versions 1 and 2 had none
    data.setdefault("programmes", [])
    problem = check_extras(data, {normalise_email(m["email"]) for m in data["members"]})
    if problem is not None:
        raise ImportError_(problem)
    return data


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


def import_organisation(
    session: Session, data: dict[str, Any], origin: audit.Origin = audit.CLI, catalogue: Any = None
) -> Organisation:
    """Load checked export data as a new organisation (one transaction); returns it.

    Submitted assessments get their summaries, scored with `catalogue`'s questionnaires where
    this installation has the version, else read from their result documents.
    """
    people: dict[str, User] = {}
    outside = {
        email: {"email": email, "name": name, "locale": None}
        for email, name in respondent_people(data).items()
    }
    for member in [*data["members"], *outside.values()]:
        email = normalise_email(member["email"])
        if email in people:
            continue
        user = user_by_email(session, email)
        if user is None:
            user = User(
                email=email,
                name=member["name"],
                locale=member["locale"],
                password_hash=hash_password(secrets.token_urlsafe(32)),
            )
            session.add(user)
        people[email] = user
    session.flush()

    def person(email: str | None) -> int | None:
        user = people.get(normalise_email(email)) if email else None
        return user.id if user is not None else None

    source = data["organisation"]
    organisation = Organisation(
        name=source["name"], profile=source["profile"], created_at=_when(source["created_at"])
    )
    session.add(organisation)
    session.flush()
    for member in data["members"]:
        session.add(
            Membership(
                organisation_id=organisation.id,
                user_id=person(member["email"]),
                role=member["role"],
            )
        )
    ids: dict[str, int] = {}
    for item in data["assessments"]:
        assessment = Assessment(
            organisation_id=organisation.id,
            questionnaire_id=item["questionnaire_id"],
            questionnaire_version=item["questionnaire_version"],
            title=item["title"],
            status=item["status"],
            profile=item["profile"],
            revision=item["revision"],
            created_at=_when(item["created_at"]),
            updated_at=_when(item["updated_at"]),
            submitted_at=_when(item["submitted_at"]),
            created_by_id=person(item["created_by"]),
            submitted_by_id=person(item["submitted_by"]),
            previous_assessment_id=ids.get(item["previous"]) if item["previous"] else None,
            result=item["result"],
            kind=item.get("kind", "self"),
            confirmed_at=_when(item.get("confirmed_at")),
            confirmed_by_id=person(item.get("confirmed_by")),
        )
        session.add(assessment)
        session.flush()
        ids[item["ref"]] = assessment.id
        for answer in item["answers"]:
            session.add(
                Answer(
                    assessment_id=assessment.id,
                    question_id=answer["question_id"],
                    status=answer["status"],
                    value=answer["value"],
                    comment=answer["comment"],
                    evidence=answer["evidence"],
                    revision=answer["revision"],
                    updated_at=_when(answer["updated_at"]),
                    updated_by_id=person(answer["updated_by"]),
                )
            )
        load_extras(session, assessment.id, item, person)
        if assessment.status == "submitted":  # lists and history read the summary, not the result
            session.flush()
            summarise_arrived(session, assessment, catalogue, item["result"])
    plan = load_plan(session, organisation.id, data["plan"], person, ids)
    records = load_participations(session, organisation.id, data["participations"])
    operated = load_programmes(session, organisation.id, data["programmes"], person)
    session.flush()
    for questionnaire_id in sorted({item["questionnaire_id"] for item in data["assessments"]}):
        mark_latest(session, organisation.id, questionnaire_id)
    # The Assessment rows' updated_at must stay as exported: the answers' inserts do not touch
    # them, and onupdate fires only on UPDATE.
    audit.record(
        session,
        "organisation_imported",
        organisation_id=organisation.id,
        target=f"organisation:{organisation.id}",
        details={
            "assessments": len(ids),
            "members": len(data["members"]),
            "plan_actions": plan,
            "participation_records": records,
            "programmes": operated,
        },
        origin=origin,
        commit=False,
    )
    session.commit()
    return organisation
