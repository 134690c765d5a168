"""Answers: parsing the JSON shape, one-line errors naming the question, and the round trip."""

from __future__ import annotations

import json
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st
from questionnaire_builders import choice
from questionnaire_builders import multi_question
from questionnaire_builders import number_question
from questionnaire_builders import q
from questionnaire_builders import questionnaire
from questionnaire_builders import t

from readiness.domain.answer_files import parse_answer_file
from readiness.domain.answers import DONT_KNOW
from readiness.domain.answers import NOT_APPLICABLE
from readiness.domain.answers import AnswerError
from readiness.domain.answers import AnswerSet
from readiness.domain.answers import answers_to_json
from readiness.domain.answers import fraction
from readiness.domain.answers import parse_answers
from readiness.domain.answers import parse_profile
from readiness.domain.answers import question_level
from readiness.domain.questionnaire import Option

QUESTIONNAIRE = questionnaire(
    [
        q("technology.level", "technology", not_applicable=True, dont_know=True),
        choice("technology.choice", "technology", [0, 1, 3], max_score=3),
        multi_question("data.multi", "data"),
        number_question("data.number", "data", dont_know=True),
        q("data.yes", "data", "yes_no"),
        q("data.no", "data", "yes_no", yes_scores=False),
    ]
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"technology.level": 3}, {"technology.level": 3}),
        ({"technology.level": None}, {"technology.level": NOT_APPLICABLE}),
        ({"technology.level": "dont_know"}, {"technology.level": DONT_KNOW}),
        ({"technology.choice": "o2"}, {"technology.choice": "o2"}),
        ({"data.multi": ["c", "a"]}, {"data.multi": ("a", "c")}),
        ({"data.multi": []}, {"data.multi": ()}),
        ({"data.number": 42.5}, {"data.number": 42.5}),
        ({"data.number": 0}, {"data.number": 0}),
        ({"data.number": "dont_know"}, {"data.number": DONT_KNOW}),
        ({"data.yes": False}, {"data.yes": False}),
    ],
)
def test_parse_valid_answers(raw: dict, expected: dict) -> None:
    assert dict(parse_answers(QUESTIONNAIRE, raw).values) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"technology.nope": 1}, "question technology.nope: unknown question"),
        ({"technology.level": 6}, "question technology.level: level must be between 0 and 5"),
        ({"technology.level": -1}, "question technology.level: level must be between 0 and 5"),
        ({"technology.level": 2.5}, "question technology.level: expected a level 0-5"),
        ({"technology.level": True}, "question technology.level: expected a level 0-5"),
        ({"technology.level": "3"}, "question technology.level: expected a level 0-5"),
        ({"technology.choice": "o9"}, "question technology.choice: unknown option 'o9'"),
        ({"technology.choice": 1}, "question technology.choice: expected an option ID"),
        ({"technology.choice": None}, "question technology.choice: 'not applicable'"),
        ({"technology.choice": "dont_know"}, "question technology.choice: 'dont_know' is not"),
        ({"data.multi": "a"}, "question data.multi: expected a list of option IDs"),
        ({"data.multi": ["a", "z"]}, "question data.multi: unknown option 'z'"),
        ({"data.multi": ["a", "a"]}, "question data.multi: option 'a' is chosen twice"),
        ({"data.multi": [1]}, "question data.multi: expected option IDs"),
        ({"data.number": 101}, "question data.number: 101 is out of range"),
        ({"data.number": -0.5}, "question data.number: -0.5 is out of range"),
        ({"data.number": True}, "question data.number: expected a number, got true/false"),
        ({"data.number": "12"}, "question data.number: expected a number, got text"),
        ({"data.number": float("nan")}, "question data.number: expected a finite number"),
        ({"data.yes": 1}, "question data.yes: expected true or false, got a number"),
        ({"data.yes": "yes"}, "question data.yes: expected true or false, got text"),
        ({"data.yes": {"value": True, "x": 1}}, "question data.yes: an object answer has"),
        ({"data.yes": {}}, "question data.yes: an object answer has"),
        ({"data.yes": {"value": True, "comment": 3}}, "question data.yes: comment must be text"),
    ],
)
def test_bad_answers_give_one_line_naming_the_question(raw: dict, message: str) -> None:
    with pytest.raises(AnswerError) as info:
        parse_answers(QUESTIONNAIRE, raw)
    text = str(info.value)
    assert text.startswith(message)
    assert "\n" not in text
    assert info.value.question_id == next(iter(raw))


