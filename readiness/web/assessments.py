"""Blueprint "assessments": list, start, fill a pillar per page, review, submit, reopen, results."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_required
from markupsafe import Markup
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from readiness import jobs
from readiness.db import get_session
from readiness.domain.questionnaire import Questionnaire
from readiness.i18n import current_language
from readiness.models import Assessment
from readiness.services import accounts
from readiness.services import answer_input
from readiness.services import assessments as service
from readiness.services import onsite
from readiness.services import summaries
from readiness.services.benchmark import benchmark
from readiness.services.page_rows import ShownAssessment
from readiness.services.page_rows import assessment_row
from readiness.services.page_rows import result_row
from readiness.services.questionnaires import UnknownQuestionnaire
from readiness.services.report_model import questionnaire_label
from readiness.services.report_render import prerender_reports
from readiness.services.tree_results import tree_view
from readiness.web.access import has_role
from readiness.web.access import member_required
from readiness.web.access import user_memberships
from readiness.web.answer_text import describe_answer
from readiness.web.assessment_forms import StartForm
from readiness.web.assessment_forms import SubmitForm
from readiness.web.assessment_forms import answer_name
from readiness.web.assessment_forms import page_answers
from readiness.web.fill_page import conflict_rows
from readiness.web.fill_page import kept_body
from readiness.web.fill_page import live_body
from readiness.web.fill_page import next_pillar
from readiness.web.fill_page import save_valid_part
from readiness.web.fill_page import stored_body
from readiness.web.forms import ActionForm
from readiness.web.page_cache import Piece
from readiness.web.page_cache import digest
from readiness.web.page_digests import untouched_questions
from readiness.web.question_markup import section_form
from readiness.web.results_page import downloads
from readiness.web.results_page import results_body
from readiness.web.results_page import results_head
from readiness.web.template_helpers import kept_page

bp = Blueprint("assessments", __name__, url_prefix="/assessments")
LIST_PAGES = 64  # rendered pages of the assessment list kept per app
RESULTS_PAGES = 16  # whole results pages kept per app (each also keeps its head and body)
FILL_PAGES = 64  # whole questionnaire pages kept per app (per reader and state, about 45 KB)


def _lang() -> str:
    return current_language()


def _catalogue() -> Any:
    return current_app.extensions["catalogue"]


def _assessment(assessment_id: int, role: str) -> Assessment:
    """The assessment if the user's role allows (404 for other organisations, 403 for low roles)."""
    user_memberships()  # read once: the navigation and the role checks share them
    return service.get_assessment(get_session(), current_user, assessment_id, role)


def _draft_row(assessment_id: int) -> ShownAssessment:
    """As `_assessment(assessment_id, "editor")`, read as a row: the page only shows it."""
    user_memberships()  # read once: the navigation and the role check share them
    return assessment_row(get_session(), current_user, assessment_id, "editor")


def _may_edit(assessment: Assessment) -> bool:
    """Whether the signed-in user is an editor or owner of the assessment's organisation."""
    try:
        accounts.require_role(get_session(), current_user, assessment.organisation_id, "editor")
    except accounts.AccountError:
        return False
    return True


def _questionnaire(assessment: ShownAssessment) -> Questionnaire:
    try:
        return _catalogue().get(assessment.questionnaire_id, assessment.questionnaire_version)
    except UnknownQuestionnaire:
        abort(404)


def _answered_elsewhere(assessment: ShownAssessment) -> Response | None:
    """Where a draft is answered when not on these pages (respondents; another's evaluation)."""
    try:
        service.check_filler(assessment, current_user)
    except service.AnswersFromRespondents:
        return redirect(url_for("respondents.overview", assessment_id=assessment.id))
    except service.NotTheEvaluator:
        flash(_("The consultant fills in this on-site evaluation; review it later."), "info")
        return redirect(url_for(".index"))
    return None


def _has_role(assessment: Assessment, role: str) -> bool:
    return has_role(assessment.organisation_id, role)


