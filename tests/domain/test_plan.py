"""The plan's rules, its timeline, its links to recommendations, question IDs across versions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from readiness.config import PACKAGE_DIR
from readiness.domain.answers import AnswerSet
from readiness.domain.loading import load_questionnaire
from readiness.domain.plan import MeasureProgress
from readiness.domain.plan import PlanRuleError
from readiness.domain.plan import check_action
from readiness.domain.plan import evidence_link_problem
from readiness.domain.plan import is_overdue
from readiness.domain.plan import needs_reminder
from readiness.domain.plan import progress_by_measure
from readiness.domain.plan_links import Adopted
from readiness.domain.plan_links import action_questions
from readiness.domain.plan_links import annotate
from readiness.domain.plan_links import annotate_roadmap
from readiness.domain.plan_links import candidates
from readiness.domain.plan_links import declared_mapping
from readiness.domain.plan_links import linked_questions
from readiness.domain.plan_links import resolve_question_ids
from readiness.domain.plan_timeline import Bar
from readiness.domain.plan_timeline import timeline_svg
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.results import result_document
from tests.assessment_data import MINI

FLAGSHIP_V2 = PACKAGE_DIR / "questionnaires" / "smart-manufacturing-readiness" / "2.yaml"

TODAY = date(2026, 6, 15)


@pytest.fixture(scope="module")
def mini() -> Questionnaire:
    return load_questionnaire(MINI)


@pytest.mark.parametrize(
    ("due", "status", "overdue", "remind_in_7"),
    [
        (date(2026, 6, 14), "planned", True, True),
        (date(2026, 6, 14), "in_progress", True, True),
        (date(2026, 6, 14), "done", False, False),
        (date(2026, 6, 14), "dropped", False, False),
        (date(2026, 6, 15), "planned", False, True),  # due today: not yet overdue
        (date(2026, 6, 22), "planned", False, True),  # exactly 7 days ahead
        (date(2026, 6, 23), "planned", False, False),
        (None, "planned", False, False),
    ],
)
def test_overdue_and_reminders(due, status, overdue, remind_in_7) -> None:
    assert is_overdue(due, status, TODAY) is overdue
    assert needs_reminder(due, status, TODAY, 7) is remind_in_7


def test_a_dropped_action_needs_a_reason_and_start_precedes_due() -> None:
    with pytest.raises(PlanRuleError, match="reason"):
        check_action("dropped", "  ", None, None)
    check_action("dropped", "no budget this year", None, None)
    with pytest.raises(PlanRuleError, match="start"):
        check_action("planned", "", date(2026, 2, 1), date(2026, 1, 1))
    with pytest.raises(ValueError):
        check_action("finished", "", None, None)  # not a status


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://intranet.example.com/reports/network.pdf", True),
        ("http://10.0.0.5/mes", True),
        ("javascript:alert(1)", False),
        ("ftp://example.com/x", False),
        ("https://", False),
        ("https://exa mple.com", False),
        ("https://example.com/\x00", False),
        ("https://example.com/" + "a" * 2000, False),
    ],
)
def test_evidence_links_are_web_addresses(url: str, ok: bool) -> None:
    assert (evidence_link_problem(url) is None) is ok


def test_progress_per_measure_counts_done_against_what_is_not_dropped() -> None:
    rows = progress_by_measure(
        [
            ("6.10", "done"),
            ("6.2", "done"),
            ("6.2", "planned"),
            ("6.2", "dropped"),
            ("6.2", "in_progress"),
            (None, "planned"),
            ("6.9", "dropped"),
        ]
    )
    assert [r.measure for r in rows] == ["6.2", "6.9", "6.10", None]
    assert rows[0] == MeasureProgress("6.2", 4, 1, 1, 1)
    assert rows[0].percent == 33
    assert rows[1].percent == 0  # everything dropped: nothing to count
    assert rows[2].percent == 100


def test_timeline_draws_one_bar_per_dated_action_without_inline_style() -> None:
    bars = [
        Bar(
            "Wire the shop floor <fast>", date(2026, 5, 1), date(2026, 7, 31), "in_progress", False
        ),
        Bar("车间联网试点", None, date(2026, 6, 1), "planned", True),
        Bar("Undated", None, None, "planned", False),
    ]
    svg = timeline_svg(bars, TODAY, "Timeline", "today")
    assert svg.count("<rect") == 2  # the undated action has no bar
    assert "&lt;fast&gt;" in svg and "<fast>" not in svg
    assert "style=" not in svg and "<script" not in svg
    assert 'stroke="#c62828" stroke-width="2"' in svg  # the overdue bar is outlined
    assert "2026-05" in svg and "2026-07" in svg  # month ticks
    assert timeline_svg([bars[2]], TODAY, "Timeline", "today") == ""


def test_candidates_link_measure_area_pillar_and_questions(mini: Questionnaire) -> None:
    answers = AnswerSet({"technology.rd": 1, "data.governance": "nobody"})
    doc = result_document(mini, answers, {"sector": "process"}, "en")
    found = candidates(mini, doc)
    keys = [c.key for c in found]
    assert len(keys) == len(set(keys))
    rd = next(c for c in found if c.source_id == "process-rd")
    assert (rd.measure, rd.challenge_area, rd.pillar) == ("6.1", "5.1", "technology")
    # no done-conditions: the questions its recommendation names as holding the area back
    assert rd.question_ids == ("technology.patents",)
    assert set(linked_questions(mini, "5.1", "technology")) > {"technology.patents"}
    assert rd.texts == {"en": "Study process models.", "zh": "研究过程模型。"}
    network = next(c for c in found if c.source_id == "network")
    assert set(network.question_ids) == {"data.governance", "infrastructure.network"}
    assert {c.horizon for c in found} >= {"0-6", "6-18"}


def test_adopted_actions_link_only_the_questions_they_should_move() -> None:
    """Flagship v2: an action with done-conditions links the questions they read, no more."""
    flagship = load_questionnaire(FLAGSHIP_V2)
    doc = result_document(flagship, AnswerSet({}), {}, "en")
    found = candidates(flagship, doc)
    sources = {a.id: a for m in flagship.measures for a in m.actions}
    with_conditions = [c for c in found if sources[c.source_id].done_when]
    assert with_conditions, "the flagship has actions with done-conditions"
    for c in with_conditions:
        assert c.question_ids == tuple(sources[c.source_id].done_when), c.key
    for c in found:
        assert c.question_ids, c.key
        assert all(flagship.question(qid) is not None for qid in c.question_ids), c.key
    narrower = [
        c
        for c in found
        if len(c.question_ids) < len(linked_questions(flagship, c.challenge_area, c.pillar))
    ]
    assert len(narrower) == len(found), "no action links its whole challenge area"
    # an action naming its questions itself links exactly those
    named = {"id": "x", "text": "Own step", "pillar": None, "questions": ["data.quality"]}
    assert action_questions(flagship, "6.2", "5.2", named, ("data.collection",)) == (
        "data.quality",
    )


def test_recommendations_drop_done_actions_and_mark_open_ones(mini: Questionnaire) -> None:
    doc = result_document(mini, AnswerSet({"technology.rd": 0}), {}, "zh")
    recs = doc["recommendations"]
    first = next(r for r in recs if r["measure"] == "6.1")
    titles = [a["text"] for a in first["actions"]]
    plan = [
        # matched by ID, though adopted with English text
        Adopted("6.1", "budget", ("Set an R&D budget line.",), "done"),
        # matched by text alone (a recommendation whose actions have no ID any more)
        Adopted("6.3", None, ("车间联网。",), "in_progress"),
        Adopted("6.2", "budget", ("Set an R&D budget line.",), "done"),  # another measure
    ]
    out = annotate(recs, plan)
    rd = next(r for r in out if r["measure"] == "6.1")
    assert "设立研发预算。" in titles and "设立研发预算。" not in [a["text"] for a in rd["actions"]]
    assert rd["done_count"] == 1
    infra = next(r for r in out if r["measure"] == "6.3")
    network = next(a for a in infra["actions"] if a["text"] == "车间联网。")
    assert network["plan_status"] == "in_progress" and infra["done_count"] == 0
    pilot = next(a for a in next(r for r in out if r["measure"] == "6.2")["actions"])
    assert pilot["plan_status"] is None and pilot["key"] == "6.2|pilot"
    roadmap = annotate_roadmap(doc["roadmap"], plan)
    statuses = {
        a["text"]: a["plan_status"] for h in roadmap for st in h["steps"] for a in st["actions"]
    }
    assert statuses["设立研发预算。"] == "done" and statuses["开展试点。"] is None


def _version_two(mini: Questionnaire) -> Questionnaire:
    """mini v2: talent.training_hours renamed talent.training_days, technology.patents dropped.

    It declares `previous` as a questionnaire file does (flagship v2 maps every v1 ID).
    """
    raw = MINI.read_text(encoding="utf-8").replace("version: 1", "version: 2")
    raw = raw.replace("talent.training_hours", "talent.training_days")
    v2 = load_questionnaire_text(raw)
    declared = {q.id: q.id for q in mini.questions}
    declared.update({"talent.training_hours": "talent.training_days", "technology.patents": None})
    return replace(v2, previous_version=1, previous_questions=declared)


def load_questionnaire_text(text: str) -> Questionnaire:
    import yaml

    from readiness.domain.loading import from_mapping

    return from_mapping(yaml.safe_load(text), "mini/2.yaml")


def test_question_ids_follow_a_declared_version_mapping(mini: Questionnaire) -> None:
    v2 = _version_two(mini)
    assert v2.question("talent.training_hours") is None
    mapping = declared_mapping(v2, 1)
    assert mapping["talent.training_hours"] == ("talent.training_days",)
    assert mapping["technology.patents"] == ()  # dropped in v2
    linked = ["talent.training_hours", "technology.patents", "data.governance", "gone.question"]
    assert resolve_question_ids(linked, v2, mapping) == ("talent.training_days", "data.governance")
    # without the mapping the renamed question would be lost (and the dropped one kept)
    assert resolve_question_ids(linked, v2) == ("technology.patents", "data.governance")
    assert declared_mapping(mini) == {}
    assert declared_mapping(v2, 2) == {}  # the map is from version 1 only
