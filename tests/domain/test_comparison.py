"""Comparison: golden vectors on the worked example, version changes, series, and properties."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from questionnaire_builders import doc_block
from questionnaire_builders import number_question
from questionnaire_builders import q
from questionnaire_builders import questionnaire
from questionnaire_builders import worked_example

from readiness.domain.answers import DONT_KNOW
from readiness.domain.answers import NOT_APPLICABLE
from readiness.domain.answers import AnswerSet
from readiness.domain.answers import parse_answers
from readiness.domain.comparison import ADDED
from readiness.domain.comparison import ADDRESSED
from readiness.domain.comparison import CHANGED
from readiness.domain.comparison import IMPROVED
from readiness.domain.comparison import NOT_APPLICABLE as TREND_NA
from readiness.domain.comparison import REGRESSED
from readiness.domain.comparison import REMAINING
from readiness.domain.comparison import REMOVED
from readiness.domain.comparison import SAME
from readiness.domain.comparison import UNCHANGED
from readiness.domain.comparison import classify
from readiness.domain.comparison import compare
from readiness.domain.questionnaire import Aggregation
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.scoring import score
from readiness.domain.series import SeriesPoint
from readiness.domain.series import compare_series

BEFORE = doc_block("answers")
AFTER = {**BEFORE, "technology.automation": "full", "technology.cloud": True, "data.sensors": 50}


def run(qa: Questionnaire, raw_a: dict, qb: Questionnaire, raw_b: dict, **kw):
    """Parse, score and compare two raw answer mappings."""
    aa, ab = parse_answers(qa, raw_a), parse_answers(qb, raw_b)
    return compare(qa, score(qa, aa), aa, qb, score(qb, ab), ab, **kw)


# (before, after, level before, level after, expected) — the level decides, then |Δ| ≥ 2.5
CLASSIFY = [
    (50.0, 50.0, 2, 2, UNCHANGED),
    (50.0, 52.4, 2, 2, UNCHANGED),
    (50.0, 52.5, 2, 2, IMPROVED),
    (50.0, 47.5, 2, 2, REGRESSED),
    (50.0, 47.6, 2, 2, UNCHANGED),
    (54.0, 55.0, 2, 3, IMPROVED),  # +1 point, but a level up
    (55.0, 54.9, 3, 2, REGRESSED),
    (60.0, 58.0, 2, 3, IMPROVED),  # gated: the level can rise while the mean falls
    (None, 40.0, None, 2, TREND_NA),
    (40.0, None, 2, None, TREND_NA),
]


@pytest.mark.parametrize(("before", "after", "lb", "la", "expected"), CLASSIFY)
def test_classify(before, after, lb, la, expected) -> None:
    assert classify(before, after, lb, la) == expected


def test_golden_worked_example_improves() -> None:
    qn = worked_example()
    result = run(qn, BEFORE, qn, AFTER)
    # by hand: technology (2×60 + 100 + 0.5×100) / 3.5 = 77.14, gated level 3 (≥4 carries 43 %)
    pillars = {d.id: d for d in result.pillars}
    tech, data = pillars["technology"], pillars["data"]
    assert (tech.before, tech.after) == (
        pytest.approx(48.571, abs=1e-3),
        pytest.approx(77.143, abs=1e-3),
    )
    assert tech.change == pytest.approx(28.571, abs=1e-3)
    assert (tech.level_before, tech.level_after, tech.level_change, tech.trend) == (
        2,
        3,
        1,
        IMPROVED,
    )
    # data: governance 100, sensors 50 → band 2 of 3 = 66.67 (level 3); patents N/A → 83.33, level 3
    assert data.after == pytest.approx(83.333, abs=1e-3)
    # before, sensors was "don't know": level 5 from the one known answer, range 0-5; the
    # ranges overlap, so the score (50 -> 83.3), not the level, decides the trend
    assert (data.level_before, data.level_after, data.trend) == (5, 3, IMPROVED)
    # overall (2×77.143 + 83.333) / 3 = 79.21 → level 4; before, 49.05 (range 2-3: level 3 on the
    # known answers, where data scores 100 without the unknown sensors)
    assert result.overall.after == pytest.approx(79.206, abs=1e-3)
    assert (result.overall.level_before, result.overall.level_after) == (3, 4)
    areas = {d.id: d for d in result.challenge_areas}
    assert (areas["5.1"].change, areas["5.1"].trend) == (0.0, UNCHANGED)
    assert (areas["5.2"].after, areas["5.2"].level_after) == (pytest.approx(100.0), 5)
    assert areas["5.4"].trend == TREND_NA and areas["5.4"].change is None
    assert all(d.comparable and d.note == "" for d in (*result.pillars, *result.challenge_areas))
    changes = {c.id: c.change for c in result.questions}
    assert changes == {
        "technology.rd_spend": SAME,
        "technology.automation": CHANGED,
        "technology.cloud": CHANGED,
        "data.governance": SAME,
        "data.sensors": CHANGED,
        "data.patents": SAME,
    }
    sensors = next(c for c in result.questions if c.id == "data.sensors")
    assert (sensors.before, sensors.after) == ("dont_know", 50)
    assert (sensors.status_before, sensors.status_after) == ("dont_know", "answered")
    # measures recommended before: 6.2 (5.2, level 2), 6.1 (5.1, level 3); 5.3 read level 5 on
    # its one known answer (range 2-5), so 6.3 was not recommended
    assert [(m.measure, m.status) for m in result.measures] == [
        ("6.2", ADDRESSED),
        ("6.1", REMAINING),
    ]
    assert [m.measure for m in result.remaining] == ["6.1"]


def test_target_level_counts_as_addressed_without_a_level_rise() -> None:
    qn = worked_example()
    result = run(qn, BEFORE, qn, BEFORE, target_level=3)
    # 5.1 is at level 3 already and 5.3 at 5 (on its known answer): nothing recommended; 5.2
    # stays at 2: remaining
    assert [(m.measure, m.status) for m in result.measures] == [("6.2", REMAINING)]


def test_comments_are_carried_per_question() -> None:
    qn = worked_example()
    with_note = {**AFTER, "technology.rd_spend": {"value": 3, "comment": "budget line 2025"}}
    result = run(qn, BEFORE, qn, with_note)
    rd = next(c for c in result.questions if c.id == "technology.rd_spend")
    assert (rd.comment_before, rd.comment_after, rd.change) == ("", "budget line 2025", SAME)


def version_two() -> Questionnaire:
    """The worked example with data.sensors replaced by a new question (new meaning, new ID)."""
    v1 = worked_example()
    sensors_pct = number_question("data.sensor_share", "data", areas={"5.3": 1})
    questions = tuple(x for x in v1.questions if x.id != "data.sensors") + (sensors_pct,)
    return dataclasses.replace(v1, version=2, questions=questions)


def test_versions_differ_added_removed_and_not_comparable() -> None:
    v1, v2 = worked_example(), version_two()
    after = {k: v for k, v in BEFORE.items() if k != "data.sensors"} | {"data.sensor_share": 60}
    result = run(v1, BEFORE, v2, after)
    assert result.added == ("data.sensor_share",)
    assert result.removed == ("data.sensors",)
    pillars = {d.id: d for d in result.pillars}
    areas = {d.id: d for d in result.challenge_areas}
    assert pillars["technology"].comparable and areas["5.1"].comparable and areas["5.2"].comparable
    assert not pillars["data"].comparable
    assert "added data.sensor_share" in pillars["data"].note
    assert "removed data.sensors" in pillars["data"].note
    assert not areas["5.3"].comparable and not result.overall.comparable
    assert result.overall.note.startswith("Not strictly comparable")
    removed = next(c for c in result.questions if c.id == "data.sensors")
    assert (removed.change, removed.before, removed.after) == (REMOVED, "dont_know", None)
    assert removed.status_after is None
    added = next(c for c in result.questions if c.change == ADDED)
    assert (added.status_before, added.after) == (None, 60)
    assert result.questionnaire_before == "test@1" and result.questionnaire_after == "test@2"


def test_different_scoring_rules_make_everything_not_comparable() -> None:
    v1 = worked_example()
    v2 = dataclasses.replace(
        v1, version=2, scoring=dataclasses.replace(v1.scoring, overall=Aggregation("minimum"))
    )
    result = run(v1, BEFORE, v2, BEFORE)
    assert not any(d.comparable for d in (result.overall, *result.pillars, *result.challenge_areas))


def test_to_dict_rounds_and_lists_measures() -> None:
    qn = worked_example()
    data = run(qn, BEFORE, qn, AFTER).to_dict()
    assert data["overall"]["before"] == 49.0 and data["overall"]["after"] == 79.2
    assert data["pillars"]["technology"]["change"] == 28.6
    assert [m["measure"] for m in data["measures"]["addressed"]] == ["6.2"]
    assert data["thresholds"]["score"] == 2.5


def test_series_table_over_time() -> None:
    qn = worked_example()
    middle = {**BEFORE, "technology.automation": "full"}
    points = [
        SeriesPoint(label, qn, score(qn, parse_answers(qn, raw)))
        for label, raw in (("2024-01", BEFORE), ("2024-07", middle), ("2025-01", AFTER))
    ]
    series = compare_series(points)
    assert series.labels == ("2024-01", "2024-07", "2025-01")
    tech = series.row("pillar", "technology")
    # middle: (2×60 + 100 + 0) / 3.5 = 62.86, level 3 (auto full: ≥3 carries 3/3.5 = 86 %)
    assert tech.scores == pytest.approx((48.571, 62.857, 77.143), abs=1e-3)
    assert tech.levels == (2, 3, 3)
    assert tech.steps[0] is None
    assert [s.trend for s in tech.steps[1:]] == [IMPROVED, IMPROVED]
    assert tech.net.change == pytest.approx(28.571, abs=1e-3)
    assert series.row("challenge_area", "5.1").net.trend == UNCHANGED
    assert [r.id for r in series.rows][:3] == ["overall", "technology", "data"]
    assert series.to_dict()["rows"][0]["trends"] == [None, IMPROVED, IMPROVED]
    with pytest.raises(ValueError):
        compare_series(points[:1])


# --- properties -------------------------------------------------------------------------------


def property_questionnaire() -> Questionnaire:
    """Four level questions over two pillars, N/A and don't know allowed, areas overlapping."""
    return questionnaire(
        [
            q("technology.a", "technology", areas={"5.1": 1}, not_applicable=True, dont_know=True),
            q("technology.b", "technology", weight=2, areas={"5.1": 1, "5.2": 2}),
            q("data.c", "data", areas={"5.3": 1}, not_applicable=True),
            q("data.d", "data", weight=0.5, areas={"5.4": 1, "5.2": 0.5}, dont_know=True),
        ],
        pillar_rule=Aggregation("gated", 0.8),
    )