@bp.route("/")
@member_required("viewer")
def index() -> str:
    """The active organisation's assessments."""
    number = request.args.get("page", 1, type=int)
    pager = summaries.assessment_page(get_session(), g.organisation.id, number)
    lang, catalogue = _lang(), _catalogue()
    can_edit = g.membership.role in ("editor", "owner")
    key = (lang, str(get_timezone()), id(catalogue), can_edit, digest(pager.items))

    def render(_csrf: str) -> str:
        titles = {q.key: questionnaire_label(q.title.get(lang), q.version) for q in catalogue.all()}
        return render_template(
            "assessments/_list_rows.html", assessments=pager.items, titles=titles, can_edit=can_edit
        )

    rows = Piece("assessment_list_rows", LIST_PAGES, key, render)
    page = (
        rows.key,
        pager.number,
        pager.pages,
        pager.total,
        g.organisation.id,
        g.organisation.name,
    )
    return kept_page(
        "assessment_lists",
        LIST_PAGES,
        (page, g.membership.role),
        lambda: render_template(
            "assessments/index.html", assessments=pager.items, pager=pager, rows=rows
        ),
    )


@bp.route("/new", methods=["GET", "POST"])
@member_required("editor")
def start() -> str | Response:
    """Start an assessment: choose the questionnaire version."""
    form = StartForm()
    choices = [
        (q.key, questionnaire_label(q.title.get(_lang()), q.version)) for q in _catalogue().all()
    ]
    form.questionnaire.choices = [SelectChoice(key, label) for key, label in choices]
    if not form.is_submitted():
        form.questionnaire.data = choices[-1][0] if choices else None
        form.title.data = _("Assessment of %(name)s", name=g.organisation.name)
    if form.validate_on_submit():
        qid, version = form.questionnaire.data.rsplit("@", 1)
        q = _catalogue().get(qid, int(version))
        assessment = service.start_assessment(
            get_session(), g.organisation, q, current_user, form.title.data, kind=form.kind.data
        )
        if assessment.kind == "respondents":
            flash(_("Assessment started. Now choose who responds."), "success")
            return redirect(url_for("respondents.overview", assessment_id=assessment.id))
        flash(_("Assessment started. Your answers are saved as a draft on every page."), "success")
        return redirect(url_for(".fill", assessment_id=assessment.id, pillar_id=q.pillars[0].id))
    existing = service.list_assessments(get_session(), g.organisation.id)
    drafts = [a for a in existing if a.status == "draft"]
    return render_template("assessments/start.html", form=form, first=not existing, drafts=drafts)


@bp.route("/<int:assessment_id>")
@login_required
def show(assessment_id: int) -> Response:
    """Open an assessment: its results once submitted, else its first pillar page."""
    assessment = _assessment(assessment_id, "viewer")
    if assessment.status == "submitted":
        return redirect(url_for(".results", assessment_id=assessment_id))
    if assessment.kind == "respondents":
        return redirect(url_for("respondents.overview", assessment_id=assessment_id))
    if not _may_edit(assessment):
        flash(
            _("This assessment is still being filled in; its results appear once it is submitted."),
            "info",
        )
        return redirect(url_for(".index"))
    first = _questionnaire(assessment).pillars[0].id
    return redirect(url_for(".fill", assessment_id=assessment_id, pillar_id=first))


@bp.route("/<int:assessment_id>/pillars/<pillar_id>", methods=["GET", "POST"])
@login_required
def fill(assessment_id: int, pillar_id: str) -> str | Response:
    """One pillar's questions: shows the stored answers and saves a draft on submit."""
    posted = request.method == "POST"
    assessment = _assessment(assessment_id, "editor") if posted else _draft_row(assessment_id)
    if assessment.status != "draft":
        flash(_("This assessment is submitted; its answers are locked."), "info")
        return redirect(url_for(".results", assessment_id=assessment_id))
    elsewhere = _answered_elsewhere(assessment)
    if elsewhere is not None:
        return elsewhere
    q = _questionnaire(assessment)
    if q.pillar(pillar_id) is None:
        abort(404)
    if posted:
        return _save_page(assessment, q, pillar_id)
    lang = _lang()
    body = kept_body(assessment, q, pillar_id, lang)
    # kept whole: the body's key names all the page shows besides the header (kept_page's part)
    return kept_page(
        "questionnaire_pages",
        FILL_PAGES,
        body.key,
        lambda: _pillar_page(assessment, q, pillar_id, lang, body),
    )


