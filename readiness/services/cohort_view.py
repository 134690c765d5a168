"""What the cohort page and the cohort report show: texts in one language, charts as SVG."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from readiness.domain.cohort_charts import boxplot_svg
from readiness.domain.cohort_charts import histogram_svg
from readiness.domain.distribution import BoxStats
from readiness.domain.distribution import box_stats
from readiness.domain.distribution import histogram
from readiness.domain.questionnaire import Questionnaire
from readiness.services.cohort import Cohort
from readiness.services.cohort_table import FirmPage

PROFILE_FIELDS = {
    "sector": "sector",
    "industry": "industry",
    "size_band": "headcount",
    "region": "region",
}


@dataclass(frozen=True)
class PartRow:
    """A pillar or challenge area across the cohort: its summary and firms per level."""

    key: str
    title: str
    stats: BoxStats | None
    levels: list[tuple[int, int]]


@dataclass(frozen=True)
class MeasureRow:
    """A measure, ranked by the share of the cohort at the lowest levels of its challenge area."""

    measure: str
    title: str
    area: str
    firms: int
    share: int
    mean: float | None


@dataclass(frozen=True)
class Breakdown:
    """The overall score by one profile dimension, as box plots."""

    dimension: str
    title: str
    chart: str | None


@dataclass(frozen=True)
class CohortView:
    """A cohort page in one language."""

    questionnaire: str
    firms: int
    overall: BoxStats | None
    level_chart: str
    score_chart: str
    pillar_chart: str | None
    area_chart: str | None
    pillars: list[PartRow]
    areas: list[PartRow]
    breakdowns: list[Breakdown]
    measures: list[MeasureRow]
    rounds: list[tuple[str, int, float | None]]
    pillar_keys: list[tuple[str, str]]


def dimension_titles() -> dict[str, str]:
    """The profile dimensions a cohort is broken down by, named."""
    return {
        "sector": _("Sector"),
        "industry": _("Industry"),
        "size_band": _("Size (employees)"),
        "region": _("Region"),
    }


def option_label(q: Questionnaire, dimension: str, value: str | None, lang: str) -> str:
    """A profile answer as its option's text ("not given" when empty)."""
    if not value:
        return _("not given")
    field_id = PROFILE_FIELDS[dimension]
    for spec in q.profile:
        if spec.id == field_id:
            for option in spec.options:
                if option.id == value:
                    return option.text.get(lang)
    return value


def _parts(q: Questionnaire, numbers: Cohort, kind: str, lang: str) -> list[PartRow]:
    items = q.pillars if kind == "pillar" else q.challenge_areas
    rows = []
    for item in items:
        counts = numbers.parts.get((kind, item.id), {})
        levels = numbers.part_levels.get((kind, item.id), {})
        title = item.title.get(lang) if kind == "pillar" else f"{item.id} {item.title.get(lang)}"
        rows.append(PartRow(item.id, title, box_stats(counts), sorted(levels.items())))
    return rows


def _box_chart(rows: list[tuple[str, BoxStats | None]], title: str) -> str | None:
    groups = [(label, stats) for label, stats in rows if stats is not None]
    return boxplot_svg(groups, title) if groups else None


def _measures(q: Questionnaire, numbers: Cohort, lang: str) -> list[MeasureRow]:
    lowest = sorted(level.level for level in q.levels)[:2]
    measures = {m.id: m for m in q.measures}
    rows = []
    for area in q.challenge_areas:
        levels = numbers.part_levels.get(("challenge_area", area.id), {})
        total = sum(levels.values())
        if not total:
            continue
        low = sum(count for level, count in levels.items() if level in lowest)
        stats = box_stats(numbers.parts.get(("challenge_area", area.id), {}))
        measure = measures.get(area.measure)
        rows.append(
            MeasureRow(
                area.measure,
                measure.title.get(lang) if measure else area.measure,
                f"{area.id} {area.title.get(lang)}",
                low,
                round(100 * low / total),
                stats.mean if stats else None,
            )
        )
    return sorted(rows, key=lambda r: (-r.share, r.mean if r.mean is not None else 0))


def cohort_view(q: Questionnaire, numbers: Cohort, lang: str) -> CohortView:
    """The cohort's charts and tables in `lang` (call inside use_language or a request)."""
    level_names = {lv.level: lv.name.get(lang) for lv in q.levels}
    levels = sorted(level_names)
    level_chart = histogram_svg(
        [str(lv) for lv in levels],
        [numbers.overall_levels.get(lv, 0) for lv in levels],
        _("Firms per overall level"),
    )
    bins = histogram(numbers.overall)
    score_chart = histogram_svg(
        [f"{10 * i}–" for i in range(len(bins))], bins, _("Firms per overall score (bands of 10)")
    )
    pillars = _parts(q, numbers, "pillar", lang)
    areas = _parts(q, numbers, "challenge_area", lang)
    titles = dimension_titles()
    breakdowns = []
    for dimension, groups in numbers.breakdowns.items():
        rows = [
            (option_label(q, dimension, value, lang), box_stats(counts))
            for value, counts in sorted(groups.items())
        ]
        chart = _box_chart(rows, _("Overall score by %(dimension)s", dimension=titles[dimension]))
        breakdowns.append(Breakdown(dimension, titles[dimension], chart))
    rounds = [(f"T{r.number - 1}", r.firms, r.mean) for r in numbers.rounds]
    return CohortView(
        questionnaire=q.title.get(lang),
        firms=numbers.firms,
        overall=box_stats(numbers.overall),
        level_chart=level_chart,
        score_chart=score_chart,
        pillar_chart=_box_chart([(p.title, p.stats) for p in pillars], _("Pillar scores")),
        area_chart=_box_chart([(a.title, a.stats) for a in areas], _("Challenge-area scores")),
        pillars=pillars,
        areas=areas,
        breakdowns=breakdowns,
        measures=_measures(q, numbers, lang),
        rounds=rounds,
        pillar_keys=[(p.id, p.title.get(lang)) for p in q.pillars],
    )


def table_rows(
    q: Questionnaire, page: FirmPage, lang: str, answers: bool = False
) -> list[list[Any]]:
    """The cohort table as rows for CSV and XLSX: a heading row, then one row per firm."""
    pillars = [(p.id, p.title.get(lang)) for p in q.pillars]
    heading = [
        _("Organisation"),
        _("Submitted"),
        dimension_titles()["sector"],
        dimension_titles()["size_band"],
        dimension_titles()["region"],
        _("Overall score"),
        _("Overall level"),
        *(title for _key, title in pillars),
    ]
    rows: list[list[Any]] = [heading]
    for r in page.rows:
        rows.append(
            [
                r.organisation,
                r.submitted_at.date().isoformat(),
                option_label(q, "sector", r.sector, lang),
                option_label(q, "size_band", r.size_band, lang),
                option_label(q, "region", r.region, lang),
                None if r.overall_score is None else round(r.overall_score, 1),
                r.overall_level,
                *(
                    None if r.pillars.get(key) is None else round(r.pillars[key], 1)
                    for key, _title in pillars
                ),
            ]
        )
    return rows