QN = property_questionnaire()


@st.composite
def answer_sets(draw) -> AnswerSet:
    """Random answers to QN, some left out."""
    values = {}
    for question in QN.questions:
        choices = [None, *range(6)]
        if question.not_applicable:
            choices.append(NOT_APPLICABLE)
        if question.dont_know:
            choices.append(DONT_KNOW)
        value = draw(st.sampled_from(choices))
        if value is not None:
            values[question.id] = value
    return AnswerSet(values)


def all_deltas(comparison):
    yield comparison.overall
    yield from comparison.pillars
    yield from comparison.challenge_areas


@given(answer_sets())
def test_compared_with_itself_nothing_changes(answers) -> None:
    card = score(QN, answers)
    result = compare(QN, card, answers, QN, card, answers)
    for d in all_deltas(result):
        assert d.comparable
        if d.before is None:
            assert d.trend == TREND_NA and d.change is None
        else:
            assert d.change == 0 and d.level_change == 0 and d.trend == UNCHANGED
    assert all(c.change == SAME for c in result.questions)
    assert not result.added and not result.removed
    assert not result.addressed  # nothing rose, and every recommended area is below the target


FLIP = {IMPROVED: REGRESSED, REGRESSED: IMPROVED, UNCHANGED: UNCHANGED, TREND_NA: TREND_NA}


