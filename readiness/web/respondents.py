"""Blueprint "respondents": assign respondents, answer one's own part, consolidate and submit."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_required
from werkzeug.wrappers import Response

from readiness import jobs
from readiness.db import get_session
from readiness.domain.questionnaire import Questionnaire
from readiness.i18n import current_language
from readiness.models import Assessment
from readiness.models import Respondent
from readiness.services import accounts
from readiness.services import assessments
from readiness.services import organisations
from readiness.services import respondents as service
from readiness.services.answer_input import PageAnswer
from readiness.services.questionnaires import UnknownQuestionnaire
from readiness.services.report_render import prerender_reports
from readiness.web.answer_text import describe_answer
from readiness.web.assessment_forms import answer_name
from readiness.web.assessment_forms import field_names
from readiness.web.assessment_forms import form_data
from readiness.web.assessment_forms import page_answers
from readiness.web.collaboration_forms import SettleForm
from readiness.web.collaboration_forms import assign_form
from readiness.web.collaboration_forms import assignments
from readiness.web.collaboration_forms import encode
from readiness.web.collaboration_forms import settle_choices
from readiness.web.collaboration_forms import settled_answer
from readiness.web.forms import ActionForm
from readiness.web.page_digests import loaded_digests
from readiness.web.page_digests import untouched_questions
from readiness.web.question_markup import filled_sections
from readiness.web.question_markup import section_form

bp = Blueprint("respondents", __name__, url_prefix="/assessments")


def _assessment(assessment_id: int, role: str = "viewer") -> Assessment:
    """A several-respondent assessment the user may see with `role` (404 for any other kind)."""
    assessment = assessments.get_assessment(get_session(), current_user, assessment_id, role)
    if assessment.kind != service.KIND:
        abort(404)
    return assessment


def _questionnaire(assessment: Assessment) -> Questionnaire:
    try:
        return current_app.extensions["catalogue"].get(
            assessment.questionnaire_id, assessment.questionnaire_version
        )
    except UnknownQuestionnaire:
        abort(404)


def _is_owner(assessment: Assessment) -> bool:
    try:
        accounts.require_role(get_session(), current_user, assessment.organisation_id, "owner")
    except accounts.Forbidden:
        return False
    return True


@bp.route("/<int:assessment_id>/respondents", methods=["GET", "POST"])
@login_required
def overview(assessment_id: int) -> str | Response:
    """Who responds and how far they are; the owner chooses the respondents and their pillars."""
    assessment = _assessment(assessment_id)
    q, lang, session = _questionnaire(assessment), current_language(), get_session()
    members = {
        m.user_id: m.user.name
        for m in organisations.members_of(session, assessment.organisation_id)
    }
    form_class = assign_form(members, [(p.id, p.title.get(lang)) for p in q.pillars])
    current = service.respondents_of(session, assessment)
    form = form_class(
        data={f"member_{r.user_id}": True for r in current}
        | {f"pillars_{r.user_id}": r.pillars or [] for r in current}
    )
    if form.is_submitted():
        assessment = _assessment(assessment_id, "owner")
        if form.validate():
            service.assign(session, assessment, current_user, assignments(form, members))
            flash(_("Respondents saved."), "success")
            return redirect(url_for(".overview", assessment_id=assessment_id))
    return render_template(
        "respondents/overview.html",
        assessment=assessment,
        questionnaire=q,
        respondents=current,
        mine=next((r for r in current if r.user_id == current_user.id), None),
        form=form if _is_owner(assessment) else None,
        members=members,
        lang=lang,
    )


def _own(assessment_id: int) -> tuple[Assessment, Respondent, Questionnaire]:
    assessment = _assessment(assessment_id)
    respondent = service.respondent_for(get_session(), assessment, current_user)
    return assessment, respondent, _questionnaire(assessment)


def _own_form(form_class: type, respondent: Respondent) -> Any:
    shown = {
        k: assessments.page_answer(v)
        for k, v in service.own_answers(get_session(), respondent).items()
    }  # type: ignore[arg-type]
    data = form_data(form_class.questions, shown)
    loaded = loaded_digests(form_class.questions, shown)
    return form_class(
        formdata=None, data={**data, "base_revision": respondent.revision, "loaded": loaded}
    )


def _progress(respondent: Respondent, q: Questionnaire) -> dict[str, tuple[int, int]]:
    """Per pillar of the respondent: (answered, total) of their own answers."""
    own = service.own_answers(get_session(), respondent)
    done = {k for k, v in own.items() if assessments.page_answer(v).status is not None}  # type: ignore[arg-type]
    return {
        p: (sum(1 for x in q.questions_of(p) if x.id in done), len(q.questions_of(p)))
        for p in service.pillars_of(respondent, q)
    }


@bp.route("/<int:assessment_id>/my-answers")
@login_required
def my_part(assessment_id: int) -> str:
    """The respondent's own part: their pillars, progress and the button to submit it."""
    assessment, respondent, q = _own(assessment_id)
    return render_template(
        "respondents/my_part.html",
        assessment=assessment,
        respondent=respondent,
        questionnaire=q,
        progress=_progress(respondent, q),
        form=ActionForm(formdata=None),
        lang=current_language(),
    )


