"""The flagship's version 2: roadmap rules, N/A reasons, declared levels and the v1 map."""

from __future__ import annotations

import json

import pytest
import yaml

from readiness.domain.answers import DONT_KNOW
from readiness.domain.answers import AnswerError
from readiness.domain.answers import parse_answers
from readiness.domain.answers import question_level
from readiness.domain.comparison import compare
from readiness.domain.loading import from_mapping
from readiness.domain.loading import load_questionnaire
from readiness.domain.problems import QuestionnaireError
from readiness.domain.recommendations import recommend
from readiness.domain.roadmap import BACKLOG
from readiness.domain.roadmap import HORIZONS
from readiness.domain.scoring import score
from readiness.domain.validation import validate
from tests.paths import QUESTIONNAIRES
from tests.paths import ROOT

V1 = load_questionnaire(QUESTIONNAIRES / "smart-manufacturing-readiness" / "1.yaml")
V2 = load_questionnaire(QUESTIONNAIRES / "smart-manufacturing-readiness" / "2.yaml")
CASES = ROOT / "tests" / "expert_cases"


def _case(name: str):
    data = json.loads((CASES / f"{name}.json").read_text(encoding="utf-8"))
    return data, parse_answers(V2, data["answers"])


def _planned(plan):
    return {a.id: index for index, h in enumerate(plan.roadmap) for s in h.steps for a in s.actions}


def test_every_action_has_owner_effort_cost_and_indicator() -> None:
    for measure in V2.measures:
        for action in measure.actions:
            assert action.owner and action.effort and action.cost, action.id
            assert set(action.indicator.values) == {"en", "zh"}, action.id


@pytest.mark.parametrize("path", sorted(CASES.glob("*.json")), ids=lambda p: p.stem)
def test_roadmap_is_capped_ordered_and_skips_what_is_done(path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    answers = parse_answers(V2, data["answers"])
    scorecard = score(V2, answers)
    plan = recommend(V2, scorecard, data["profile"])
    limits = [limit for *_, limit in HORIZONS]
    assert [h.id for h in plan.roadmap][-1] == BACKLOG
    for horizon, limit in zip(plan.roadmap, limits, strict=False):
        assert sum(len(s.actions) for s in horizon.steps) <= limit
    where = _planned(plan)
    actions = {a.id: a for m in V2.measures for a in m.actions}
    for action_id, index in where.items():
        action = actions[action_id]
        assert action.applies_to(data["profile"]), action_id
        for required in action.requires:
            if required in where:  # planned prerequisites come in an earlier horizon
                assert where[required] < index or index == len(HORIZONS), (required, action_id)
    assert len(where) == len(set(where))  # no action twice


def test_the_metal_parts_firm_gets_no_advice_it_has_already_followed() -> None:
    data, answers = _case("04_metal_parts_60")
    plan = recommend(V2, score(V2, answers), data["profile"])
    where = _planned(plan)
    # it tests its backups and uses the R&D deduction: neither is offered again
    assert "backups" not in where and "rd-project-files" not in where
    # the shop-floor network comes before barcode scanning and the MES
    assert where["workshop-network"] < where["barcode-wip"]
    assert where["workshop-network"] < where["mes-bottleneck"]
    # the capping pillar's cheapest lift starts now, and an industry action is offered
    assert plan.recommendations[0].measure == "6.3"
    first = [a.id for s in plan.roadmap[0].steps for a in s.actions]
    assert "workshop-network" in first
    assert "metals-tool-life" in where
    # a firm with patents is not sent on a patent walk-through
    patents = answers.replace({"technology.patents": "product_inventions"})
    assert "ip-walkthrough" not in _planned(recommend(V2, score(V2, patents), data["profile"]))


def test_a_pilot_comes_before_its_roll_out() -> None:
    data, answers = _case("05_electronics_ems_integrated")
    plain = answers.replace({"technology.ai_use_cases": ("none",), "technology.ai_depth": 2})
    where = _planned(recommend(V2, score(V2, plain), data["profile"]))
    if "scale-ai" in where:
        assert where["vision-pilot"] < where["scale-ai"]


def test_patents_none_or_not_applicable_no_longer_moves_a_level_one_firm() -> None:
    _data, answers = _case("04_metal_parts_60")
    comments = {**answers.comments, "technology.patents": "we make to customers' drawings"}
    levels = set()
    for value in ("none", None):
        raw = dict(_data["answers"])
        raw["technology.patents"] = {"value": value, "comment": comments["technology.patents"]}
        changed = score(V2, parse_answers(V2, raw))
        levels.add((changed.pillars["technology"].level, changed.overall.level))
    assert len(levels) == 1


def test_two_unknowns_on_a_top_pillar_do_not_veto_its_level() -> None:
    data, answers = _case("11_medical_devices_optimised")
    before = score(V2, answers)
    unknown = answers.replace(
        {
            "infrastructure.equipment_connected": DONT_KNOW,
            "infrastructure.digital_investment": DONT_KNOW,
        }
    )
    after = score(V2, unknown)
    assert after.pillars["infrastructure"].level == before.pillars["infrastructure"].level
    assert after.overall.level == before.overall.level
    assert after.pillars["infrastructure"].confidence != "high"


def test_not_applicable_needs_a_comment() -> None:
    with pytest.raises(AnswerError, match="needs a comment"):
        parse_answers(V2, {"technology.patents": None})
    assert parse_answers(V2, {"technology.patents": {"value": None, "comment": "contract work"}})
    assert parse_answers(V1, {"technology.patents": None})  # version 1 did not ask for one


def test_declared_levels_mean_what_the_scale_says() -> None:
    ai = V2.question("technology.ai_use_cases")
    assert question_level(ai, ("machine_vision",)) == 4  # one AI application in routine use
    assert question_level(V1.question("technology.ai_use_cases"), ("machine_vision",)) == 1
    assert question_level(ai, tuple(o.id for o in ai.options if not o.exclusive)) == 5


def test_v1_maps_to_v2_question_by_question() -> None:
    assert set(V2.previous_questions) == {q.id for q in V1.questions}
    assert all(new is None or V2.question(new) for new in V2.previous_questions.values())
    data, answers = _case("04_metal_parts_60")
    v1_raw = {k: v for k, v in data["answers"].items() if V1.question(k)}
    v1_raw["infrastructure.security_incident"] = False
    v1_raw["talent.recruitment"] = "long_delay"
    a1 = parse_answers(V1, v1_raw)
    result = compare(V1, score(V1, a1), a1, V2, score(V2, answers), answers)
    rows = {c.id: c for c in result.questions}
    assert "infrastructure.security_incident" not in rows
    assert "talent.recruitment" not in rows
    # outcomes rephrased as capabilities: both answers shown, the change is "changed meaning"
    detection = rows["infrastructure.security_detection"]
    assert (detection.change, detection.before, detection.after) == (
        "redefined",
        False,
        "by_chance",
    )
    recruiting = rows["talent.recruiting"]
    assert (recruiting.change, recruiting.before) == ("redefined", "long_delay")
    assert recruiting.after == 1
    assert V2.previous_changed == {"infrastructure.security_incident", "talent.recruitment"}
    assert not next(d for d in result.pillars if d.id == "talent").comparable
    assert rows["technology.rd_spend"].change == "same"
    assert {c.id for c in result.questions if c.change == "added"} == {
        q.id for q in V2.questions if q.pillar == "operations"
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda raw: raw["measures"][0]["actions"][0].update(requires=["nope"]), "unknown action"),
        (
            lambda raw: (
                raw["measures"][0]["actions"][0].update(
                    requires=[raw["measures"][0]["actions"][1]["id"]]
                )
                or raw["measures"][0]["actions"][1].update(
                    requires=[raw["measures"][0]["actions"][0]["id"]]
                )
            ),
            "circle",
        ),
        (
            lambda raw: raw["challenge_areas"][0].update(pillars=["nope"]),
            "unknown pillar",
        ),
        (
            lambda raw: raw["measures"][0]["actions"][0].update(
                done_when={"nope.q": {"min_level": 1}}
            ),
            "unknown question",
        ),
        (
            lambda raw: raw["previous"]["changed_meaning"].append("nope.q"),
            "not mapped to a question of this version",
        ),
    ],
)
def test_the_validator_checks_the_additions(change, message) -> None:
    raw = yaml.safe_load(
        (QUESTIONNAIRES / "smart-manufacturing-readiness" / "2.yaml").read_text(encoding="utf-8")
    )
    change(raw)
    problems = validate(raw, "2.yaml")
    assert any(message in str(p) for p in problems), problems
    with pytest.raises(QuestionnaireError):
        from_mapping(raw)


