"""Which submitted assessments count as the firm's official result (on-site ones once confirmed).

The one rule for every aggregate: `mark_latest` (readiness.services.summaries) flags a firm's
latest *official* result with `is_latest`, which the cohort counts, the cohort table, the
benchmark pool and the operator's view of a firm read; the cohort's rounds and the firm's own
trend filter with `official()` directly. An on-site evaluation the firm has not confirmed (still
under review, or with disputed answers) is visible to the firm but counts nowhere else.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy import or_

from readiness.models import Assessment

ON_SITE = "on_site"


def official(columns: Any = None) -> ColumnElement[bool]:
    """SQL condition: a submitted assessment counts as the firm's official result.

    `columns`: the assessments table's columns (`Assessment.__table__.c`) for a statement built
    once without the ORM; the mapped attributes by default.
    """
    c = Assessment if columns is None else columns
    return or_(c.kind != ON_SITE, c.confirmed_at.is_not(None))


def is_official(assessment: Assessment) -> bool:
    """Whether a submitted assessment counts as the firm's result (on-site: once confirmed)."""
    return assessment.kind != ON_SITE or assessment.confirmed_at is not None