@bp.route("/<int:assessment_id>/my-answers/<pillar_id>", methods=["GET", "POST"])
@login_required
def answer(assessment_id: int, pillar_id: str) -> str | Response:
    """One pillar of the respondent's own answers; nobody else sees them until submitted."""
    assessment, respondent, q = _own(assessment_id)
    if pillar_id not in service.pillars_of(respondent, q):
        abort(404)
    if respondent.submitted_at is not None or assessment.status != "draft":
        flash(_("Your part is submitted; its answers are locked."), "info")
        return redirect(url_for(".my_part", assessment_id=assessment_id))
    lang = current_language()
    form_class = section_form(q, pillar_id, lang)
    form = form_class()
    if form.validate_on_submit():
        page = page_answers(form)
        outcome = service.save_own_answers(
            get_session(),
            respondent,
            q,
            page,
            form.base_revision.data,
            current_user,
            untouched_questions(form, page),
        )
        if outcome.conflicts:
            flash(_("Some answers changed in another window meanwhile; those were kept."), "error")
        else:
            flash(_("Draft saved."), "success")
        pillars = service.pillars_of(respondent, q)
        index = pillars.index(pillar_id)
        if form.save_next.data and not outcome.conflicts:
            if index + 1 < len(pillars):
                return redirect(
                    url_for(".answer", assessment_id=assessment_id, pillar_id=pillars[index + 1])
                )
            return redirect(url_for(".my_part", assessment_id=assessment_id))
        return redirect(url_for(".answer", assessment_id=assessment_id, pillar_id=pillar_id))
    if not form.is_submitted():
        form = _own_form(form_class, respondent)
    return render_template(
        "respondents/answer.html",
        assessment=assessment,
        questionnaire=q,
        pillar=q.pillar(pillar_id),
        form=form,
        filled=filled_sections(form, q, pillar_id, lang),
        progress=_progress(respondent, q),
        field_names=field_names,
        lang=lang,
    )


@bp.route("/<int:assessment_id>/my-answers/submit", methods=["POST"])
@login_required
def submit_part(assessment_id: int) -> Response:
    """Submit the respondent's own part: it locks and the others may see it."""
    _assessment_, respondent, _q = _own(assessment_id)
    if ActionForm().validate_on_submit():
        try:
            service.submit_part(get_session(), respondent, current_user)
            flash(_("Your part is submitted. Thank you."), "success")
        except assessments.AssessmentLocked:
            flash(_("Your part is already submitted."), "info")
    return redirect(url_for(".my_part", assessment_id=assessment_id))


