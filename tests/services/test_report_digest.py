"""A report's PDF cache key fingerprints its data by value, never by the order rows came in."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import pytest
from flask import Flask

from readiness import create_app
from readiness.services.benchmark import PeerGroup
from readiness.services.report_model import ReportData
from readiness.services.reports import report_data
from tests.report_data import complete_answers


@pytest.fixture(scope="module")
def report() -> Iterator[ReportData]:
    """A flagship report (no database: rendering data only)."""
    app: Flask = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x" * 32})
    with app.app_context():
        flagship = app.extensions["catalogue"].get(app.config["FLAGSHIP_QUESTIONNAIRE"])
        yield report_data(
            flagship,
            complete_answers(flagship),
            {},
            lang="en",
            organisation="Acme",
            when=date(2026, 3, 1),
        )


def test_the_same_benchmark_in_another_order_keeps_the_key(report: ReportData) -> None:
    one = replace(report, benchmark=(PeerGroup("industry", 12, 40, {"data": 30, "talent": 55}),))
    other = replace(report, benchmark=(PeerGroup("industry", 12, 40, {"talent": 55, "data": 30}),))
    assert one.plan_digest == other.plan_digest
    # the provenance, a mapping of mappings, is read by value too
    nested = replace(one, provenance={"kind": "self", "review": {"by": "A", "at": "2026-03-02"}})
    again = replace(one, provenance={"review": {"at": "2026-03-02", "by": "A"}, "kind": "self"})
    assert nested.plan_digest == again.plan_digest


def test_a_changed_percentile_changes_the_key(report: ReportData) -> None:
    one = replace(report, benchmark=(PeerGroup("industry", 12, 40, {"data": 30}),))
    moved = replace(report, benchmark=(PeerGroup("industry", 12, 40, {"data": 31}),))
    assert one.plan_digest != moved.plan_digest
    assert one.plan_digest != replace(one, provenance={"kind": "on_site"}).plan_digest
