"""Scoring: hand-computed golden vectors per method, the documented example, and properties."""

from __future__ import annotations

import dataclasses
import json

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from questionnaire_builders import GATED
from questionnaire_builders import GATED_LEAD
from questionnaire_builders import MINIMUM
from questionnaire_builders import WM
from questionnaire_builders import WM_LEAD
from questionnaire_builders import doc_block
from questionnaire_builders import possible_answers
from questionnaire_builders import q
from questionnaire_builders import questionnaire
from questionnaire_builders import scored
from questionnaire_builders import worked_example

from readiness.domain.answers import DONT_KNOW
from readiness.domain.answers import NOT_APPLICABLE
from readiness.domain.answers import AnswerSet
from readiness.domain.answers import parse_answers
from readiness.domain.answers import points
from readiness.domain.loading import load_questionnaire
from readiness.domain.questionnaire import Aggregation
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.recommendations import answer_for_level
from readiness.domain.scoring import Scorecard
from readiness.domain.scoring import score
from readiness.domain.scoring import score_pillar
from tests.paths import QUESTIONNAIRES

CONFIDENCE_RANK = {"high": 2, "medium": 1, "low": 0}


def three_questions(rule: Aggregation) -> Questionnaire:
    """technology.a (w1), technology.b (w2), technology.c (w1, N/A allowed), all level questions."""
    return questionnaire(
        [
            q("technology.a", "technology", areas={"5.1": 1}),
            q("technology.b", "technology", weight=2, areas={"5.1": 1, "5.2": 2}),
            q("technology.c", "technology", areas={"5.2": 1}, not_applicable=True, dont_know=True),
        ],
        pillars=("technology",),
        pillar_rule=rule,
        area_rule=rule,
        overall_rule=rule,
    )


# (rule, answers a/b/c, pillar score, pillar level) — computed by hand, levels at 0/15/35/55/75/90
GOLDEN = [
    (WM, (5, 5, 5), 100.0, 5),
    (WM, (0, 0, 0), 0.0, 0),
    (WM, (5, 2, 0), (100 + 2 * 40 + 0) / 4, 2),  # 45 -> level 2 (>= 35)
    (WM, (3, 4, None), (60 + 2 * 80) / 3, 3),  # N/A leaves the denominator: 73.3 < 75
    (GATED, (5, 2, 0), 45.0, 0),  # level>=1 carries 3/4 = 75% < 80%
    (GATED, (5, 2, 1), 50.0, 1),  # >=1: 100%; >=2: 3/4 = 75%
    (GATED, (5, 2, 2), 55.0, 2),  # >=2: 100%; >=3: 1/4
    (GATED, (2, 4, 4), (40 + 160 + 80) / 4, 2),  # >=3: 3/4 = 75% < 80%
    (GATED, (1, 4, None), (20 + 160) / 3, 1),  # N/A: >=2 carries 2/3 < 80%
    (MINIMUM, (5, 2, 4), 40.0, 2),
    (MINIMUM, (5, 5, None), 100.0, 5),
    # "don't know" is left out of the level under every method (the score and level_low count it
    # as the lowest answer): minimum of the known 3, 5 -> 3 (level_low 0)
    (MINIMUM, (3, 5, "dont_know"), 0.0, 3),
    # weighted mean (100 + 200 + 0) / 4 = 75 (level_low 4); without the unknown 100 -> level 5
    (WM, (5, 5, "dont_know"), 75.0, 5),
    (GATED, (5, 5, "dont_know"), 75.0, 5),
]


@pytest.mark.parametrize(("rule", "values", "expected_score", "expected_level"), GOLDEN)
def test_golden_vectors(rule, values, expected_score, expected_level) -> None:
    qn = three_questions(rule)
    raw = dict(zip(("technology.a", "technology.b", "technology.c"), values, strict=True))
    card = score(qn, parse_answers(qn, raw))
    pillar = card.pillars["technology"]
    assert pillar.score == pytest.approx(expected_score)
    assert pillar.level == expected_level
    assert pillar.method == rule.method
    # one pillar of weight 1: the overall result is the pillar itself under every method
    assert card.overall.score == pytest.approx(expected_score)
    assert card.overall.level == expected_level


