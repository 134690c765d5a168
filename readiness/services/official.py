"""Which submitted assessments count as the firm's official result (on-site ones once confirmed)."""

from __future__ import annotations

from sqlalchemy import ColumnElement
from sqlalchemy import or_

from readiness.models import Assessment

ON_SITE = "on_site"


def official() -> ColumnElement[bool]:
    """SQL condition: a submitted assessment counts as the firm's official result."""
    return or_(Assessment.kind != ON_SITE, Assessment.confirmed_at.is_not(None))


def is_official(assessment: Assessment) -> bool:
    """Whether a submitted assessment counts as the firm's result (on-site: once confirmed)."""
    return assessment.kind != ON_SITE or assessment.confirmed_at is not None
