"""Loading questionnaires: file or mapping -> validated, frozen Questionnaire objects."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from readiness.domain.aggregation.building import build_instrument
from readiness.domain.aggregation.model import Instrument
from readiness.domain.aggregation.validation import validate_instrument
from readiness.domain.messages import N_
from readiness.domain.messages import Message
from readiness.domain.problems import PathT
from readiness.domain.problems import Problem
from readiness.domain.problems import QuestionnaireError
from readiness.domain.questionnaire import EMPTY_TEXT
from readiness.domain.questionnaire import Action
from readiness.domain.questionnaire import Aggregation
from readiness.domain.questionnaire import Band
from readiness.domain.questionnaire import ChallengeArea
from readiness.domain.questionnaire import DoneWhen
from readiness.domain.questionnaire import Level
from readiness.domain.questionnaire import LevelDescription
from readiness.domain.questionnaire import Measure
from readiness.domain.questionnaire import Option
from readiness.domain.questionnaire import Pillar
from readiness.domain.questionnaire import ProfileField
from readiness.domain.questionnaire import Question
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.questionnaire import ScoringRules
from readiness.domain.questionnaire import Text
from readiness.domain.reading import read_questionnaire_file
from readiness.domain.validation import validate


@dataclass(frozen=True)
class LoadResult:
    """The questionnaires of a directory that loaded, and the problems of those that did not."""

    questionnaires: tuple[Questionnaire, ...]
    problems: tuple[Problem, ...]
    instruments: tuple[Instrument, ...] = ()  # the format-2 files (aggregation as a tree)


def load_questionnaire(path: str | Path) -> Questionnaire:
    """Read, validate and build one file; raise QuestionnaireError with all its problems."""
    result = read_questionnaire_file(path)
    problems = list(result.problems) + validate(result.data, str(path), result.lines)
    if problems:
        raise QuestionnaireError(sorted(problems, key=lambda p: p.line or 0))
    return build(result.data, str(path))


def load_any(path: str | Path) -> Questionnaire | Instrument:
    """Read one file of either format: format 1 as a Questionnaire, format 2 as an Instrument."""
    result = read_questionnaire_file(path)
    data = result.data
    if data.get("format") == 2:
        problems = list(result.problems) + validate_instrument(data, str(path), result.lines)
        if problems:
            raise QuestionnaireError(sorted(problems, key=lambda p: p.line or 0))
        return build_instrument(data, str(path))
    problems = list(result.problems) + validate(data, str(path), result.lines)
    if problems:
        raise QuestionnaireError(sorted(problems, key=lambda p: p.line or 0))
    return build(data, str(path))


def load_instrument(path: str | Path) -> Instrument:
    """Read, validate and build one format-2 file; raise QuestionnaireError otherwise."""
    found = load_any(path)
    if not isinstance(found, Instrument):
        wrong = Message(N_("must be %(expected)s (got %(value)s)"), expected=2, value=1)
        raise QuestionnaireError([Problem(str(path), Message(N_("top level")), wrong)])
    return found


def from_mapping(
    raw: Any, source: str = "<mapping>", lines: Mapping[PathT, int] | None = None
) -> Questionnaire:
    """Validate and build a questionnaire from an already parsed document."""
    problems = validate(raw, source, lines)
    if problems:
        raise QuestionnaireError(problems)
    return build(raw, source)


def load_questionnaires(directory: str | Path) -> LoadResult:
    """Every `<id>/<version>.yaml` below `directory`; a broken file never stops the others."""
    loaded: list[Questionnaire] = []
    instruments: list[Instrument] = []
    problems: list[Problem] = []
    for path in sorted(Path(directory).glob("*/*.yaml")):
        try:
            found = load_any(path)
        except QuestionnaireError as exc:
            problems.extend(exc.problems)
            continue
        # the place is unique per (id, version), so this also keeps duplicates out
        misplaced = _layout_problem(path, found)
        if misplaced is not None:
            problems.append(misplaced)
            continue
        (instruments if isinstance(found, Instrument) else loaded).append(found)  # type: ignore[arg-type]
    loaded.sort(key=lambda q: (q.id, q.version))
    instruments.sort(key=lambda q: (q.id, q.version))
    return LoadResult(tuple(loaded), tuple(problems), tuple(instruments))


def _layout_problem(path: Path, questionnaire: Questionnaire | Instrument) -> Problem | None:
    """A file in a catalogue directory must be `<id>/<version>.yaml`."""
    expected = f"{questionnaire.id}/{questionnaire.version}.yaml"
    if f"{path.parent.name}/{path.name}" != expected:
        message = Message(N_("id and version say the file must be %(path)s"), path=expected)
        return Problem(str(path), Message(N_("top level")), message)
    return None


def build(raw: Mapping[str, Any], source: str | None = None) -> Questionnaire:
    """Build the frozen model from a document that `validate` found no problem in."""
    scoring = raw["scoring"]
    confidence = scoring.get("dont_know_confidence", {})
    return Questionnaire(
        id=raw["id"],
        version=raw["version"],
        languages=tuple(raw["languages"]),
        title=_text(raw["title"]),
        description=_text(raw["description"]),
        source=_text(raw.get("source")),
        levels=tuple(
            Level(
                level=lv["level"],
                min_score=float(lv["min_score"]),
                name=_text(lv["name"]),
                description=_text(lv["description"]),
            )
            for lv in raw["levels"]
        ),
        scoring=ScoringRules(
            pillar=_aggregation(scoring["pillar"]),
            challenge_area=_aggregation(scoring["challenge_area"]),
            overall=_aggregation(scoring["overall"]),
            confidence_high=float(confidence.get("high", 0.9)),
            confidence_medium=float(confidence.get("medium", 0.7)),
        ),
        pillars=tuple(
            Pillar(
                id=p["id"],
                title=_text(p["title"]),
                description=_text(p.get("description")),
                weight=float(p.get("weight", 1)),
            )
            for p in raw["pillars"]
        ),
        challenge_areas=tuple(
            ChallengeArea(
                id=a["id"],
                measure=a["measure"],
                title=_text(a["title"]),
                description=_text(a.get("description")),
                pillars=tuple(a.get("pillars", ())),
            )
            for a in raw["challenge_areas"]
        ),
        measures=tuple(_measure(m) for m in raw["measures"]),
        questions=tuple(_question(q) for q in raw["questions"]),
        profile=tuple(
            ProfileField(
                id=f["id"],
                type=f["type"],
                text=_text(f["text"]),
                options=tuple(Option(o["id"], _text(o["text"])) for o in f.get("options", ())),
            )
            for f in raw.get("profile", ())
        ),
        path=source,
        not_applicable_needs_comment=raw.get("not_applicable_needs_comment", False),
        previous_version=raw.get("previous", {}).get("version"),
        previous_questions=MappingProxyType(dict(raw.get("previous", {}).get("questions", {}))),
        previous_changed=frozenset(raw.get("previous", {}).get("changed_meaning", ())),
    )


def _text(value: Mapping[str, str] | None) -> Text:
    """A Text from a language -> string mapping (EMPTY_TEXT when absent)."""
    if not value:
        return EMPTY_TEXT
    return Text(MappingProxyType(dict(value)))


def _aggregation(raw: Mapping[str, Any]) -> Aggregation:
    """An Aggregation from `{method, threshold?, max_lead?}`."""
    return Aggregation(
        method=raw["method"],
        threshold=float(raw.get("threshold", 0.8)),
        max_lead=raw.get("max_lead"),
    )


def _measure(raw: Mapping[str, Any]) -> Measure:
    """A Measure with its actions."""
    return Measure(
        id=raw["id"],
        paper=raw["paper"],
        title=_text(raw["title"]),
        summary=_text(raw["summary"]),
        actions=tuple(
            Action(
                id=a["id"],
                from_level=a["from_level"],
                text=_text(a["text"]),
                pillar=a.get("pillar"),
                when=MappingProxyType({k: tuple(v) for k, v in a.get("when", {}).items()}),
                requires=tuple(a.get("requires", ())),
                done_when=MappingProxyType(
                    {k: _done_when(v) for k, v in a.get("done_when", {}).items()}
                ),
                effort=a.get("effort"),
                cost=a.get("cost"),
                owner=a.get("owner"),
                indicator=_text(a.get("indicator")),
                always_relevant=a.get("always_relevant"),
            )
            for a in raw["actions"]
        ),
    )


def _done_when(raw: Mapping[str, Any]) -> DoneWhen:
    """A DoneWhen from `{options: [...]}`, `{min_level: n}` or `{equals: true|false}`."""
    return DoneWhen(
        options=tuple(raw.get("options", ())),
        min_level=raw.get("min_level"),
        equals=raw.get("equals"),
    )


def _question(raw: Mapping[str, Any]) -> Question:
    """A Question of any type."""
    low, high = raw.get("min"), raw.get("max")
    max_score = raw.get("max_score")
    return Question(
        id=raw["id"],
        pillar=raw["pillar"],
        type=raw["type"],
        text=_text(raw["text"]),
        challenge_areas=MappingProxyType({k: float(v) for k, v in raw["challenge_areas"].items()}),
        help=_text(raw.get("help")),
        weight=float(raw.get("weight", 1)),
        paper=raw.get("paper"),
        not_applicable=raw.get("not_applicable", False),
        dont_know=raw.get("dont_know", False),
        evidence=raw.get("evidence", True),
        levels=tuple(
            LevelDescription(level=lv["level"], text=_text(lv["text"]))
            for lv in raw.get("levels", ())
        ),
        options=tuple(
            Option(
                o["id"],
                _text(o["text"]),
                float(o["score"]),
                o.get("exclusive", False),
                o.get("level"),
            )
            for o in raw.get("options", ())
        ),
        max_score=None if max_score is None else float(max_score),
        unit=_text(raw.get("unit")),
        min=None if low is None else float(low),
        max=None if high is None else float(high),
        bands=tuple(
            Band(float(b["min"]), float(b["score"]), b.get("level")) for b in raw.get("bands", ())
        ),
        yes_scores=raw.get("yes_scores", True),
        gate_level=raw.get("gate_level", 1),
        symbol=_text(raw.get("symbol")),
        reference=_text(raw.get("reference")),
    )