def test_challenge_area_weights_multiply() -> None:
    qn = three_questions(WM)
    card = score(qn, parse_answers(qn, {"technology.a": 5, "technology.b": 0, "technology.c": 5}))
    # 5.1: a (1×100) + b (2×1×0) over 3; 5.2: b (2×2×0) + c (1×100) over 5
    assert card.challenge_areas["5.1"].score == pytest.approx(100 / 3)
    assert card.challenge_areas["5.2"].score == pytest.approx(20.0)
    assert card.challenge_areas["5.2"].level == 1
    assert not card.challenge_areas["5.3"].applicable  # no question maps to it
    assert card.challenge_areas["5.3"].score is None


def test_working_adds_up_and_names_every_part() -> None:
    qn = three_questions(GATED)
    card = score(qn, parse_answers(qn, {"technology.a": 5, "technology.b": 2}))
    pillar = card.pillars["technology"]
    assert [c.part for c in pillar.working] == ["technology.a", "technology.b", "technology.c"]
    assert sum(c.contribution for c in pillar.working) == pytest.approx(pillar.score)
    assert [c.status for c in pillar.working] == ["answered", "answered", "unanswered"]
    assert "gated at 80%" in pillar.rule and "level 0" in pillar.rule
    assert card.unanswered == ("technology.c",)
    assert card.coverage == pytest.approx(2 / 3)


def test_all_not_applicable_is_not_applicable() -> None:
    qn = questionnaire(
        [
            q("technology.a", "technology"),
            q("data.x", "data", not_applicable=True, areas={"5.2": 1}),
        ]
    )
    card = score(qn, parse_answers(qn, {"technology.a": 4, "data.x": None}))
    assert card.pillars["data"].applicable is False
    assert card.pillars["data"].level is None and card.pillars["data"].confidence is None
    assert card.overall.score == pytest.approx(80.0)  # the data pillar leaves the overall mean
    assert card.challenge_areas["5.2"].applicable is False


def test_dont_know_lowers_confidence_by_the_declared_thresholds() -> None:
    qs = [q(f"technology.q{i}", "technology", dont_know=True) for i in range(10)]
    # gated: up to two unknowns of ten leave every gate met, so the level is no range and the
    # confidence follows the known share alone
    qn = questionnaire(qs, pillars=("technology",), pillar_rule=GATED, overall_rule=GATED)
    for n_dont_know, expected in [
        (0, "high"),
        (1, "high"),
        (2, "medium"),
        (3, "medium"),
        (4, "low"),
    ]:
        raw = {f"technology.q{i}": ("dont_know" if i < n_dont_know else 3) for i in range(10)}
        card = score(qn, parse_answers(qn, raw))
        assert card.confidence == expected, n_dont_know
        assert card.overall.dont_know_share == pytest.approx(n_dont_know / 10)


def test_worked_example_of_the_methodology_page() -> None:
    qn = worked_example()
    card = score(qn, parse_answers(qn, doc_block("answers")))
    expected = doc_block("expected")
    for key in ("pillars", "challenge_areas"):
        for rid, want in expected[key].items():
            got = getattr(card, key)[rid]
            assert got.level == want["level"], rid
            if want["score"] is None:
                assert got.score is None
            else:
                assert got.score == pytest.approx(want["score"], abs=5e-4), rid
            if "confidence" in want:
                assert got.confidence == want["confidence"], rid
            if "level_low" in want:
                assert got.level_low == want["level_low"], rid
            if "level_high" in want:
                assert got.level_high == want["level_high"], rid
    assert card.overall.level_low == expected["overall"]["level_low"]
    assert card.overall.score == pytest.approx(expected["overall"]["score"], abs=5e-4)
    assert card.overall.level == expected["overall"]["level"]
    assert card.overall.level_high == expected["overall"]["level_high"]
    assert card.confidence == expected["overall"]["confidence"]
    assert card.coverage == pytest.approx(expected["coverage"], abs=5e-4)
    assert list(card.unanswered) == expected["unanswered"]


def test_scorecard_round_trips_through_json() -> None:
    qn = worked_example()
    card = score(qn, parse_answers(qn, doc_block("answers")))
    stored = json.loads(json.dumps(card.to_dict()))
    assert Scorecard.from_dict(stored) == card


# --- properties -------------------------------------------------------------------------------


def all_results(card: Scorecard):
    """Every result of a scorecard with a stable key."""
    yield ("overall", card.overall)
    yield from ((f"pillar {k}", r) for k, r in card.pillars.items())
    yield from ((f"area {k}", r) for k, r in card.challenge_areas.items())


