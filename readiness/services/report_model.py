"""What a report shows, as data: the sections, ranked results and question rows in one language.

`services.reports` builds a ReportData from a result document; the templates, the exports and
the PDF cache read it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from typing import Any

from flask_babel import gettext as _

from readiness.i18n import use_language
from readiness.services.benchmark import PeerGroup
from readiness.services.collaboration_report import how_made
from readiness.services.plan_export import PlanRow


class ReportUnavailable(Exception):
    """The assessment has no report yet (it is not submitted)."""


@dataclass(frozen=True)
class Ranked:
    """A pillar, challenge area or the overall result as the report shows it."""

    id: str
    title: str
    score: float | None
    level: int | None
    level_name: str | None
    gate: Mapping[str, Any] | None = None  # why the level is not higher (a gated level rule)


@dataclass(frozen=True)
class QuestionRow:
    """One question with the answer given, as text in the report language, and its notes."""

    id: str
    text: str
    answer: Any  # the JSON form of the answer (None when unanswered or not applicable)
    answer_text: str
    status: str
    score: float | None
    level: int | None
    comment: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class PillarSection:
    """A pillar's result and every question of it."""

    result: Ranked
    description: str
    questions: tuple[QuestionRow, ...]


@dataclass(frozen=True)
class ReportData:
    """Everything a report shows, texts already in `lang`; every format renders from this."""

    lang: str
    organisation: str
    date: date
    filled_in_by: str
    questionnaire_id: str
    questionnaire_version: int
    questionnaire_title: str
    source: str
    overall: Ranked
    overall_description: str
    coverage_percent: float
    confidence: str | None
    strongest_pillar: Ranked | None
    weakest_pillar: Ranked | None
    strongest_area: Ranked | None
    weakest_area: Ranked | None
    urgent: tuple[dict[str, Any], ...]
    pillar_chart: str
    area_chart: str
    pillars: tuple[PillarSection, ...]
    areas: tuple[Ranked, ...]
    recommendations: tuple[dict[str, Any], ...]
    roadmap: tuple[dict[str, Any], ...]
    levels: tuple[dict[str, Any], ...]
    profile: tuple[tuple[str, str], ...]
    unanswered: int
    document: dict[str, Any] = field(repr=False)
    plan: tuple[PlanRow, ...] = ()  # the organisation's action plan (stored assessments only)
    explanation: dict[str, Any] = field(repr=False, default_factory=dict)
    level_names: dict[int, str] = field(repr=False, default_factory=dict)

    @property
    def pillar_titles(self) -> list[tuple[str, str]]:
        """Each pillar's ID and title, in order (column headings of the benchmark)."""
        return [(p.result.id, p.result.title) for p in self.pillars]

    @property
    def plan_digest(self) -> str:
        """A fingerprint of the plan section: a cached PDF is redone when the plan moves."""
        # The provenance is in it too: confirming an on-site evaluation changes the cover; the
        # peer benchmark moves with other firms' results.
        # JSON with sorted keys: the fingerprint must not depend on the order in which a query
        # happened to return rows (PostgreSQL may change plans between two requests)
        text = json.dumps(
            [[asdict(r) for r in self.plan], self.provenance, [asdict(g) for g in self.benchmark]],
            sort_keys=True,
            default=str,
            ensure_ascii=False,
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]

    crosswalks: tuple[dict[str, Any], ...] = ()  # estimates in other instruments (e.g. MIIT)
    # How the assessment was made (self, on-site: by whom, reviewed?) and, for several
    # respondents, where they disagreed and how it was settled (services.collaboration_report).
    provenance: dict[str, Any] = field(default_factory=dict)
    disagreements: tuple[dict[str, Any], ...] = ()
    benchmark: tuple[PeerGroup, ...] = ()  # percentiles among comparable firms (issue 14)

    @property
    def how_made(self) -> dict[str, Any]:
        """Kind of assessment and disagreements as every format shows them (current language)."""
        return how_made(self.provenance, self.disagreements)

    @property
    def title(self) -> str:
        """The report's title line: organisation and questionnaire."""
        return (
            f"{self.organisation} · {self.questionnaire_title}"
            if self.organisation
            else (self.questionnaire_title)
        )

    @property
    def gated(self) -> bool:
        """Whether any level here was held below its score band by a gate (then a note says so)."""
        results = (*(s.result for s in self.pillars), *self.areas, self.overall)
        return any(r.gate and r.gate.get("blocked_at") is not None for r in results)

    @property
    def top_areas(self) -> tuple[Ranked, ...]:
        """The challenge areas already at the highest level (they get no recommendation)."""
        top = max((lv["level"] for lv in self.levels), default=None)
        return tuple(a for a in self.areas if a.level is not None and a.level == top)

    @property
    def questionnaire_name(self) -> str:
        """The questionnaire's title and version, in the report's language."""
        with use_language(self.lang):
            return questionnaire_label(self.questionnaire_title, self.questionnaire_version)


def questionnaire_label(title: str, version: int) -> str:
    """A questionnaire as people name it: its title and version ("… (version 1)")."""
    return _("%(title)s (version %(version)s)", title=title, version=version)