def _save_page(assessment: Assessment, q: Questionnaire, pillar_id: str) -> str | Response:
    """Parse and validate a pillar page with WTForms and save what it can.

    Saved without conflicts: on to the page asked for. Conflicts: the answers as stored now
    and the conflicts. Errors: the valid answers saved, the form shown live as typed.
    """
    lang = _lang()
    form_class = section_form(q, pillar_id, lang)
    form = form_class()
    if form.validate_on_submit():
        page = page_answers(form)
        outcome = service.save_answers(
            get_session(),
            assessment,
            q,
            page,
            form.base_revision.data,
            current_user,
            untouched=untouched_questions(form, page),
        )
        if outcome.conflicts:
            conflicts = conflict_rows(q, outcome.conflicts, lang)
            body = stored_body(assessment, q, pillar_id, lang, conflicts)
            return _pillar_page(assessment, q, pillar_id, lang, body)
        flash(_("Draft saved."), "success")
        nxt = next_pillar(q, pillar_id)
        if form.save_next.data:
            if nxt:
                return redirect(url_for(".fill", assessment_id=assessment.id, pillar_id=nxt))
            return redirect(url_for(".review", assessment_id=assessment.id))
        return redirect(url_for(".fill", assessment_id=assessment.id, pillar_id=pillar_id))
    conflicts, partial = [], None
    if not {"csrf_token", "base_revision"} & set(form.errors):
        conflicts, partial = save_valid_part(form, form_class, assessment, q, lang)
    body = live_body(form, assessment, q, pillar_id, lang, conflicts, partial)
    return _pillar_page(assessment, q, pillar_id, lang, body)


def _pillar_page(
    assessment: ShownAssessment, q: Questionnaire, pillar_id: str, lang: str, body: Any
) -> str:
    """The questionnaire page around its body (a kept Piece, or HTML rendered for a POST)."""
    if isinstance(body, str):
        body = Markup(body)  # noqa: S704 - rendered by our autoescaping templates
    return render_template(
        "assessments/fill.html",
        assessment=assessment,
        pillar=q.pillar(pillar_id),
        lang=lang,
        body=body,
    )


@bp.route("/<int:assessment_id>/review")
@login_required
def review(assessment_id: int, form: SubmitForm | None = None) -> str | Response:
    """What is still unanswered, with links, and the submit button."""
    assessment = _assessment(assessment_id, "editor")
    if assessment.status != "draft":
        return redirect(url_for(".results", assessment_id=assessment_id))
    elsewhere = _answered_elsewhere(assessment)
    if elsewhere is not None:
        return elsewhere
    q = _questionnaire(assessment)
    progress = answer_input.progress(get_session(), assessment, q)
    form = form or SubmitForm(formdata=None)
    return render_template(
        "assessments/review.html",
        assessment=assessment,
        questionnaire=q,
        progress=progress,
        answers=_review_rows(assessment, q),
        form=form,
        lang=_lang(),
        answer_name=answer_name,
    )


def _review_rows(assessment: Assessment, q: Questionnaire) -> dict[str, list[dict[str, Any]]]:
    """Per pillar, every question with its answer as text and its status, for the review page."""
    stored = service.load_answers(get_session(), assessment)
    lang = _lang()
    rows: dict[str, list[dict[str, Any]]] = {}
    for pillar in q.pillars:
        rows[pillar.id] = []
        for question in q.questions_of(pillar.id):
            given = service.page_answer(stored.get(question.id))
            rows[pillar.id].append(
                {
                    "question": question,
                    "text": question.text.get(lang),
                    "answer": describe_answer(question, given, lang),
                    "status": given.status or "unanswered",
                    "anchor": answer_name(question.id),
                }
            )
    return rows


