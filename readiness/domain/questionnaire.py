"""The questionnaire model: frozen dataclasses for questionnaires, pillars, questions, measures."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from types import MappingProxyType
from typing import Any

LEVELS = range(6)  # readiness levels 0..5
QUESTION_TYPES = ("level", "single_choice", "multiple_choice", "number", "yes_no")
PROFILE_TYPES = ("single_choice", "yes_no", "text")
AGGREGATION_METHODS = ("weighted_mean", "gated", "minimum")
# what an action takes: days of one person, weeks of a small team, or months of a project
ACTION_EFFORTS = ("days", "weeks", "months")
# cost bands in CNY, beyond staff time: none, < 50k, 50k-500k, > 500k
ACTION_COSTS = ("none", "low", "medium", "high")
ACTION_OWNERS = (
    "general_manager",
    "production_manager",
    "quality_manager",
    "engineering_manager",
    "it_lead",
    "maintenance_lead",
    "hr_lead",
    "finance_manager",
)


@dataclass(frozen=True)
class DoneWhen:
    """Answers to one question that show an action is done: options chosen or a minimum level."""

    options: tuple[str, ...] = ()  # single/multiple choice: any of these chosen
    min_level: int | None = None  # the question's level is at least this
    equals: bool | None = None  # yes/no: this answer


@dataclass(frozen=True)
class Text:
    """A user-visible text in every language of its questionnaire."""

    values: Mapping[str, str]

    def get(self, lang: str, fallback: str = "en") -> str:
        """The text in `lang`, else in `fallback`, else in any language it has."""
        if lang in self.values:
            return self.values[lang]
        if fallback in self.values:
            return self.values[fallback]
        return next(iter(self.values.values()), "")

    def __str__(self) -> str:
        return self.get("en")


EMPTY_TEXT = Text(MappingProxyType({}))


@dataclass(frozen=True)
class Level:
    """A readiness level 0-5 with the lowest score that reaches it."""

    level: int
    min_score: float
    name: Text
    description: Text


@dataclass(frozen=True)
class Aggregation:
    """How the parts of a result (questions or pillars) combine into a score and a level."""

    method: str
    threshold: float = 0.8
    max_lead: int | None = None  # the level is at most the lowest part's level + max_lead


@dataclass(frozen=True)
class ScoringRules:
    """The aggregation declared by a questionnaire for pillars, challenge areas and overall."""

    pillar: Aggregation
    challenge_area: Aggregation
    overall: Aggregation
    confidence_high: float = 0.9
    confidence_medium: float = 0.7


@dataclass(frozen=True)
class Pillar:
    """A pillar of the questionnaire: technology, data, infrastructure or talent."""

    id: str
    title: Text
    description: Text = EMPTY_TEXT
    weight: float = 1.0


@dataclass(frozen=True)
class ChallengeArea:
    """A challenge area of the source paper (section 5.x) and the measure that answers it."""

    id: str
    measure: str
    title: Text
    description: Text = EMPTY_TEXT
    # the pillars this area belongs to: its level is never above the lowest of their levels
    pillars: tuple[str, ...] = ()


@dataclass(frozen=True)
class Action:
    """A concrete step that takes a firm from level `from_level` to the next one."""

    id: str
    from_level: int
    text: Text
    pillar: str | None = None
    when: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    requires: tuple[str, ...] = ()  # action IDs that must be done (or planned) first
    # question ID -> answers that show the action is already done (any one is enough)
    done_when: Mapping[str, DoneWhen] = field(default_factory=lambda: MappingProxyType({}))
    effort: str | None = None  # one of ACTION_EFFORTS
    cost: str | None = None  # one of ACTION_COSTS
    owner: str | None = None  # one of ACTION_OWNERS
    indicator: Text = field(default_factory=lambda: EMPTY_TEXT)
    # why no answer can show this action done (instead of done_when); for the editor, not shown
    always_relevant: str | None = None

    def applies_to(self, profile: Mapping[str, object]) -> bool:
        """Whether this action fits a firm with `profile` (an action without `when` fits all)."""
        for field_id, allowed in self.when.items():
            value = profile.get(field_id)
            if isinstance(value, bool):
                value = "yes" if value else "no"
            if value is None or str(value) not in allowed:
                return False
        return True


@dataclass(frozen=True)
class Measure:
    """A measure of the source paper (section 6.x) broken into actions by level."""

    id: str
    paper: str
    title: Text
    summary: Text
    actions: tuple[Action, ...]


@dataclass(frozen=True)
class Option:
    """An option of a choice question, with the points it earns."""

    id: str
    text: Text
    score: float = 0.0
    exclusive: bool = False  # cannot be chosen together with any other option
    level: int | None = None  # the readiness level this option evidences (None: from points)


@dataclass(frozen=True)
class LevelDescription:
    """What answer level n of a level question looks like in a firm."""

    level: int
    text: Text


@dataclass(frozen=True)
class Band:
    """A scoring band of a number question: answers from `min` upwards earn `score`."""

    min: float
    score: float
    level: int | None = None  # the readiness level this band evidences (None: from points)


@dataclass(frozen=True)
class ProfileField:
    """A company-profile field: asked, stored, used for tailoring, never scored."""

    id: str
    type: str
    text: Text
    options: tuple[Option, ...] = ()


@dataclass(frozen=True)
class Question:
    """A scored question of a pillar, mapped to one or more challenge areas."""

    id: str
    pillar: str
    type: str
    text: Text
    challenge_areas: Mapping[str, float]
    help: Text = EMPTY_TEXT
    weight: float = 1.0
    paper: str | None = None
    not_applicable: bool = False
    dont_know: bool = False
    evidence: bool = True
    levels: tuple[LevelDescription, ...] = ()
    options: tuple[Option, ...] = ()
    max_score: float | None = None
    unit: Text = EMPTY_TEXT
    min: float | None = None
    max: float | None = None
    bands: tuple[Band, ...] = ()
    yes_scores: bool = True
    gate_level: int = 1  # a requirement from this level on (gates gate_level..5) when gated
    symbol: Text = EMPTY_TEXT  # number questions: a short unit shown with answers, e.g. "%"
    reference: Text = EMPTY_TEXT  # the source when it is not the paper (SIRI, IMPULS, GB/T 39116)

    def option(self, option_id: str) -> Option | None:
        """The option with `option_id`, or None."""
        return next((o for o in self.options if o.id == option_id), None)

    def unit_symbol(self, lang: str) -> str:
        """A number question's short unit in `lang`: its `symbol`, else its `unit` ("" if none)."""
        return self.symbol.get(lang) if self.symbol.values else self.unit.get(lang)

    def number_text(self, value: float, lang: str) -> str:
        """A number answer with its short unit, e.g. "3.2%" or "40 h" (else the long unit)."""
        number = f"{value:.15g}" if isinstance(value, float) else str(value)
        unit = self.unit_symbol(lang)
        if not unit:
            return number
        return f"{number}{unit}" if _tight(unit) else f"{number} {unit}"

    @property
    def max_points(self) -> float:
        """The most points an answer to this question can earn."""
        if self.type == "level":
            return 5.0
        if self.type in ("single_choice", "multiple_choice"):
            return float(self.max_score or 0)
        if self.type == "number":
            return max((b.score for b in self.bands), default=0.0)
        return 1.0


