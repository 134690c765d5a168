"""The questionnaire page's body: kept under everything it shows, else filled from the answers.

Showing a pillar's questions builds no WTForms form: the question markup is kept blank per
(questionnaire, pillar, language) and filled with the stored answers (web/question_markup.py).
The whole body (progress, questions, plan links, "last time" and prefilled marks, the hidden
revision and digests) is kept under a key naming all of it: the assessment, its title and
revision, the questionnaire, pillar and language, and a digest of the pillar's answers, the
progress counts, the earlier answers, the prefilled sources and the linked plan actions; the
reader's CSRF token is put in after the cache; `assessments.fill` keeps the whole page around
it (kept_page) under the same key and the reader's header. The body shows nothing that depends
on the reader's role (only editors reach it; the role is checked before). A submission is
parsed and validated by WTForms; a page with errors renders its form live, as typed.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask import render_template
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from readiness.db import get_session
from readiness.domain.questionnaire import Questionnaire
from readiness.models import Assessment
from readiness.services import answer_input
from readiness.services import assessments as service
from readiness.services.comparisons import previous_answers
from readiness.services.crosswalk_prefill import prefilled_rows
from readiness.services.page_rows import ShownAssessment
from readiness.services.page_rows import StoredAnswer
from readiness.services.page_rows import answer_rows
from readiness.services.plan_loop import linked_by_question
from readiness.web.answer_text import describe_answer
from readiness.web.assessment_forms import answer_name
from readiness.web.assessment_forms import field_names
from readiness.web.assessment_forms import form_data
from readiness.web.assessment_forms import held_back_notes
from readiness.web.assessment_forms import invalid_questions
from readiness.web.assessment_forms import valid_page_answers
from readiness.web.page_cache import Piece
from readiness.web.page_cache import digest
from readiness.web.page_digests import loaded_digests
from readiness.web.page_digests import untouched_questions
from readiness.web.question_markup import answered_sections
from readiness.web.question_markup import filled_controls

BODY = "assessments/_fill_body.html"
FILL_BODIES = 32  # kept questionnaire page bodies per app (about 40 KB each; one per state)


def next_pillar(q: Questionnaire, pillar_id: str) -> str | None:
    """The pillar after `pillar_id`, or None on the last one."""
    pillars = [p.id for p in q.pillars]
    index = pillars.index(pillar_id)
    return pillars[index + 1] if index + 1 < len(pillars) else None


def page_context(
    assessment: ShownAssessment,
    q: Questionnaire,
    pillar_id: str,
    lang: str,
    stored: dict[str, StoredAnswer],
) -> dict[str, Any]:
    """What a pillar page shows besides its inputs (`stored`: the assessment's answers)."""
    session, catalogue = get_session(), current_app.extensions["catalogue"]
    prefilled = prefilled_rows(session, assessment, q, catalogue, lang, stored)
    return {
        "assessment": assessment,
        "questionnaire": q,
        "pillar": q.pillar(pillar_id),
        "next_pillar": next_pillar(q, pillar_id),
        "progress": answer_input.progress(session, assessment, q, stored),
        "lang": lang,
        "answer_name": answer_name,
        "field_names": field_names,
        "previous": _previous(assessment, q, pillar_id, lang),
        "plan_links": linked_by_question(session, assessment, q),
        "prefilled": {
            qid: source for qid, source in prefilled.items() if q.question(qid).pillar == pillar_id
        },
    }


def _previous(
    assessment: Assessment, q: Questionnaire, pillar_id: str, lang: str
) -> dict[str, str]:
    """What the assessment this one repeats answered to the pillar's questions, as text.

    Read against the question it answered (a version-1 question mapped to a version-2 ID), and
    saying so when the question now asks something else.
    """
    questions = q.questions_of(pillar_id)
    catalogue = current_app.extensions["catalogue"]
    earlier = previous_answers(get_session(), assessment, catalogue, [x.id for x in questions])
    hints = {}
    for x in questions:
        e = earlier.get(x.id)
        if e is None or e.answer.status is None:
            continue
        text = describe_answer(e.question, e.answer, lang)
        if e.redefined:
            asked = e.question.text.get(lang)
            text = _(
                "%(answer)s (to a question asked differently: %(question)s)",
                answer=text,
                question=asked,
            )
        hints[x.id] = text
    return hints


def kept_body(assessment: ShownAssessment, q: Questionnaire, pillar_id: str, lang: str) -> Piece:
    """The page body showing the stored answers, kept under everything it shows."""
    stored = answer_rows(get_session(), assessment.id)
    context = page_context(assessment, q, pillar_id, lang, stored)
    questions = q.questions_of(pillar_id)
    state = (
        assessment.title,
        assessment.revision,
        [tuple(stored[x.id]) if x.id in stored else None for x in questions],  # type: ignore[arg-type]
        context["progress"].pillars,  # the overall count is their sum
        context["previous"],
        context["prefilled"],
        context["plan_links"],
    )
    key = (assessment.id, q.key, id(q), pillar_id, lang, digest(state))

    def render(_csrf: str) -> str:
        return answered_body(
            {x.id: service.page_answer(stored.get(x.id)) for x in questions}, context
        )

    return Piece("questionnaire_bodies", FILL_BODIES, key, render)


def answered_body(
    shown: dict[str, service.PageAnswer],
    context: dict[str, Any],
    conflicts: list[dict[str, str]] | None = None,
) -> str:
    """The page body showing the answers `shown` (the stored ones), with no form bound."""
    q, pillar, lang = context["questionnaire"], context["pillar"], context["lang"]
    questions = q.questions_of(pillar.id)
    revision = str(context["assessment"].revision)
    return render_template(
        BODY,
        form=None,
        questions=questions,
        filled=answered_sections(q, pillar.id, lang, shown, context["previous"]),
        controls=filled_controls(q, pillar.id, lang, revision, loaded_digests(questions, shown)),
        conflicts=conflicts or [],
        partial=None,
        **context,
    )


def stored_body(
    assessment: Assessment,
    q: Questionnaire,
    pillar_id: str,
    lang: str,
    conflicts: list[dict[str, str]],
) -> str:
    """The body after a save that met conflicts: the answers as stored now, and the conflicts."""
    stored = answer_rows(get_session(), assessment.id)
    context = page_context(assessment, q, pillar_id, lang, stored)
    shown = {x.id: service.page_answer(stored.get(x.id)) for x in q.questions_of(pillar_id)}
    return answered_body(shown, context, conflicts)


def live_body(
    form: FlaskForm,
    assessment: Assessment,
    q: Questionnaire,
    pillar_id: str,
    lang: str,
    conflicts: list[dict[str, str]],
    partial: dict[str, int] | None,
) -> str:
    """The body of a submission with errors: its form rendered live, with what was typed."""
    stored = answer_rows(get_session(), assessment.id)
    context = page_context(assessment, q, pillar_id, lang, stored)
    return render_template(
        BODY,
        form=form,
        questions=q.questions_of(pillar_id),
        filled=None,
        controls=None,
        conflicts=conflicts,
        partial=partial,
        **context,
    )


def stored_form(form_class: type, assessment: Assessment) -> Any:
    """The page's form holding the stored answers, its revision and their digests."""
    stored = answer_rows(get_session(), assessment.id)
    shown = {k: service.page_answer(v) for k, v in stored.items()}
    data = form_data(form_class.questions, shown)  # type: ignore[attr-defined]
    loaded = loaded_digests(form_class.questions, shown)  # type: ignore[attr-defined]
    return form_class(
        formdata=None, data={**data, "base_revision": assessment.revision, "loaded": loaded}
    )


def conflict_rows(
    q: Questionnaire, conflicts: list[service.Conflict], lang: str
) -> list[dict[str, str]]:
    """The conflicts of a save as the page lists them."""
    return [
        {
            "question": q.question(c.question_id).text.get(lang),
            "anchor": answer_name(c.question_id),
            "theirs": describe_answer(q.question(c.question_id), c.theirs, lang),
            "yours": describe_answer(q.question(c.question_id), c.yours, lang),
            "who": c.who or _("someone"),
            "when": format_datetime(c.when),
        }
        for c in conflicts
    ]


def save_valid_part(
    form: Any, form_class: type, assessment: Assessment, q: Questionnaire, lang: str
) -> tuple[list[dict[str, str]], dict[str, int]]:
    """Save the valid answers of a page with errors; the invalid ones stay in the form as typed.

    Conflicting answers, and those the user left as shown, are shown as stored now (theirs, if
    someone saved meanwhile), like after a full save; the form's `loaded` digests follow what is
    stored now. Returns the conflict rows and the counts of answers saved and still needing
    correction; the notes of the questions needing correction are saved too (`notes`: 1 saved,
    -1 not saved, 0 none).
    """
    held_back = invalid_questions(form)
    valid = valid_page_answers(form)
    notes = held_back_notes(form)
    untouched = untouched_questions(form, valid)
    outcome = service.save_answers(
        get_session(),
        assessment,
        q,
        valid,
        form.base_revision.data,
        current_user,
        held_back,
        notes,
        untouched,
    )
    form.base_revision.data = outcome.page_revision
    form.base_revision.raw_data = [str(outcome.page_revision)]
    conflicted = {c.question_id for c in outcome.conflicts}
    stored = stored_form(form_class, assessment)
    refresh = conflicted | set(untouched)
    for name in (n for qid in refresh for n in field_names(qid).values() if n in form):
        form[name].data, form[name].raw_data, form[name].errors = stored[name].data, [], []
    form.loaded.data, form.loaded.raw_data = stored.loaded.data, [stored.loaded.data]
    saved = sum(1 for qid, given in valid.items() if not given.is_empty and qid not in conflicted)
    typed = any(c or e for c, e in notes.values())
    kept = 0 if not typed else 1 if outcome.notes_kept else -1
    return conflict_rows(q, outcome.conflicts, lang), {
        "saved": saved,
        "invalid": len(held_back),
        "notes": kept,
    }