def test_a_level_one_firm_is_not_asked_for_machine_vision_or_patents() -> None:
    data, answers = _case("04_metal_parts_60")
    plan = recommend(V2, score(V2, answers), data["profile"])
    asked = {c.question_id for lift in plan.next_level.values() for c in lift.changes}
    asked |= {c.question_id for c in plan.overall_next.changes}
    assert not asked & {"technology.ai_use_cases", "technology.patents", "technology.new_models"}


# --- every action says when it is done --------------------------------------------------------

ALWAYS_RELEVANT_AT_MOST = 8  # a justified exception, not a way around done_when


def test_every_action_declares_when_it_is_done() -> None:
    lacking = [
        a.id for m in V2.measures for a in m.actions if not a.done_when and not a.always_relevant
    ]
    assert lacking == []
    exceptions = [a for m in V2.measures for a in m.actions if a.always_relevant]
    assert len(exceptions) <= ALWAYS_RELEVANT_AT_MOST
    assert all(len(a.always_relevant) >= 20 for a in exceptions)


def _answer_meeting(question, condition):
    """An answer to `question` that meets one done_when condition (its best answer if needed)."""
    if condition.equals is not None:
        return condition.equals
    if condition.options:
        chosen = condition.options[0]
        return [chosen] if question.type == "multiple_choice" else chosen
    if question.type == "level":
        return condition.min_level
    if question.type == "number":
        levels = [(question_level(question, b.min), b.min) for b in question.bands]
        return next(value for level, value in levels if level >= condition.min_level)
    if question.type == "multiple_choice":
        chosen: list[str] = []
        for option in (o for o in question.options if not o.exclusive):
            chosen.append(option.id)
            if question_level(question, tuple(chosen)) >= condition.min_level:
                return chosen
    raise AssertionError(f"{question.id}: no answer meets {condition}")


@pytest.mark.parametrize("measure", [m.id for m in V2.measures])
def test_an_action_the_answers_show_done_is_not_offered(measure) -> None:
    """For each action: an answer set meeting its done_when makes is_done true, one below not."""
    from readiness.domain.roadmap import is_done

    nothing = score(V2, parse_answers(V2, {}))
    for action in next(m for m in V2.measures if m.id == measure).actions:
        if not action.done_when:
            continue
        assert not is_done(action, nothing), action.id
        qid, condition = next(iter(action.done_when.items()))
        answer = _answer_meeting(V2.question(qid), condition)
        met = score(V2, parse_answers(V2, {qid: answer}))
        assert is_done(action, met), (action.id, qid, answer)