@given(scored())
def test_bounds(case) -> None:
    qn, answers = case
    card = score(qn, answers)
    for _name, result in all_results(card):
        if result.applicable:
            assert 0 <= result.score <= 100
            assert result.level in range(6)
            assert result.confidence in CONFIDENCE_RANK
        else:
            assert result.score is None and result.level is None
    for qr in card.questions.values():
        assert 0 <= qr.fraction <= 1 and qr.level in range(6)
    assert 0 <= card.coverage <= 1


@settings(max_examples=60)
@given(scored())
def test_one_pillar_scores_as_in_the_whole_scorecard(case) -> None:
    """score_pillar (what the next-level search re-scores) is score()'s pillar result."""
    qn, answers = case
    card = score(qn, answers)
    for pillar in qn.pillars:
        assert score_pillar(qn, answers, pillar.id) == card.pillars[pillar.id]


@pytest.mark.parametrize(
    "rule", [WM, GATED, MINIMUM, GATED_LEAD, WM_LEAD], ids=lambda r: f"{r.method}-{r.max_lead}"
)
@settings(max_examples=150)
@given(data=st.data())
def test_monotonic_raising_one_answer_never_lowers_anything(rule, data) -> None:
    qn, answers = data.draw(scored(st.just(rule)))
    question = data.draw(st.sampled_from(qn.questions))
    old = answers.get(question.id)
    if old is NOT_APPLICABLE:
        return  # N/A is not a "lower answer": it leaves the denominator
    better = [
        v
        for v in possible_answers(question)
        if v is not NOT_APPLICABLE
        and v is not DONT_KNOW
        and points(question, v) >= points(question, old)
    ]
    new = data.draw(st.sampled_from(better))
    before = dict(all_results(score(qn, answers)))
    after = dict(all_results(score(qn, answers.replace({question.id: new}))))
    for name, was in before.items():
        now = after[name]
        assert now.applicable == was.applicable, name
        if was.applicable:
            assert now.score >= was.score - 1e-9, (name, old, new)
            assert now.level_range[0] >= was.level_range[0], (name, old, new)
            if old is not DONT_KNOW:
                # an unknown is not the lowest answer: learning it may lower the level itself,
                # but never the score or the low end of the range, which counted it as lowest
                assert now.level >= was.level, (name, old, new)


@given(scored(), st.data())
def test_not_applicable_leaves_the_denominator(case, data) -> None:
    qn, answers = case
    na = [q.id for q in qn.questions if answers.get(q.id) is NOT_APPLICABLE]
    if not na:
        return
    drop = data.draw(st.sampled_from(na))
    without = dataclasses.replace(qn, questions=tuple(q for q in qn.questions if q.id != drop))
    smaller = AnswerSet({k: v for k, v in answers.values.items() if k != drop})
    a, b = dict(all_results(score(qn, answers))), dict(all_results(score(without, smaller)))
    for name, result in a.items():
        assert b[name].applicable == result.applicable, name
        if result.applicable:
            assert b[name].score == pytest.approx(result.score), name
            assert b[name].level == result.level, name


@given(scored())
def test_deterministic_and_independent_of_answer_order(case) -> None:
    qn, answers = case
    reversed_answers = AnswerSet(dict(reversed(list(answers.values.items()))))
    first, second, third = score(qn, answers), score(qn, answers), score(qn, reversed_answers)
    assert first == second
    assert first.to_dict() == third.to_dict()


@pytest.mark.parametrize(
    "rule", [WM, GATED, MINIMUM, GATED_LEAD, WM_LEAD], ids=lambda r: f"{r.method}-{r.max_lead}"
)
@settings(max_examples=60)
@given(data=st.data())
def test_dont_know_is_a_range_under_every_method(rule, data) -> None:
    """level_low = the level with every unknown as the lowest answer (unanswered), and the score
    counts it so; level = the level without the unknown questions - under every method."""
    qn, answers = data.draw(scored(st.just(rule)))
    unknown = {x.id for x in qn.questions if answers.get(x.id) is DONT_KNOW}
    if not unknown:
        return
    card = score(qn, answers)
    lowest = dict(
        all_results(
            score(qn, AnswerSet({k: v for k, v in answers.values.items() if k not in unknown}))
        )
    )
    without = dataclasses.replace(
        qn, questions=tuple(x for x in qn.questions if x.id not in unknown)
    )
    known = dict(
        all_results(
            score(without, AnswerSet({k: v for k, v in answers.values.items() if k not in unknown}))
        )
    )
    all_unknown = any(r.applicable and not known[name].applicable for name, r in all_results(card))
    for name, result in all_results(card):
        if not result.applicable:
            continue
        assert result.score == pytest.approx(lowest[name].score), name
        assert result.level_low == lowest[name].level, name
        if known[name].applicable and not (name == "overall" and all_unknown):
            assert result.level == known[name].level, name
        elif not known[name].applicable:
            assert result.level == result.level_low, name  # nothing known to read a level from


