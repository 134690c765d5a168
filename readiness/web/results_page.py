"""The body of a results page: rendered once per submission, language, plan and role, then kept.

A submitted assessment's results never change; what the body shows besides them is the
organisation's plan (which recommended actions are adopted, and their status) and whether the
reader may adopt actions. The body is kept under (assessment, submission time, language,
questionnaire, may adopt, plan digest): reopening and submitting again, another language, a
plan change or another role render it anew; a deleted assessment is never reached.
"""

from __future__ import annotations

from typing import Any

from flask import render_template
from markupsafe import Markup

from readiness.db import get_session
from readiness.domain.plan_links import annotate
from readiness.domain.plan_links import annotate_roadmap
from readiness.domain.questionnaire import Questionnaire
from readiness.models import Assessment
from readiness.services import assessments as service
from readiness.services.crosswalks import assessment_crosswalks
from readiness.services.plan_loop import adopted
from readiness.services.result_explain import explain
from readiness.web.crosswalk import crosswalk_set
from readiness.web.page_cache import digest
from readiness.web.page_cache import fragment

RESULTS_BODIES = 32  # rendered results bodies kept per app


def crosswalks(assessment: Assessment, q: Questionnaire, lang: str) -> list[dict[str, Any]]:
    """What the answers say about other instruments (e.g. the estimated MIIT 2024 level)."""
    answers = service.load_answers(get_session(), assessment)
    try:
        return assessment_crosswalks(crosswalk_set(), q, answers, lang)
    except service.InvalidAnswer:  # an estimate is a bonus: never let it break the results
        return []


def results_body(assessment: Assessment, q: Questionnaire, lang: str, can_adopt: bool) -> Markup:
    """Scores, levels, recommendations, roadmap and next steps of a submitted assessment."""
    session = get_session()
    plan = adopted(session, assessment.organisation_id)
    key = (assessment.id, assessment.submitted_at, lang, q.key, id(q), can_adopt, digest(plan))

    def render(csrf: str) -> str:
        doc = service.stored_result(session, assessment, lang)
        return render_template(
            "assessments/_results_body.html",
            assessment=assessment,
            doc={
                **doc,
                "recommendations": annotate(doc["recommendations"], plan),
                "roadmap": annotate_roadmap(doc["roadmap"], plan),
            },
            ex=explain(q, doc, lang),
            can_adopt=can_adopt,
            can_prefill=can_adopt,  # both need the editor role
            levels={lv.level: lv.name.get(lang) for lv in q.levels},
            crosswalks=crosswalks(assessment, q, lang),
            csrf=csrf,
        )

    return fragment("results_bodies", RESULTS_BODIES, key, render)