def _consolidation_rows(
    assessment: Assessment, q: Questionnaire, rows: list[service.QuestionConsolidation]
) -> list[dict[str, Any]]:
    """Per question: text, every respondent's answer and level, spread, settle form."""
    lang = current_language()
    names = {r.id: r.user.name for r in service.respondents_of(get_session(), assessment)}
    out = []
    for row in rows:
        question = q.question(row.question_id)
        given = [(names.get(rid, "?"), a) for rid, a in row.given.items()]
        form = SettleForm(formdata=None, prefix=answer_name(row.question_id))
        form.answer.choices = settle_choices(question, given, lang)
        if row.consolidated.status is not None:  # preselect what would be submitted now
            current = row.consolidated
            form.answer.data = encode(PageAnswer(current.status, current.value))
        out.append(
            {
                "row": row,
                "question": question,
                "text": question.text.get(lang),
                "pillar": question.pillar,
                "given": [
                    (name, describe_answer(question, a, lang), row.spread.levels.get(rid))
                    for (rid, a), (name, _a) in zip(row.given.items(), given, strict=True)
                ],
                "consolidated": describe_answer(question, row.consolidated, lang),
                "form": form,
                "anchor": answer_name(row.question_id),
            }
        )
    return out


@bp.route("/<int:assessment_id>/consolidation")
@login_required
def consolidation(assessment_id: int) -> str:
    """Every submitted respondent's answers per question, the spread, disagreements flagged."""
    assessment = _assessment(assessment_id)
    q = _questionnaire(assessment)
    rows = service.consolidation(get_session(), assessment, q, current_user)
    everyone = service.respondents_of(get_session(), assessment)
    return render_template(
        "respondents/consolidation.html",
        assessment=assessment,
        questionnaire=q,
        rows=_consolidation_rows(assessment, q, rows),
        pending=[r.user.name for r in everyone if r.submitted_at is None],
        disputed=sum(1 for r in rows if r.spread.disputed),
        unsettled=sum(1 for r in rows if r.needs_settling),
        can_settle=_is_owner(assessment) and assessment.status == "draft",
        submit_form=ActionForm(formdata=None),
        lang=current_language(),
    )


@bp.route("/<int:assessment_id>/consolidation/<question_id>", methods=["POST"])
@login_required
def settle(assessment_id: int, question_id: str) -> Response:
    """Settle one question: the consolidated answer and a note (owners)."""
    assessment = _assessment(assessment_id, "owner")
    q = _questionnaire(assessment)
    question = q.question(question_id)
    if question is None:
        abort(404)
    form = SettleForm(prefix=answer_name(question_id))
    form.answer.choices = settle_choices(question, [], current_language())
    form.answer.validate_choice = False  # respondents' own answers are offered too
    given = settled_answer(form) if form.validate_on_submit() else None
    if given is None:
        flash(_("Choose an answer and say in a note why."), "error")
    else:
        try:
            service.settle(
                get_session(), assessment, q, current_user, question_id, given, form.note.data
            )
            flash(_("Answer settled."), "success")
        except (assessments.InvalidAnswer, service.NoteRequired):
            flash(_("Choose an answer and say in a note why."), "error")
        except assessments.AssessmentLocked:
            flash(_("This assessment is already submitted."), "info")
    target = url_for(".consolidation", assessment_id=assessment_id)
    return redirect(f"{target}#{answer_name(question_id)}")


@bp.route("/<int:assessment_id>/consolidation/submit", methods=["POST"])
@login_required
def submit(assessment_id: int) -> Response:
    """Submit the consolidated answers: scored as any assessment (owners)."""
    assessment = _assessment(assessment_id, "owner")
    q = _questionnaire(assessment)
    target = url_for(".consolidation", assessment_id=assessment_id)
    if not ActionForm().validate_on_submit():
        return redirect(target)
    try:
        service.submit_consolidated(get_session(), assessment, q, current_user)
    except service.RespondentsPending as exc:
        get_session().rollback()
        flash(
            _("Not every respondent has submitted: %(names)s", names=", ".join(exc.names) or "—"),
            "error",
        )
        return redirect(target)
    except service.Unsettled as exc:
        get_session().rollback()
        flash(_("%(n)d disagreements still need settling.", n=len(exc.questions)), "error")
        return redirect(target)
    except assessments.NotApplicableWithoutReason:
        get_session().rollback()
        flash(_('Some "not applicable" answers need a reason: settle them with a note.'), "error")
        return redirect(target)
    except assessments.AssessmentLocked:
        get_session().rollback()
        return redirect(url_for("assessments.results", assessment_id=assessment_id))
    jobs.enqueue(prerender_reports, assessment.id)
    flash(_("Consolidated assessment submitted. Here are the results."), "success")
    return redirect(url_for("assessments.results", assessment_id=assessment_id))