@given(scored(), st.data())
def test_dont_know_never_raises_confidence(case, data) -> None:
    """Replacing any answer by "don't know" never raises a confidence, nor narrows a range.

    Whatever the question held (its best or its lowest answer, or nothing), saying "don't know"
    instead may move a level either way, but the range of levels the unknowns allow only widens
    and no confidence rises. CI found both ways this used to fail: a "don't know" that moved the
    overall level down to the lowest end of its range (read as no longer resting on unknowns),
    and one that lifted a pillar above the firm's level (read as no longer deciding it).
    """
    qn, answers = case
    candidates = [
        q.id
        for q in qn.questions
        if q.dont_know and answers.get(q.id) not in (NOT_APPLICABLE, DONT_KNOW)
    ]
    if not candidates:
        return
    qid = data.draw(st.sampled_from(candidates))
    if qn.question(qid).type == "level":
        answers = answers.replace({qid: data.draw(st.sampled_from([0, 5, None]))})
    before = score(qn, answers)
    after = score(qn, answers.replace({qid: DONT_KNOW}))
    for name, was in all_results(before):
        now = dict(all_results(after))[name]
        if was.applicable:
            assert now.dont_know_share >= was.dont_know_share - 1e-12, name
            assert CONFIDENCE_RANK[now.confidence] <= CONFIDENCE_RANK[was.confidence], name
            assert now.level_range[0] <= was.level_range[0], name
            assert now.level_high >= was.level_high, name
            assert now.level_range[0] <= now.level <= now.level_high, name


def test_dont_know_moving_a_level_down_to_its_lower_end_keeps_it_uncertain() -> None:
    """CI's first counter-example, by hand. One weighted-mean pillar: a1 (w11) at level 2, a2
    (w7) at level 1, b (w1) unknown, c (w1) at level 5; bands 0/15/35/55/75/90."""
    qn = questionnaire(
        [
            q("technology.a1", "technology", weight=11),
            q("technology.a2", "technology", weight=7),
            q("technology.b", "technology", dont_know=True),
            q("technology.c", "technology", dont_know=True),
        ],
        pillars=("technology",),
    )
    answers = parse_answers(
        qn, {"technology.a1": 2, "technology.a2": 1, "technology.b": "dont_know", "technology.c": 5}
    )
    before = score(qn, answers).overall
    # known (440 + 140 + 100) / 19 = 35.8 -> 2; lowest 680 / 20 = 34 -> 1; best 780 / 20 = 39 -> 2
    assert (before.level_low, before.level, before.level_high) == (1, 2, 2)
    assert before.confidence == "medium"  # known share 0.95, but the level rests on b
    after = score(qn, answers.replace({"technology.c": DONT_KNOW})).overall
    # known 580 / 18 = 32.2 -> 1; lowest 580 / 20 = 29 -> 1; best (580 + 200) / 20 = 39 -> 2:
    # the level now sits at the lower end, yet answering b and c could still lift it to 2
    assert (after.level_low, after.level, after.level_high) == (1, 1, 2)
    assert after.confidence == "medium"  # known share 0.9; the old rule said high


