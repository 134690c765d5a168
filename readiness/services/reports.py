"""Report data: everything a readiness report shows, from the domain result, in one language."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.domain.answers import AnswerSet
from readiness.domain.charts import DEFAULT_FONT as DEFAULT_CHART_FONT
from readiness.domain.charts import Series
from readiness.domain.charts import radar_svg
from readiness.domain.plan_links import annotate
from readiness.domain.plan_links import annotate_roadmap
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.results import result_document
from readiness.domain.text import clean_deep
from readiness.i18n import use_language
from readiness.models import Assessment
from readiness.models import PlanAction
from readiness.services import assessments
from readiness.services.benchmark import benchmark
from readiness.services.collaboration_report import collaboration_report
from readiness.services.crosswalks import report_sections
from readiness.services.plan_export import plan_rows
from readiness.services.plans import as_adopted
from readiness.services.report_model import PillarSection
from readiness.services.report_model import QuestionRow
from readiness.services.report_model import Ranked
from readiness.services.report_model import ReportData
from readiness.services.report_model import ReportUnavailable
from readiness.services.result_explain import answer_text
from readiness.services.result_explain import explain
from readiness.services.tree_report import tree_report_data

URGENT_COUNT = 3  # measures named in the executive summary


def _ranked(rid: str, data: Mapping[str, Any], title: str) -> Ranked:
    gate = data.get("gate")
    return Ranked(
        rid,
        title,
        data.get("score"),
        data.get("level"),
        data.get("level_name"),
        gate if isinstance(gate, Mapping) else None,
    )


def status_label(status: str) -> str:
    """An answer status (answered, dont_know, not_applicable, unanswered) in words."""
    labels = {
        "answered": _("Answered"),
        "dont_know": _("Don't know"),
        "not_applicable": _("Not applicable"),
        "unanswered": _("Not answered"),
    }
    return labels.get(status, status)


def _extremes(results: list[Ranked]) -> tuple[Ranked | None, Ranked | None]:
    """The strongest and the weakest of the applicable results (first in order on ties)."""
    applicable = [r for r in results if r.score is not None]
    if not applicable:
        return None, None
    strongest = max(applicable, key=lambda r: (r.score, -applicable.index(r)))
    weakest = min(applicable, key=lambda r: (r.score, applicable.index(r)))
    return strongest, weakest


def chart_font(lang: str) -> str:
    """The charts' font list: the CJK font first in Chinese (SVG-to-PNG uses the first only)."""
    return "Noto Sans CJK SC, DejaVu Sans, sans-serif" if lang == "zh" else DEFAULT_CHART_FONT


def _chart(
    results: Iterable[Ranked], title: str, thresholds: Mapping[int, float], lang: str
) -> str:
    """A radar of the results' scores (solid), so that differences within a level show, and
    the score the next level needs (dashed)."""
    results = list(results)
    labels = [
        r.title if r.level is not None else _("%(title)s (n/a)", title=r.title) for r in results
    ]
    current = tuple(r.score if r.level is not None else None for r in results)
    target = tuple(
        thresholds.get(r.level + 1, 100.0) if r.level is not None else None for r in results
    )
    series = [Series(_("Score"), current), Series(_("Score the next level needs"), target)]
    return radar_svg(
        labels, series, max_value=100, rings=4, title=title, font_family=chart_font(lang)
    )


def _roadmap(questionnaire: Questionnaire, document: Mapping[str, Any], lang: str) -> list[dict]:
    """The roadmap of the result document with measure and challenge-area titles added."""
    horizons = []
    for horizon in document["roadmap"]:
        steps = []
        for step in horizon["steps"]:
            measure = questionnaire.measure(step["measure"])
            area = questionnaire.challenge_area(step["challenge_area"])
            steps.append(
                {
                    **step,
                    "title": measure.title.get(lang) if measure else step["measure"],
                    "challenge_area_title": area.title.get(lang) if area else "",
                }
            )
        horizons.append({**horizon, "steps": steps})
    return horizons


def _profile_rows(questionnaire: Questionnaire, profile: Mapping[str, Any], lang: str) -> list:
    """The company profile as (question, answer text) rows."""
    rows = []
    for spec in questionnaire.profile:
        value = profile.get(spec.id)
        if value is None or value == "":
            continue
        if spec.type == "single_choice":
            option = next((o for o in spec.options if o.id == value), None)
            text = option.text.get(lang) if option else str(value)
        elif spec.type == "yes_no":
            text = _("Yes") if value else _("No")
        else:
            text = str(value)
        rows.append((spec.text.get(lang), text))
    return rows


