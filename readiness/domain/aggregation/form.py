"""A format-2 instrument as a questionnaire to fill in: its sections become pages, items questions.

The web app, the answer store, progress, review and repeat all work on `Questionnaire`; a
format-2 file reaches them through this view. Scoring never goes through it: a submitted
format-2 assessment is evaluated by the tree engine (`questionnaire.instrument`).
"""

from __future__ import annotations

from types import MappingProxyType

from readiness.domain.aggregation.model import Instrument
from readiness.domain.aggregation.model import Item
from readiness.domain.questionnaire import EMPTY_TEXT
from readiness.domain.questionnaire import Aggregation
from readiness.domain.questionnaire import Band
from readiness.domain.questionnaire import Level
from readiness.domain.questionnaire import Option
from readiness.domain.questionnaire import Pillar
from readiness.domain.questionnaire import Question
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.questionnaire import ScoringRules
from readiness.domain.questionnaire import Text

# the name of "below the instrument's first level" (e.g. MIIT's 0), in the languages we ship
NO_LEVEL = Text(MappingProxyType({"en": "No level", "zh": "未达到一级"}))


def sections(instrument: Instrument) -> list[tuple[str, list[str]]]:
    """Each section node (declared, else the root's child nodes) with the items below it, in
    order; an item belongs to the first section that reaches it, the others to the root."""
    declared = list(instrument.sections) or [
        c.id for c in instrument.node(instrument.root).children if instrument.node(c.id)
    ]
    placed: set[str] = set()
    found = []
    for section in [*declared, instrument.root]:
        below = [i for i in _items_below(instrument, section) if i not in placed]
        placed.update(below)
        if below:
            found.append((section, below))
    return found


def _items_below(instrument: Instrument, node_id: str) -> list[str]:
    """The items of a node's subtree, depth first in the file's order (each once)."""
    found: list[str] = []
    stack, seen = [node_id], set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        node = instrument.node(current)
        if node is None:
            if instrument.item(current) is not None and current not in found:
                found.append(current)
            continue
        stack.extend(reversed([c.id for c in node.children]))
    order = {item.id: n for n, item in enumerate(instrument.items)}
    return sorted(found, key=order.__getitem__)


def _question(item: Item, section: str) -> Question:
    """An item as a question of the fill-in view (points as option scores)."""
    return Question(
        id=item.id,
        pillar=section,
        type=item.type,
        text=item.text,
        challenge_areas=MappingProxyType({}),
        help=item.help,
        not_applicable=item.not_applicable,
        dont_know=item.dont_know,
        levels=item.levels,
        options=tuple(Option(o.id, o.text, o.points, o.exclusive, o.level) for o in item.options),
        max_score=item.maximum if item.type in ("single_choice", "multiple_choice") else None,
        yes_scores=item.yes_points >= item.no_points,
        unit=item.unit,
        symbol=item.symbol,
        min=item.min,
        max=item.max,
        bands=tuple(Band(b.min, b.points, b.level) for b in item.bands),
    )


def as_questionnaire(instrument: Instrument) -> Questionnaire:
    """The fill-in view of a format-2 instrument (its tree stays in `.instrument`)."""
    pages = sections(instrument)
    levels = [Level(lv.level, 0.0, lv.name, lv.description) for lv in instrument.levels]
    if levels and levels[0].level > 0:
        levels.insert(0, Level(levels[0].level - 1, 0.0, NO_LEVEL, EMPTY_TEXT))
    plain = Aggregation("weighted_mean")
    pillars = []
    for section, _items in pages:
        node = instrument.node(section)
        pillars.append(Pillar(section, node.title, node.description))
    return Questionnaire(
        id=instrument.id,
        version=instrument.version,
        languages=instrument.languages,
        title=instrument.title,
        description=instrument.description,
        levels=tuple(levels),
        scoring=ScoringRules(plain, plain, plain),
        pillars=tuple(pillars),
        challenge_areas=(),
        measures=(),
        questions=tuple(
            _question(instrument.item(item_id), section)
            for section, items in pages
            for item_id in items
        ),
        source=instrument.source,
        path=instrument.path,
        instrument=instrument,
    )