def test_dont_know_lifting_a_pillar_above_the_firm_level_keeps_it_deciding() -> None:
    """CI's second counter-example, by hand. technology (pillar weight 9): t at level 2. data
    (weight 1): d1 unknown, d2 at level 0, d3 at level 5. Everything a weighted mean."""
    qn = questionnaire(
        [
            q("technology.t", "technology"),
            q("data.d1", "data", dont_know=True),
            q("data.d2", "data", dont_know=True),
            q("data.d3", "data"),
        ],
        pillars=(("technology", 9), ("data", 1)),
    )
    answers = parse_answers(
        qn, {"technology.t": 2, "data.d1": "dont_know", "data.d2": 0, "data.d3": 5}
    )
    before = score(qn, answers)
    # data: known 100 / 2 = 50 -> 2, lowest 100 / 3 -> 1, best 200 / 3 -> 3; known share 2/3: low
    assert before.pillars["data"].level_range == (1, 2)
    assert before.pillars["data"].confidence == "low"
    # firm: (9 × 40 + 50) / 10 = 41 -> 2; data (level 2) decides it, so its low confidence holds
    assert before.overall.level == 2
    assert before.confidence == "low"
    after = score(qn, answers.replace({"data.d2": DONT_KNOW}))
    # data: known 100 -> 5, above the firm's 2, but lowest 100 / 3 -> 1 and the firm's best is
    # (9 × 40 + 100) / 10 = 46 -> 2: data may still be the pillar at or below the firm's level
    assert (after.pillars["data"].level_range, after.pillars["data"].level_high) == ((1, 5), 5)
    assert (after.overall.level, after.overall.level_high) == (2, 2)
    assert after.confidence == "low"  # the old rule said high: firm known share 0.93, no range


def gate_questions(rule: Aggregation, overall: Aggregation = WM) -> Questionnaire:
    """technology.a (w1, N/A allowed): a level question, a requirement from level 1 (default);
    technology.b (w1): yes/no ("a named security owner"), a requirement from level 2;
    technology.c (w2, N/A allowed): a level question, a requirement from level 3;
    data.d: one level question. Gate 1 counts a; gate 2 a and b; gates 3-5 a, b and c.
    """
    return questionnaire(
        [
            q("technology.a", "technology", not_applicable=True),
            q("technology.b", "technology", "yes_no", gate_level=2),
            q("technology.c", "technology", weight=2, gate_level=3, not_applicable=True),
            q("data.d", "data"),
        ],
        pillar_rule=rule,
        overall_rule=overall,
    )


# (answers a/b/c, technology score, technology level) under gated 80%
GATE_GOLDEN = [
    # every requirement met: every gate 100% -> level 5
    ((5, True, 5), 100.0, 5),
    # b "no" (level 0), a level-2 requirement: gate 1 counts a alone (at 5) and is met, so
    # level 1 is reached; gate 2 counts a and b: 1/2 < 80% -> b blocks levels 2-5
    ((5, False, 5), (100 + 0 + 200) / 4, 1),
    # c at 2, a level-3 requirement: gates 1-2 (a, b) are met; gate 3 counts a, b, c: 2/4 < 80%
    ((5, True, 2), (100 + 100 + 2 * 40) / 4, 2),
    # c at 3: gate 3 is met (4/4); gate 4: a and b carry 2/4 < 80% -> level 3
    ((5, True, 3), (100 + 100 + 2 * 60) / 4, 3),
    # a at 0: gate 1 counts a alone: 0% -> level 0, though the mean is 75
    ((0, True, 5), (0 + 100 + 200) / 4, 0),
    # a not applicable: gate 1 counts no part and is passed (nothing of level 1 to miss);
    # gate 2 counts b alone, "no": 0% -> level 1
    ((None, False, 5), (0 + 200) / 3, 1),
    ((None, True, 5), 100.0, 5),
    # c not applicable: gates 3-5 count a and b, both at 5 -> level 5
    ((5, True, None), 100.0, 5),
]


@pytest.mark.parametrize(("values", "expected_score", "expected_level"), GATE_GOLDEN)
def test_gate_level_golden(values, expected_score, expected_level) -> None:
    qn = gate_questions(GATED)
    raw = dict(zip(("technology.a", "technology.b", "technology.c"), values, strict=True))
    pillar = score(qn, parse_answers(qn, raw)).pillars["technology"]
    assert pillar.score == pytest.approx(expected_score)
    assert pillar.level == expected_level
    listed = "technology.b ≥2" + (", technology.c ≥3" if values[2] is not None else ")")
    assert f"gate k counts only parts with gate level ≤ k: {listed}" in pillar.rule
    assert "technology.a ≥" not in pillar.rule  # a requirement from level 1 is not listed
    if values[0] is None:
        assert "≥1: no part, passed" in pillar.rule