def test_comments_are_kept_and_written_back() -> None:
    raw = {"data.yes": {"value": True, "comment": "ISO 8000 audit 2024"}, "data.no": False}
    answers = parse_answers(QUESTIONNAIRE, raw)
    assert answers.get("data.yes") is True
    assert answers.comments == {"data.yes": "ISO 8000 audit 2024"}
    assert answers_to_json(answers) == raw


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "the answers file is not valid JSON"),
        ("[1, 2]", "the answers file must hold a JSON object, got a list"),
        ('{"profile": {}}', 'the answers file has no "answers" object'),
        ('{"answers": [1]}', '"answers" must be an object, got a list'),
        ('{"answers": {}, "profile": 3}', '"profile" must be an object, got a number'),
    ],
)
def test_bad_answer_files(text: str, message: str) -> None:
    with pytest.raises(AnswerError, match="^" + message.replace("(", r"\(")):
        parse_answer_file(text)


def test_answer_file_parts() -> None:
    answers, profile = parse_answer_file(
        '{"answers": {"data.yes": true}, "profile": {"sector": "process"}}'
    )
    assert answers == {"data.yes": True}
    assert profile == {"sector": "process"}
    assert parse_answer_file('{"answers": {}}') == ({}, {})


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"colour": "red"}, "profile field colour: unknown field"),
        ({"sector": "farming"}, "profile field sector: unknown option 'farming'"),
    ],
)
def test_bad_profiles(raw: dict, message: str) -> None:
    with pytest.raises(AnswerError, match=message):
        parse_profile(QUESTIONNAIRE, raw)
    assert parse_profile(QUESTIONNAIRE, {"sector": "process"}) == {"sector": "process"}


@pytest.mark.parametrize(
    ("qid", "value", "expected_fraction", "expected_level"),
    [
        ("technology.level", 3, 0.6, 3),
        ("technology.level", 5, 1.0, 5),
        ("technology.level", DONT_KNOW, 0.0, 0),
        ("technology.choice", "o1", 1 / 3, 1),
        ("technology.choice", "o2", 1.0, 5),
        ("data.multi", ("a", "b", "c"), 1.0, 5),  # 5 points capped at max_score 4
        ("data.multi", ("a", "c"), 0.75, 3),
        ("data.number", 9.99, 0.0, 0),
        ("data.number", 10, 0.25, 1),
        ("data.number", 79, 0.75, 3),
        ("data.number", 100, 1.0, 5),
        ("data.yes", True, 1.0, 5),
        ("data.no", True, 0.0, 0),
        ("data.no", False, 1.0, 5),
        ("data.yes", None, 0.0, 0),
    ],
)
def test_points_fraction_and_level(qid, value, expected_fraction, expected_level) -> None:
    question = QUESTIONNAIRE.question(qid)
    assert fraction(question, value) == pytest.approx(expected_fraction)
    assert question_level(question, value) == expected_level


def test_sentinels_survive_pickling() -> None:
    assert pickle.loads(pickle.dumps(NOT_APPLICABLE)) is NOT_APPLICABLE
    assert pickle.loads(pickle.dumps(DONT_KNOW)) is DONT_KNOW


RAW_VALUES = {
    "technology.level": st.sampled_from([0, 1, 2, 3, 4, 5, None, "dont_know"]),
    "technology.choice": st.sampled_from(["o0", "o1", "o2"]),
    "data.multi": st.lists(st.sampled_from(["a", "b", "c"]), unique=True),
    "data.number": st.one_of(
        st.integers(0, 100), st.floats(0, 100, allow_nan=False), st.just("dont_know")
    ),
    "data.yes": st.booleans(),
}


@given(
    st.fixed_dictionaries({}, optional=RAW_VALUES),
    st.dictionaries(st.sampled_from(list(RAW_VALUES)), st.text(max_size=20)),
)
def test_round_trip(raw: dict, comments: dict) -> None:
    answers = parse_answers(QUESTIONNAIRE, raw, comments)
    written = json.loads(json.dumps(answers_to_json(answers)))
    assert parse_answers(QUESTIONNAIRE, written) == answers
    assert isinstance(answers, AnswerSet)


def test_an_exclusive_option_is_chosen_alone() -> None:
    options = (
        Option("erp", t("ERP"), 1),
        Option("mes", t("MES"), 1),
        Option("none", t("None of these"), 0, exclusive=True),
    )
    qn = questionnaire(
        [q("technology.systems", "technology", "multiple_choice", options=options, max_score=2)]
    )
    assert parse_answers(qn, {"technology.systems": ["none"]}).get("technology.systems") == (
        "none",
    )
    assert parse_answers(qn, {"technology.systems": ["mes", "erp"]}).get("technology.systems") == (
        "erp",
        "mes",
    )
    with pytest.raises(AnswerError) as info:
        parse_answers(qn, {"technology.systems": ["erp", "none"]})
    message = str(info.value)
    assert "technology.systems" in message and "'none'" in message and "\n" not in message
