"""Deleting what a firm no longer wants kept: assessments, organisations, one's own account.

Each use case removes the rows (answers, share links, tokens … follow by cascade), the cached
report files, and records the deletion in the audit log, in one transaction.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash

from readiness.models import Assessment
from readiness.models import AuditEvent
from readiness.models import Membership
from readiness.models import Organisation
from readiness.models import Participation
from readiness.models import Programme
from readiness.models import User
from readiness.services import audit
from readiness.services.accounts import AccountError
from readiness.services.accounts import InvalidCredentials
from readiness.services.accounts import LastOwner
from readiness.services.accounts import require_role
from readiness.services.peer_pool import refresh_peers
from readiness.services.programme_admin import end_participations
from readiness.services.summaries import mark_latest
from readiness.services.summaries import touch_programmes

log = logging.getLogger(__name__)


class ConfirmationRequired(AccountError):
    """The deletion needs an explicit confirmation (or the typed name did not match)."""


def remove_cached_reports(cache_directory: Path | None, assessment_ids: list[int]) -> list[Path]:
    """Delete the cached report files of these assessments; returns what was deleted."""
    removed: list[Path] = []
    if cache_directory is None or not cache_directory.is_dir():
        return removed
    for assessment_id in assessment_ids:
        for path in cache_directory.glob(f"assessment-{assessment_id}-*"):
            try:
                path.unlink()
            except OSError as exc:  # the rows are gone; a stray file is logged, not fatal
                log.warning("could not delete cached report %s: %s", path, exc)
                continue
            removed.append(path)
    return removed


def delete_assessment(
    session: Session,
    user: User,
    assessment: Assessment,
    *,
    confirm: bool = False,
    cache_directory: Path | None = None,
    origin: audit.Origin = audit.CLI,
) -> None:
    """Delete a draft (editors) or a submitted assessment (owners, with `confirm`).

    :raises Forbidden: the role is too low. :raises ConfirmationRequired: submitted, no confirm.
    """
    submitted = assessment.status == "submitted"
    require_role(session, user, assessment.organisation_id, "owner" if submitted else "editor")
    if submitted and not confirm:
        raise ConfirmationRequired("Deleting a submitted assessment needs a confirmation.")
    assessment_id, organisation_id = assessment.id, assessment.organisation_id
    audit.record(
        session,
        "assessment_deleted",
        actor=user,
        organisation_id=organisation_id,
        target=f"assessment:{assessment_id}",
        details={"status": assessment.status, "questionnaire": assessment.questionnaire_id},
        origin=origin,
        commit=False,
    )
    questionnaire_id = assessment.questionnaire_id
    session.delete(assessment)  # answers and share links go by cascade
    session.flush()
    mark_latest(session, organisation_id, questionnaire_id)
    session.commit()
    remove_cached_reports(cache_directory, [assessment_id])


def delete_organisation(
    session: Session,
    user: User,
    organisation_id: int,
    typed_name: str,
    *,
    cache_directory: Path | None = None,
    origin: audit.Origin = audit.CLI,
) -> None:
    """Delete an organisation with everything in it (owners, who type its name to confirm)."""
    membership = require_role(session, user, organisation_id, "owner")
    organisation = membership.organisation
    if typed_name.strip() != organisation.name.strip():
        raise ConfirmationRequired("Type the organisation's name exactly to delete it.")
    ids = list(
        session.scalars(select(Assessment.id).where(Assessment.organisation_id == organisation_id))
    )
    session.execute(delete(AuditEvent).where(AuditEvent.organisation_id == organisation_id))
    audit.record(
        session,
        "organisation_deleted",
        actor=user,
        target=f"organisation:{organisation_id}",
        details={"assessments": len(ids)},
        origin=origin,
        commit=False,
    )
    # Out of every programme cohort and the benchmark pool first (its bins are counts); an
    # operator's programmes go, so its firms may no longer share with any programme.
    operated = session.scalars(
        select(Programme).where(Programme.organisation_id == organisation_id)
    ).all()
    # Its firms are told in their own logs that these programmes ended (and leave the pool).
    end_participations(session, operated)
    session.execute(
        delete(Participation)
        .where(Participation.organisation_id == organisation_id)
        .execution_options(synchronize_session=False)
    )
    refresh_peers(session, [organisation_id])
    touch_programmes(session, organisation_id)  # its shares leave the other programmes' cohorts
    session.delete(organisation)  # memberships, invitations, assessments, tokens by cascade
    session.commit()
    remove_cached_reports(cache_directory, ids)


def sole_owned(session: Session, user: User) -> list[Organisation]:
    """The organisations of which `user` is the only owner.

    The organisations `user` owns are locked (FOR UPDATE on PostgreSQL), so that two owners
    leaving at once are counted one after the other.
    """
    owned = session.scalars(
        select(Organisation)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(Membership.user_id == user.id, Membership.role == "owner")
        .order_by(Organisation.id)
        .with_for_update(of=Organisation)
    ).all()
    alone = []
    for organisation in owned:
        owners = session.scalar(
            select(func.count())
            .select_from(Membership)
            .where(Membership.organisation_id == organisation.id, Membership.role == "owner")
        )
        if owners <= 1:
            alone.append(organisation)
    return alone


def delete_account(
    session: Session, user: User, password: str, *, origin: audit.Origin = audit.CLI
) -> None:
    """Delete one's own account after checking the password.

    :raises LastOwner: the user is the only owner of an organisation (hand it over or delete it).
    """
    if not check_password_hash(user.password_hash, password):
        raise InvalidCredentials("The password is wrong.")
    # Writing the event first opens the write transaction (SQLite then serialises a second
    # account deletion behind this one), before the owners are counted.
    audit.record(
        session,
        "account_deleted",
        actor_email=user.email,
        target=f"user:{user.id}",
        origin=origin,
        commit=False,
    )
    session.flush()
    alone = sole_owned(session, user)
    if alone:
        names = ", ".join(o.name for o in alone)
        session.rollback()
        raise LastOwner(f"You are the only owner of: {names}.")
    session.delete(user)  # memberships and tokens by cascade; authorship becomes NULL
    session.commit()