def test_no_applicable_part_is_still_not_applicable() -> None:
    """A gate of no part is passed, but a result with no applicable part has no level."""
    qn = questionnaire(
        [
            q("technology.a", "technology", gate_level=3, not_applicable=True),
            q("technology.b", "technology", "yes_no", gate_level=2, not_applicable=True),
            q("data.d", "data"),
        ],
        pillar_rule=GATED,
    )
    raw = {"technology.a": None, "technology.b": None, "data.d": 4}
    card = score(qn, parse_answers(qn, raw))
    assert not card.pillars["technology"].applicable and card.pillars["technology"].level is None
    assert card.pillars["data"].level == 4


# (rule, technology answers a/b/c, data answer, overall level): pillars weigh 1 each
LEAD_GOLDEN = [
    # technology gated level 5 (see above), data at 0: gated 80% overall -> 0
    (GATED, (5, True, 5), 0, 0),
    # weighted mean (100 + 20) / 2 = 60 -> level 3; data at level 1 caps it at 1 + 1 = 2
    (Aggregation("weighted_mean", max_lead=1), (5, True, 5), 1, 2),
    (Aggregation("weighted_mean"), (5, True, 5), 1, 3),
    # gated 50%: technology alone carries every gate -> 5; data at 0 caps it at 0 + 1 = 1
    (Aggregation("gated", 0.5, max_lead=1), (5, True, 5), 0, 1),
    (Aggregation("gated", 0.5), (5, True, 5), 0, 5),
    # max_lead 0: the firm is at its weakest pillar's level
    (Aggregation("gated", 0.5, max_lead=0), (5, True, 5), 3, 3),
]


@pytest.mark.parametrize(("overall", "tech", "data", "expected_level"), LEAD_GOLDEN)
def test_max_lead_golden(overall, tech, data, expected_level) -> None:
    qn = gate_questions(GATED, overall)
    raw = dict(zip(("technology.a", "technology.b", "technology.c"), tech, strict=True))
    card = score(qn, parse_answers(qn, {**raw, "data.d": data}))
    assert card.overall.level == expected_level
    lowest = min(r.level for r in card.pillars.values())
    if overall.max_lead is not None:
        assert card.overall.level <= lowest + overall.max_lead
        assert f"+ {overall.max_lead} =" in card.overall.rule


def test_max_lead_ignores_not_applicable_parts() -> None:
    qn = questionnaire(
        [q("technology.a", "technology"), q("data.d", "data", not_applicable=True)],
        overall_rule=Aggregation("gated", 0.8, max_lead=0),
    )
    card = score(qn, parse_answers(qn, {"technology.a": 4, "data.d": None}))
    assert not card.pillars["data"].applicable
    assert card.overall.level == 4


FLAGSHIP = QUESTIONNAIRES / "smart-manufacturing-readiness" / "1.yaml"


def test_audit_case_top_answers_with_every_yes_no_as_no() -> None:
    """The audit: a lagging pillar can no longer sit under a level-5 firm."""
    qn = load_questionnaire(FLAGSHIP)
    values = {x.id: False if x.type == "yes_no" else answer_for_level(x, 5) for x in qn.questions}
    card = score(qn, AnswerSet(values))
    levels = {pid: r.level for pid, r in card.pillars.items()}
    assert card.overall.level <= min(levels.values()) + 1
    assert not (levels["data"] == 0 and card.overall.level == 5)
    assert "capped at the lowest part level" in card.overall.rule
    # by hand, data (weight 13): master data (from level 2), classification (from 3) and
    # AI-ready (from 4) "no": gate 2 counts 11 -> 10/11, gate 3: 10/12 = 83%, gate 4: 10/13 =
    # 77% < 80% -> level 3, not 0; the firm is capped at 3 + 1 = 4
    assert levels["data"] == 3 and card.pillars["data"].score == pytest.approx(1000 / 13)
    assert card.overall.level == 4
    # with every yes/no answered "yes" (the good answer) the firm is at the top again
    good = {x.id: answer_for_level(x, 5) for x in qn.questions}
    top = score(qn, AnswerSet(good))
    assert top.overall.level == 5 and all(r.level == 5 for r in top.pillars.values())
    # the flagship declares gate levels on yes/no questions and the overall cap
    assert qn.question("infrastructure.security_owner").gate_level == 2
    assert qn.scoring.overall.max_lead == 1