@settings(max_examples=150)
@given(answer_sets(), answer_sets(), st.booleans())
def test_swapping_flips_every_sign(answers_a, answers_b, other_version) -> None:
    qa = QN
    qb = version_of(QN) if other_version else QN
    answers_b = AnswerSet({k: v for k, v in answers_b.values.items() if qb.question(k)})
    ca, cb = score(qa, answers_a), score(qb, answers_b)
    forward = compare(qa, ca, answers_a, qb, cb, answers_b)
    backward = compare(qb, cb, answers_b, qa, ca, answers_a)
    back = {(d.kind, d.id): d for d in all_deltas(backward)}
    for d in all_deltas(forward):
        e = back[(d.kind, d.id)]
        assert (e.before, e.after) == (d.after, d.before)
        assert e.change == (None if d.change is None else -d.change)
        assert e.level_change == (None if d.level_change is None else -d.level_change)
        assert e.trend == FLIP[d.trend]
        assert e.comparable == d.comparable
    assert set(forward.added) == set(backward.removed)
    assert set(forward.removed) == set(backward.added)
    questions = {c.id: c for c in backward.questions}
    for c in forward.questions:
        other = questions[c.id]
        assert (other.before, other.after) == (c.after, c.before)
        assert (other.status_before, other.status_after) == (c.status_after, c.status_before)


def version_of(qn: Questionnaire) -> Questionnaire:
    """Version 2 of `qn`: data.c removed, data.e added."""
    questions = tuple(x for x in qn.questions if x.id != "data.c")
    questions += (q("data.e", "data", areas={"5.3": 1}),)
    return dataclasses.replace(qn, version=2, questions=questions)
