"""What happened to each recommended measure: reached the target, progressed, … fell back."""

from __future__ import annotations

import pytest
from questionnaire_builders import worked_example

from readiness.domain.comparison import FELL_BACK
from readiness.domain.comparison import NO_CHANGE
from readiness.domain.comparison import NOT_ASSESSED
from readiness.domain.comparison import PROGRESSED
from readiness.domain.comparison import REACHED_TARGET
from readiness.domain.comparison import _outcome
from tests.domain.test_comparison import AFTER
from tests.domain.test_comparison import BEFORE
from tests.domain.test_comparison import run


@pytest.mark.parametrize(
    ("before", "after", "target", "expected"),
    [
        (1, 2, 5, PROGRESSED),
        (1, 5, 5, REACHED_TARGET),
        (2, 3, 3, REACHED_TARGET),
        (3, 3, 3, REACHED_TARGET),  # at the target already: nothing is left to do
        (2, 2, 5, NO_CHANGE),
        (3, 1, 5, FELL_BACK),
        (2, None, 5, NOT_ASSESSED),
    ],
)
def test_outcome(before, after, target, expected) -> None:
    assert _outcome(before, after, target) == expected


# BEFORE with sensors answered "none" instead of "don't know": 5.3 at level 2, no range
LOW = {**BEFORE, "data.sensors": 0}


def test_a_measure_that_progressed_is_not_called_done_while_still_recommended() -> None:
    qn = worked_example()
    result = run(qn, LOW, qn, AFTER)
    outcomes = [(m.measure, m.outcome, m.priority_after) for m in result.measures]
    # data (sensors at 0: level 0) capped the firm, so 6.3 came first; 5.3 rose 2 → 4 and is
    # still recommended (2nd); 5.2 reached level 5; 5.1 stayed at 3 (now 1st)
    assert outcomes == [
        ("6.3", PROGRESSED, 2),
        ("6.2", REACHED_TARGET, None),
        ("6.1", NO_CHANGE, 1),
    ]


def test_falling_back_is_said_in_words() -> None:
    qn = worked_example()
    result = run(qn, AFTER, qn, LOW)
    assert [(m.measure, m.outcome) for m in result.measures] == [
        ("6.1", NO_CHANGE),
        ("6.3", FELL_BACK),
    ]
    assert result.to_dict()["measures"]["remaining"][1]["outcome"] == FELL_BACK


def test_a_dont_know_never_closes_a_gap() -> None:
    qn = worked_example()
    # sensors 50 → "don't know": 5.3 reads level 5 on its one known answer, range 2-5; the
    # measure is judged by the low end, so it fell back rather than reaching the target
    result = run(qn, AFTER, qn, BEFORE)
    (area,) = [m for m in result.measures if m.measure == "6.3"]
    assert (area.level_after, area.status, area.outcome) == (5, "remaining", FELL_BACK)
