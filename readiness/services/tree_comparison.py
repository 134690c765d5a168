"""Comparing submitted assessments of one format-2 questionnaire: every node's value and level
side by side, on its native scale at full precision, and the answers that changed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from readiness.models import Assessment
from readiness.services.accounts import NotFound
from readiness.services.accounts import require_role
from readiness.services.assessments import stored_result
from readiness.services.comparison_view import date_labels
from readiness.services.questionnaires import Catalogue
from readiness.services.questionnaires import UnknownQuestionnaire
from readiness.services.result_explain import answer_text
from readiness.services.tree_results import tree_view


class NotTreeComparable(Exception):
    """The chosen assessments are not all of one format-2 questionnaire."""


@dataclass(frozen=True)
class TreeCompareRow:
    """One node across the assessments: display values, levels, and the change first → last."""

    id: str
    depth: int
    title: str
    displays: tuple[str | None, ...]
    levels: tuple[str | None, ...]
    change: float | None  # full precision
    change_display: str | None  # rounded like the node's values, with a sign


@dataclass(frozen=True)
class ChangedAnswer:
    """An answer that differs between the first and the last assessment."""

    text: str
    before: str
    after: str


@dataclass(frozen=True)
class TreeComparison:
    """The comparison page of format-2 assessments, oldest first."""

    title: str
    labels: tuple[str, ...]
    titles: tuple[str, ...]
    rows: tuple[TreeCompareRow, ...]
    changed: tuple[ChangedAnswer, ...]
    ids: tuple[int, ...]


def _decimals(display: str | None) -> int:
    return len(display.split(".")[1]) if display and "." in display else 0


def _change(first: Any, last: Any) -> tuple[float | None, str | None]:
    """last - first at full precision, and rounded to the finer of the two display values."""
    if first.value is None or last.value is None:
        return None, None
    change = last.value - first.value
    places = max(_decimals(first.display), _decimals(last.display))
    text = f"{change:+.{places}f}"
    return change, "0" if float(text) == 0 else text


def compare_trees(
    session: Session, assessments: Sequence[Assessment], catalogue: Catalogue, lang: str
) -> TreeComparison:
    """Compare submitted assessments (oldest first) of one format-2 questionnaire.

    :raises NotTreeComparable: a draft, another questionnaire, or one this server lacks.
    """
    ids = {a.questionnaire_id for a in assessments}
    if len(ids) != 1 or any(a.status != "submitted" for a in assessments):
        raise NotTreeComparable("Only submitted assessments of one questionnaire compare.")
    views = []
    for assessment in assessments:
        try:
            q = catalogue.get(assessment.questionnaire_id, assessment.questionnaire_version)
        except UnknownQuestionnaire:
            raise NotTreeComparable(str(assessment.questionnaire_id)) from None
        if not q.is_tree:
            raise NotTreeComparable("Not a format-2 questionnaire.")
        views.append((q, tree_view(q, stored_result(session, assessment, lang), lang)))
    first_q, first = views[0]
    last_q, last = views[-1]
    rows = []
    for row in last.nodes:
        found = [next((n for n in v.nodes if n.id == row.id), None) for _q, v in views]
        before = found[0]
        change, change_display = _change(before, row) if before is not None else (None, None)
        rows.append(
            TreeCompareRow(
                id=row.id,
                depth=row.depth,
                title=row.title,
                displays=tuple(n.display if n else None for n in found),
                levels=tuple(n.level_name if n and n.level is not None else None for n in found),
                change=change,
                change_display=change_display,
            )
        )
    changed = []
    for question in last_q.questions:
        old = first.document["items"].get(question.id)
        new = last.document["items"].get(question.id)
        if old is None or new is None or old.get("answer") == new.get("answer"):
            if old is None or new is None or old.get("status") == new.get("status"):
                continue
        changed.append(
            ChangedAnswer(
                question.text.get(lang),
                answer_text(question, old.get("answer"), old.get("status", ""), lang),
                answer_text(question, new.get("answer"), new.get("status", ""), lang),
            )
        )
    return TreeComparison(
        title=last.title,
        labels=tuple(
            date_labels(
                [a.submitted_at or a.created_at for a in assessments],
                [a.id for a in assessments],
                lang,
            )
        ),
        titles=tuple(a.title for a in assessments),
        rows=tuple(rows),
        changed=tuple(changed),
        ids=tuple(a.id for a in assessments),
    )


def tree_comparison_rows(comparison: TreeComparison) -> list[list[Any]]:
    """The comparison as CSV rows: one per node, a column per assessment, then the change."""
    header = ["id", "title", *comparison.labels, "change"]
    rows: list[list[Any]] = [header]
    for row in comparison.rows:
        rows.append([row.id, row.title, *row.displays, row.change])
    return rows


def chosen_trees(
    session: Session,
    user: Any,
    organisation_id: int,
    ids: Sequence[int],
    catalogue: Catalogue,
    lang: str,
) -> TreeComparison | None:
    """The comparison of the chosen assessments when they are of a format-2 questionnaire
    (None when none is; then the format-1 comparison applies), oldest first.

    :raises NotFound: an ID is not an assessment of the organisation (or the user no member).
    :raises NotTreeComparable: fewer than two, drafts, or not all of one questionnaire.
    """
    require_role(session, user, organisation_id, "viewer")
    found = []
    for assessment_id in dict.fromkeys(ids):
        assessment = session.get(Assessment, assessment_id)
        if assessment is None or assessment.organisation_id != organisation_id:
            raise NotFound("No such assessment.")
        found.append(assessment)
    trees = []
    for assessment in found:
        try:
            q = catalogue.get(assessment.questionnaire_id, assessment.questionnaire_version)
        except UnknownQuestionnaire:
            continue
        trees.append(q.is_tree)
    if not any(trees):
        return None
    if len(found) < 2:
        raise NotTreeComparable("Choose at least two assessments to compare.")
    found.sort(key=lambda a: (a.submitted_at or a.created_at, a.id))
    return compare_trees(session, found, catalogue, lang)