def _tight(unit: str) -> bool:
    """Whether a unit follows its number without a space: "%", "‰", "°" and Chinese units."""
    first = unit[0]
    return first in "%％‰°" or "\u2e80" <= first <= "\u9fff" or "\uff00" <= first <= "\uffef"


@dataclass(frozen=True)
class Questionnaire:
    """One version of a questionnaire, as loaded and validated from its data file."""

    id: str
    version: int
    languages: tuple[str, ...]
    title: Text
    description: Text
    levels: tuple[Level, ...]
    scoring: ScoringRules
    pillars: tuple[Pillar, ...]
    challenge_areas: tuple[ChallengeArea, ...]
    measures: tuple[Measure, ...]
    questions: tuple[Question, ...]
    profile: tuple[ProfileField, ...] = ()
    source: Text = EMPTY_TEXT
    path: str | None = None
    # a "not applicable" answer must carry a comment saying why
    not_applicable_needs_comment: bool = False
    # the previous version and, for each of its question IDs, the ID here (None: dropped)
    previous_version: int | None = None
    previous_questions: Mapping[str, str | None] = field(
        default_factory=lambda: MappingProxyType({})
    )
    # the previous version's question IDs whose question here asks something else (an outcome
    # rephrased as a capability): compared as "changed meaning", never prefilled
    previous_changed: frozenset[str] = frozenset()
    # format 2: the tree (readiness.domain.aggregation.model.Instrument) this questionnaire is
    # the fill-in view of; its pillars are the tree's sections and its questions the items
    instrument: Any = None

    @property
    def is_tree(self) -> bool:
        """Whether this is a format-2 questionnaire, scored by the aggregation tree."""
        return self.instrument is not None

    @property
    def key(self) -> str:
        """`id@version`, how the app refers to this exact questionnaire version."""
        return f"{self.id}@{self.version}"

    def question(self, question_id: str) -> Question | None:
        """The question with `question_id`, or None."""
        return self._questions_by_id.get(question_id)

    def pillar(self, pillar_id: str) -> Pillar | None:
        """The pillar with `pillar_id`, or None."""
        return next((p for p in self.pillars if p.id == pillar_id), None)

    def challenge_area(self, area_id: str) -> ChallengeArea | None:
        """The challenge area with `area_id`, or None."""
        return next((a for a in self.challenge_areas if a.id == area_id), None)

    def measure(self, measure_id: str) -> Measure | None:
        """The measure with `measure_id`, or None."""
        return next((m for m in self.measures if m.id == measure_id), None)

    def questions_of(self, pillar_id: str) -> tuple[Question, ...]:
        """The questions of one pillar, in questionnaire order."""
        by_pillar = self.__dict__.get("_pcache")
        if by_pillar is None:  # grouped once: pages ask for every pillar's questions per request
            grouped: dict[str, list[Question]] = {}
            for q in self.questions:
                grouped.setdefault(q.pillar, []).append(q)
            by_pillar = {pillar: tuple(questions) for pillar, questions in grouped.items()}
            object.__setattr__(self, "_pcache", by_pillar)
        return by_pillar.get(pillar_id, ())

    def level(self, n: int) -> Level:
        """The readiness level `n` (0-5; a format-2 questionnaire: its own levels)."""
        return next((lv for lv in self.levels if lv.level == n), self.levels[n])

    @property
    def _questions_by_id(self) -> dict[str, Question]:
        cache = self.__dict__.get("_qcache")
        if cache is None:
            cache = {q.id: q for q in self.questions}
            object.__setattr__(self, "_qcache", cache)
        return cache