def report_data(
    questionnaire: Questionnaire,
    answers: AnswerSet,
    profile: Mapping[str, Any],
    *,
    lang: str = "en",
    organisation: str = "",
    when: date | None = None,
    filled_in_by: str = "",
    document: dict[str, Any] | None = None,
    evidence: Mapping[str, str] | None = None,
) -> ReportData:
    """Build the report in `lang` from the stored result document, or scored afresh without one."""
    lang = lang if lang in questionnaire.languages else questionnaire.languages[0]
    evidence = evidence or {}
    with use_language(lang):
        if document is None:
            document = result_document(questionnaire, answers, profile, lang)
        pillars = [
            _ranked(p.id, document["pillars"][p.id], p.title.get(lang))
            for p in questionnaire.pillars
            if p.id in document["pillars"]
        ]
        areas = [
            _ranked(a.id, document["challenge_areas"][a.id], f"{a.id} {a.title.get(lang)}")
            for a in questionnaire.challenge_areas
            if a.id in document["challenge_areas"]
        ]
        sections = []
        for pillar, ranked in zip(questionnaire.pillars, pillars, strict=False):
            rows = []
            for question in questionnaire.questions_of(pillar.id):
                qr = document["questions"].get(question.id, {})
                status = qr.get("status", "unanswered")
                rows.append(
                    QuestionRow(
                        id=question.id,
                        text=question.text.get(lang),
                        answer=qr.get("answer"),
                        answer_text=answer_text(question, qr.get("answer"), status, lang),
                        status=status,
                        score=None if status == "not_applicable" else qr.get("score"),
                        level=None if status == "not_applicable" else qr.get("level"),
                        comment=answers.comments.get(question.id, ""),
                        evidence=evidence.get(question.id, ""),
                    )
                )
            sections.append(PillarSection(ranked, pillar.description.get(lang), tuple(rows)))
        overall = _ranked("overall", document["overall"], _("Overall"))
        strongest_pillar, weakest_pillar = _extremes(pillars)
        strongest_area, weakest_area = _extremes(areas)
        level = overall.level if overall.level is not None else 0
        thresholds = {lv.level: float(lv.min_score) for lv in questionnaire.levels}
        data = ReportData(
            lang=lang,
            organisation=organisation,
            date=when or date.today(),
            filled_in_by=filled_in_by,
            questionnaire_id=questionnaire.id,
            questionnaire_version=questionnaire.version,
            questionnaire_title=questionnaire.title.get(lang),
            source=questionnaire.source.get(lang),
            overall=overall,
            overall_description=questionnaire.level(level).description.get(lang),
            coverage_percent=round(document["coverage"] * 100, 1),
            confidence=document["confidence"],
            strongest_pillar=strongest_pillar,
            weakest_pillar=weakest_pillar,
            strongest_area=strongest_area,
            weakest_area=weakest_area,
            urgent=tuple(document["recommendations"][:URGENT_COUNT]),
            pillar_chart=_chart(pillars, _("Scores of the pillars"), thresholds, lang),
            area_chart=_chart(areas, _("Scores of the challenge areas"), thresholds, lang),
            pillars=tuple(sections),
            areas=tuple(areas),
            recommendations=tuple(document["recommendations"]),
            roadmap=tuple(_roadmap(questionnaire, document, lang)),
            levels=tuple(
                {
                    "level": lv.level,
                    "min_score": lv.min_score,
                    "name": lv.name.get(lang),
                    "description": lv.description.get(lang),
                }
                for lv in questionnaire.levels
            ),
            profile=tuple(_profile_rows(questionnaire, profile, lang)),
            unanswered=len(document["unanswered"]),
            document=document,
            explanation=explain(questionnaire, document, lang),
            level_names={lv.level: lv.name.get(lang) for lv in questionnaire.levels},
            crosswalks=tuple(report_sections(questionnaire, answers, lang)),
        )
    return clean_deep(data)  # stored notes may hold control characters no format can carry


# --- stored assessments ----------------------------------------------------------------------


def assessment_answers(
    session: Session, questionnaire: Questionnaire, assessment: Assessment
) -> tuple[AnswerSet, dict[str, str]]:
    """The stored answers of an assessment with their comments, and the evidence texts apart."""
    rows = assessments.load_answers(session, assessment)
    values = assessments.answer_set(questionnaire, rows).values
    comments = {qid: row.comment for qid, row in rows.items() if row.comment}
    evidence = {qid: row.evidence for qid, row in rows.items() if row.evidence}
    return AnswerSet(values, comments), evidence


def assessment_report_data(
    session: Session, questionnaire: Questionnaire, assessment: Assessment, lang: str
) -> ReportData:
    """The report of a submitted assessment from its stored result; ReportUnavailable for drafts.

    A format-2 assessment gets its own report (TreeReport): native scores, its own levels.
    """
    if assessment.status != "submitted":
        raise ReportUnavailable(f"assessment {assessment.id} is not submitted yet")
    if questionnaire.is_tree:
        return tree_report_data(session, questionnaire, assessment, lang)  # type: ignore[return-value]
    answers, evidence = assessment_answers(session, questionnaire, assessment)
    person = assessment.submitted_by or assessment.created_by
    try:
        stored = assessments.stored_result(session, assessment, lang)
    except assessments.NotSubmitted:
        stored = None
    if isinstance(stored, dict) and stored.get("lang", lang) != lang:
        stored = None  # only the fallback language is stored: score afresh in `lang`
    data = report_data(
        questionnaire,
        answers,
        assessment.profile or {},
        lang=lang,
        organisation=assessment.organisation.name,
        when=assessment.submitted_at.date() if assessment.submitted_at else None,
        filled_in_by=person.name if person else "",
        document=stored if isinstance(stored, dict) else None,
        evidence=evidence,
    )
    actions = session.scalars(
        select(PlanAction).where(PlanAction.organisation_id == assessment.organisation_id)
    ).all()
    # Recommendations as the results page shows them: done actions left out, others marked.
    adopted = as_adopted(actions)
    recommendations = annotate(data.recommendations, adopted)
    with use_language(data.lang):
        made = collaboration_report(session, questionnaire, assessment, data.lang)
    return replace(
        data,
        plan=tuple(plan_rows(actions, data.lang)),
        recommendations=tuple(recommendations),
        urgent=tuple(recommendations[:URGENT_COUNT]),
        roadmap=tuple(annotate_roadmap(data.roadmap, adopted)),
        benchmark=tuple(benchmark(session, assessment)),
        **made,
    )
