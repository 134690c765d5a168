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
from flask import url_for
from flask_babel import get_timezone
from flask_login import current_user

from readiness.db import get_session
from readiness.domain.plan_links import annotate
from readiness.domain.plan_links import annotate_roadmap
from readiness.domain.questionnaire import Questionnaire
from readiness.i18n import LANGUAGE_NAMES
from readiness.models import Assessment
from readiness.services import assessments as service
from readiness.services import onsite
from readiness.services.crosswalks import assessment_crosswalks
from readiness.services.plan_loop import adopted
from readiness.services.report_export import DOWNLOADS as REPORT_DOWNLOADS
from readiness.services.report_export import FORMATS
from readiness.services.result_explain import explain
from readiness.services.tree_report import TREE_DOWNLOADS
from readiness.web.compare import repeat_offer
from readiness.web.crosswalk import crosswalk_set
from readiness.web.forms import ActionForm
from readiness.web.page_cache import Piece
from readiness.web.page_cache import digest

RESULTS_BODIES = 32  # rendered results bodies (and page tops) kept per app


def crosswalks(assessment: Assessment, q: Questionnaire, lang: str) -> list[dict[str, Any]]:
    """What the answers say about other instruments (e.g. the estimated MIIT 2024 level)."""
    answers = service.load_answers(get_session(), assessment)
    try:
        return assessment_crosswalks(crosswalk_set(), q, answers, lang)
    except service.InvalidAnswer:  # an estimate is a bonus: never let it break the results
        return []


def results_body(assessment: Assessment, q: Questionnaire, lang: str, can_adopt: bool) -> Piece:
    """Scores, levels, recommendations, roadmap and next steps of a submitted assessment."""
    session = get_session()
    plan = adopted(session, assessment.organisation_id)
    key = (assessment.id, assessment.submitted_at, lang, q.key, id(q), can_adopt, digest(plan))

    def render(csrf: str) -> str:
        # rendered anew: the stored document and the answers are read from the assessment itself
        full = session.get(Assessment, assessment.id)
        doc = service.stored_result(session, full, lang)
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
            crosswalks=crosswalks(full, q, lang),
            csrf=csrf,
        )

    return Piece("results_bodies", RESULTS_BODIES, key, render)


def downloads(assessment: Assessment, q: Questionnaire, lang: str) -> list[dict[str, Any]]:
    """Every report format, per language of the questionnaire (the page's language first)."""
    return [
        {
            "lang": language,
            "name": LANGUAGE_NAMES.get(language, language),
            "links": [
                (
                    FORMATS[fmt][0],
                    url_for(
                        "reports.download", assessment_id=assessment.id, fmt=fmt, lang=language
                    ),
                )
                for fmt in (TREE_DOWNLOADS if q.is_tree else REPORT_DOWNLOADS)
            ],
        }
        for language in sorted(q.languages, key=lambda other: other != lang)
    ]


def results_head(assessment: Assessment, q: Questionnaire, lang: str, can_reopen: bool) -> Piece:
    """The top of a results page: title, repeat offer, reopen and delete, provenance, downloads.

    Kept under everything it shows: the assessment (title, submission), language, time zone,
    questionnaire, the owner's buttons, the repeat in progress or the repeat form's title (with
    the organisation's name and today's date), how the assessment was made, the review link.
    """
    session = get_session()
    offer = repeat_offer()
    draft = offer["repeat_draft_for"](assessment)
    # the form's title is in the key; the form itself is built only when the head renders
    title = None if draft else offer["repeat_title_for"](assessment)
    provenance = onsite.provenance(session, assessment)
    can_review = onsite.may_review(session, assessment, current_user)
    repeat = (draft.id, draft.title) if draft else title
    key = (assessment.id, assessment.submitted_at, assessment.title, lang, str(get_timezone()))
    key += (q.key, id(q), can_reopen, repeat, provenance, can_review)

    def render(_csrf: str) -> str:
        return render_template(
            "assessments/_results_head.html",
            assessment=assessment,
            questionnaire_title=q.title.get(lang),
            questionnaire_version=q.version,
            repeat_draft=draft,
            # built anew while the fragment renders: a form takes its CSRF token when built
            repeat_form=offer["repeat_form_for"](assessment) if title else None,
            reopen_form=ActionForm(formdata=None),
            can_reopen=can_reopen,
            downloads=downloads(assessment, q, lang),
            provenance=provenance,
            can_review=can_review,
        )

    return Piece("results_heads", RESULTS_BODIES, key, render)