@bp.route("/<int:assessment_id>/submit", methods=["POST"])
@login_required
def submit(assessment_id: int) -> str | Response:
    """Submit: lock the answers and store the scored result (confirmation needed if incomplete)."""
    assessment = _assessment(assessment_id, "editor")
    if assessment.status != "draft":
        return redirect(url_for(".results", assessment_id=assessment_id))
    elsewhere = _answered_elsewhere(assessment)
    if elsewhere is not None:
        return elsewhere
    q = _questionnaire(assessment)
    form = SubmitForm()
    form.incomplete = bool(answer_input.progress(get_session(), assessment, q).unanswered)
    if not form.validate_on_submit():
        return review(assessment_id, form=form)
    try:
        service.submit(get_session(), assessment, q, current_user, confirm_incomplete=True)
    except service.AssessmentLocked:  # submitted meanwhile (a double click, another editor)
        return redirect(url_for(".results", assessment_id=assessment_id))
    except service.NotApplicableWithoutReason as exc:
        titles = "; ".join(q.question(qid).text.get(_lang()) for qid in exc.questions)
        flash(_('Say in a comment why "not applicable" holds for: %(q)s', q=titles), "error")
        return review(assessment_id, form=form)
    jobs.enqueue(prerender_reports, assessment.id)  # so that the first PDF download is instant
    flash(_("Assessment submitted. Here are your results."), "success")
    return redirect(url_for(".results", assessment_id=assessment_id))


@bp.route("/<int:assessment_id>/reopen", methods=["POST"])
@login_required
def reopen(assessment_id: int) -> Response:
    """Reopen a submitted assessment for changes (owners only)."""
    assessment = _assessment(assessment_id, "owner")
    if ActionForm().validate_on_submit() and assessment.status == "submitted":
        service.reopen(get_session(), assessment, current_user)
        flash(_("Assessment reopened: its answers can be changed again."), "success")
    return redirect(url_for(".show", assessment_id=assessment_id))


@bp.route("/<int:assessment_id>/results")
@login_required
def results(assessment_id: int) -> str | Response:
    """The stored result: scores, levels, coverage, recommendations, roadmap, next steps."""
    user_memberships()  # read once: the navigation and the role checks share them
    shown = result_row(get_session(), current_user, assessment_id, "viewer")
    if shown.status != "submitted":
        flash(_("This assessment has not been submitted yet, so it has no results."), "info")
        return redirect(url_for(".index"))
    q = _questionnaire(shown)
    lang = _lang()
    # a row of the columns the page reads; the ORM object where more is read (the tree results,
    # an on-site evaluation's evaluator and reviews)
    assessment: Any = shown
    if q.is_tree or shown.kind == onsite.KIND:
        assessment = get_session().get(Assessment, shown.id)
    if q.is_tree:
        return render_template(
            "assessments/tree_results.html",
            assessment=assessment,
            tv=tree_view(q, service.stored_result(get_session(), assessment, lang), lang),
            reopen_form=ActionForm(formdata=None),
            can_reopen=_has_role(assessment, "owner"),
            downloads=downloads(assessment, q, lang),
        )
    head = results_head(assessment, q, lang, _has_role(assessment, "owner"))
    body = results_body(assessment, q, lang, _has_role(assessment, "editor"))
    peer_groups = benchmark(get_session(), assessment)
    # kept whole: the head and body keys name what they show, the benchmark moves with peers
    key = (head.key, body.key, digest(peer_groups))
    return kept_page(
        "results_pages",
        RESULTS_PAGES,
        key,
        lambda: render_template(
            "assessments/results.html",
            assessment=assessment,
            head=head,
            body=body,
            peer_groups=peer_groups,
            pillar_titles=[(p.id, p.title.get(lang)) for p in q.pillars],
        ),
    )
