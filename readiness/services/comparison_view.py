"""What the compare pages and the comparison report show: texts in one language, charts as SVG."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _

from readiness.domain.charts import Series as ChartSeries
from readiness.domain.charts import radar_svg
from readiness.domain.charts import trend_svg
from readiness.domain.comparison import Comparison
from readiness.domain.comparison import Delta
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.series import Series
from readiness.domain.series import SeriesRow
from readiness.i18n import use_language
from readiness.services.comparisons import Scored
from readiness.services.comparisons import compare_pair
from readiness.services.comparisons import series_of
from readiness.services.report_model import questionnaire_label
from readiness.services.reports import answer_text
from readiness.services.reports import chart_font
from readiness.services.summaries import TrendPoint


@dataclass(frozen=True)
class Column:
    """One compared assessment as a column heading."""

    id: int
    title: str
    label: str  # its date (and ID where two share a date)
    questionnaire: str  # its title and version, e.g. "… (version 1)"


@dataclass(frozen=True)
class ResultRow:
    """Overall, a pillar or a challenge area: its title and its Delta."""

    title: str
    delta: Delta
    level_name_before: str
    level_name_after: str


@dataclass(frozen=True)
class AnswerRow:
    """A question with its old and new answer as text."""

    id: str
    text: str
    change: str
    before: str
    after: str
    comment_before: str
    comment_after: str


@dataclass(frozen=True)
class MeasureRow:
    """A recommended measure, the level of its challenge area before and after, and its status."""

    measure: str
    title: str
    area: str
    level_before: int
    level_after: int | None
    status: str
    outcome: str = ""  # reached_target / progressed / no_change / fell_back / not_assessed
    priority_after: int | None = None


@dataclass(frozen=True)
class PairView:
    """Two assessments side by side."""

    lang: str
    organisation: str
    before: Column
    after: Column
    overall: ResultRow
    pillars: tuple[ResultRow, ...]
    areas: tuple[ResultRow, ...]
    questions: tuple[AnswerRow, ...]
    addressed: tuple[MeasureRow, ...]
    remaining: tuple[MeasureRow, ...]
    measures: tuple[MeasureRow, ...]
    pillar_chart: str
    area_chart: str
    comparison: Comparison
    plan_outcomes: tuple[Any, ...] = ()  # plan actions per measure and what moved (plan_loop)


@dataclass(frozen=True)
class TableRow:
    """A result over time: its title and the domain row."""

    title: str
    row: SeriesRow


@dataclass(frozen=True)
class SeriesView:
    """More than two assessments: a table over time and a trend chart."""

    lang: str
    organisation: str
    columns: tuple[Column, ...]
    rows: tuple[TableRow, ...]
    chart: str
    series: Series


def labels(items: Sequence[Scored], lang: str | None = None) -> list[str]:
    """A date label per assessment (ISO, or as `lang` writes dates); IDs tell equal dates apart."""
    return date_labels([s.when for s in items], [s.assessment.id for s in items], lang)


def date_labels(whens: Sequence[datetime], ids: Sequence[int], lang: str | None) -> list[str]:
    """A date label per point (ISO, or as `lang` writes dates); IDs tell equal dates apart."""
    if lang is None:
        dates = [w.strftime("%Y-%m-%d") for w in whens]
    else:
        with use_language(lang):
            dates = [format_date(w, "medium") for w in whens]
    return [d if dates.count(d) == 1 else f"{d} #{i}" for d, i in zip(dates, ids, strict=True)]


def _columns(items: Sequence[Scored], lang: str) -> tuple[Column, ...]:
    return tuple(
        Column(
            s.assessment.id,
            s.assessment.title,
            label,
            questionnaire_label(s.questionnaire.title.get(lang), s.questionnaire.version),
        )
        for s, label in zip(items, labels(items, lang), strict=True)
    )


def _title(kind: str, rid: str, questionnaires: Sequence[Questionnaire], lang: str) -> str:
    """The title of overall, a pillar or a challenge area from the newest version that has it."""
    if kind == "overall":
        return _("Overall")
    for q in reversed(questionnaires):
        if kind == "pillar" and q.pillar(rid):
            return q.pillar(rid).title.get(lang)
        if kind == "challenge_area" and q.challenge_area(rid):
            return f"{rid} {q.challenge_area(rid).title.get(lang)}"
    return rid


def _level_name(q: Questionnaire, level: int | None, lang: str) -> str:
    return "" if level is None else q.level(level).name.get(lang)


def _radar(rows: Sequence[ResultRow], before: str, after: str, title: str, lang: str) -> str:
    """Both assessments' scores on one radar (empty when there are fewer than three axes).

    Scores, not levels: two results at the same level still show how far apart they are.
    """
    if len(rows) < 3:
        return ""
    values_before = tuple(r.delta.before for r in rows)
    values_after = tuple(r.delta.after for r in rows)
    series = [ChartSeries(before, values_before), ChartSeries(after, values_after)]
    return radar_svg(
        [r.title for r in rows],
        series,
        max_value=100,
        rings=4,
        title=title,
        font_family=chart_font(lang),
    )


def _measure_row(m: Any, q: Questionnaire, lang: str) -> MeasureRow:
    measure, area = q.measure(m.measure), q.challenge_area(m.challenge_area)
    return MeasureRow(
        measure=m.measure,
        title=measure.title.get(lang) if measure else m.measure,
        area=f"{m.challenge_area} {area.title.get(lang)}" if area else m.challenge_area,
        level_before=m.level_before,
        level_after=m.level_after,
        status=m.status,
        outcome=m.outcome,
        priority_after=m.priority_after,
    )


def pair_view(before: Scored, after: Scored, lang: str, organisation: str = "") -> PairView:
    """Two scored assessments side by side, texts in `lang`."""
    comparison = compare_pair(before, after)
    qa, qb = before.questionnaire, after.questionnaire
    versions = (qa, qb)
    col_before, col_after = _columns([before, after], lang)
    with use_language(lang):

        def row(d: Delta) -> ResultRow:
            return ResultRow(
                _title(d.kind, d.id, versions, lang),
                d,
                _level_name(qa, d.level_before, lang),
                _level_name(qb, d.level_after, lang),
            )

        pillars = tuple(row(d) for d in comparison.pillars)
        areas = tuple(row(d) for d in comparison.challenge_areas)
        questions = []
        for c in comparison.questions:
            question_a, question_b = qa.question(c.id), qb.question(c.id)
            questions.append(
                AnswerRow(
                    id=c.id,
                    text=(question_b or question_a).text.get(lang),
                    change=c.change,
                    before=answer_text(question_a, c.before, c.status_before, lang)
                    if question_a
                    else "—",
                    after=answer_text(question_b, c.after, c.status_after, lang)
                    if question_b
                    else "—",
                    comment_before=c.comment_before,
                    comment_after=c.comment_after,
                )
            )
        return PairView(
            lang=lang,
            organisation=organisation,
            before=col_before,
            after=col_after,
            overall=row(comparison.overall),
            pillars=pillars,
            areas=areas,
            questions=tuple(questions),
            addressed=tuple(_measure_row(m, qa, lang) for m in comparison.addressed),
            remaining=tuple(_measure_row(m, qa, lang) for m in comparison.remaining),
            measures=tuple(_measure_row(m, qa, lang) for m in comparison.measures),
            pillar_chart=_radar(
                pillars, col_before.label, col_after.label, _("Scores of the pillars"), lang
            ),
            area_chart=_radar(
                areas, col_before.label, col_after.label, _("Scores of the challenge areas"), lang
            ),
            comparison=comparison,
        )


def trend_chart(items: Sequence[Scored], lang: str) -> str:
    """Overall and per-pillar scores over time as an SVG line chart ("" without assessments)."""
    points = [
        TrendPoint(
            s.assessment.id,
            s.questionnaire.id,
            s.questionnaire.version,
            s.when,
            s.scorecard.overall.score,
            {pid: r.score for pid, r in s.scorecard.pillars.items()},
        )
        for s in items
    ]
    return history_chart(points, [s.questionnaire for s in items], lang)


def history_chart(
    points: Sequence[TrendPoint], questionnaires: Sequence[Questionnaire], lang: str
) -> str:
    """The trend chart of summary points (their questionnaires in the same order; "" if none)."""
    if not points:
        return ""
    pillar_ids = list(dict.fromkeys(p.id for q in questionnaires for p in q.pillars))
    with use_language(lang):
        series = [ChartSeries(_("Overall"), tuple(p.overall for p in points))]
        for pid in pillar_ids:
            values = tuple(p.pillars.get(pid) for p in points)
            series.append(ChartSeries(_title("pillar", pid, questionnaires, lang), values))
        names = date_labels([p.when for p in points], [p.assessment_id for p in points], lang)
        return trend_svg(names, series, title=_("Scores over time"), font_family=chart_font(lang))


def series_view(items: Sequence[Scored], lang: str, organisation: str = "") -> SeriesView:
    """Several scored assessments as a table over time, texts in `lang`."""
    series = series_of(items, labels(items))
    versions = [s.questionnaire for s in items]
    with use_language(lang):
        rows = tuple(TableRow(_title(r.kind, r.id, versions, lang), r) for r in series.rows)
    return SeriesView(
        lang=lang,
        organisation=organisation,
        columns=_columns(items, lang),
        rows=rows,
        chart=trend_chart(items, lang),
        series=series,
    )
