"""Domain messages: English by default, translatable through any gettext function."""

from __future__ import annotations

import copy
import pickle

import pytest

from readiness.domain.answer_files import parse_answer_file
from readiness.domain.answers import AnswerError
from readiness.domain.answers import parse_value
from readiness.domain.loading import from_mapping
from readiness.domain.messages import N_
from readiness.domain.messages import Message
from readiness.domain.messages import localise_message
from readiness.domain.problems import Problem
from readiness.domain.problems import QuestionnaireError
from readiness.domain.questionnaire import Question
from readiness.domain.questionnaire import Text

# A small real catalog: msgid -> "Chinese" translation (enough to see which parts are translated).
CATALOG = {
    "question %(id)s: %(message)s": "问题 %(id)s：%(message)s",
    "level must be between 0 and 5 (got %(value)s)": "等级必须在 0 到 5 之间（实际为 %(value)s）",
    "expected a number, got %(kind)s": "应为数字，实际为%(kind)s",
    "text": "文本",
    "top level": "顶层",
    "%(problem)s (line %(line)d)": "%(problem)s（第 %(line)d 行）",
    "unknown key '%(key)s'": "未知的键“%(key)s”",
    "broken %(value)s": "坏了 %(nope)s",
}


def zh(message: str) -> str:
    """The catalog's translation of `message`, else the message (what gettext does)."""
    return CATALOG.get(message, message)


def test_a_message_is_its_english_text() -> None:
    """str(), equality and hashing see the English text; the template and parameters are kept."""
    message = Message(N_("level must be between 0 and 5 (got %(value)s)"), value=7)
    assert message == "level must be between 0 and 5 (got 7)"
    assert str(message) == "level must be between 0 and 5 (got 7)"
    assert {message: 1}["level must be between 0 and 5 (got 7)"] == 1
    assert message.template.endswith("(got %(value)s)") and message.params == {"value": 7}
    assert Message("100% sure") == "100% sure"  # no parameters: no %-formatting


def test_localising_translates_the_template_and_message_parameters() -> None:
    """Parameters that are Messages themselves (type words) are translated too; others are not."""
    inner = Message(N_("expected a number, got %(kind)s"), kind=Message(N_("text")))
    outer = Message(N_("question %(id)s: %(message)s"), id="talent.hours", message=inner)
    assert str(outer) == "question talent.hours: expected a number, got text"
    assert localise_message(outer, zh) == "问题 talent.hours：应为数字，实际为文本"
    assert localise_message("plain text", zh) == "plain text"


def test_a_broken_translation_falls_back_to_english() -> None:
    """A translation whose placeholders do not fit never hides the message."""
    message = Message("broken %(value)s", value=3)
    assert localise_message(message, zh) == "broken 3"


def test_messages_survive_pickling_and_copying() -> None:
    """A Message keeps its template through pickle and deepcopy (caches, worker processes)."""
    message = Message(N_("unknown key '%(key)s'"), key="fromat")
    for clone in (pickle.loads(pickle.dumps(message)), copy.deepcopy(message)):
        assert clone == message and clone.localised(zh) == "未知的键“fromat”"


def test_answer_error_is_english_and_localisable() -> None:
    """AnswerError's str() is unchanged; localised() gives the same line in another language."""
    question = Question(
        id="technology.rd", pillar="technology", type="level", text=Text({}), challenge_areas={}
    )
    with pytest.raises(AnswerError) as caught:
        parse_value(question, 7)
    assert str(caught.value) == "question technology.rd: level must be between 0 and 5 (got 7)"
    assert caught.value.localised(zh) == "问题 technology.rd：等级必须在 0 到 5 之间（实际为 7）"
    with pytest.raises(AnswerError) as caught:
        parse_answer_file("{broken")
    assert str(caught.value).startswith("the answers file is not valid JSON: Expecting")
    assert str(caught.value).endswith("(line 1, column 2)")


def test_problems_are_english_and_localisable() -> None:
    """A validator problem keeps its English line; localised() translates location and message."""
    with pytest.raises(QuestionnaireError) as caught:
        from_mapping({"fromat": 1}, "q.yaml", {("fromat",): 3})
    unknown = next(p for p in caught.value.problems if "fromat" in p.message)
    assert str(unknown) == "q.yaml: top level: unknown key 'fromat' (line 3)"
    assert unknown.localised(zh) == "q.yaml: 顶层: 未知的键“fromat”（第 3 行）"
    assert caught.value.localised(zh).splitlines()[0] == caught.value.problems[0].localised(zh)
    plain = Problem("q.yaml", "file", "no such file")
    assert plain.localised(zh) == str(plain) == "q.yaml: file: no such file"
