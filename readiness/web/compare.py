"""Blueprint "compare": history of assessments, repeat with prefill, comparison pages and report."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint
from flask import Response
from flask import abort
from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import format_date
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import StringField
from wtforms import SubmitField
from wtforms.validators import DataRequired
from wtforms.validators import Length

from readiness.db import get_session
from readiness.domain.questionnaire import Questionnaire
from readiness.i18n import current_language
from readiness.models import Assessment
from readiness.services import comparisons as service
from readiness.services import summaries
from readiness.services.comparison_exports import comparison_rows
from readiness.services.comparison_exports import localised_header
from readiness.services.comparison_exports import series_rows
from readiness.services.comparison_exports import to_csv
from readiness.services.comparison_render import render_comparison_html
from readiness.services.comparison_render import render_comparison_pdf
from readiness.services.comparison_view import PairView
from readiness.services.comparison_view import SeriesView
from readiness.services.comparison_view import history_chart
from readiness.services.comparison_view import pair_view
from readiness.services.comparison_view import series_view
from readiness.services.isolation import run_isolated
from readiness.services.plan_loop import plan_rows
from readiness.services.plan_loop import with_plan
from readiness.services.questionnaires import UnknownQuestionnaire
from readiness.services.spreadsheets import BOM
from readiness.services.tree_comparison import NotTreeComparable
from readiness.services.tree_comparison import TreeComparison
from readiness.services.tree_comparison import compare_trees
from readiness.services.tree_comparison import tree_comparison_rows
from readiness.web.access import current_membership
from readiness.web.access import member_required
from readiness.web.forms import BaseForm
from readiness.web.page_cache import Piece
from readiness.web.page_cache import app_cache
from readiness.web.page_cache import digest
from readiness.web.template_helpers import kept_page

bp = Blueprint("compare", __name__, url_prefix="/compare")
COMPARISONS = 32  # computed comparisons of recent submissions kept per app
HISTORY_PAGES = 32  # rendered history pages (chart and table) kept per app
REPEAT_TITLES = 64  # default titles of a repeat (organisation, day, language) kept per app
DOWNLOADS = {  # complete Content-Type headers
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
}


class RepeatForm(BaseForm):
    """Repeat the latest submitted assessment as a new, prefilled draft."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Repeat the assessment"))


def _lang() -> str:
    return current_language()


def default_repeat_title(organisation: str) -> str:
    """A title for a repeat that tells it from the last one: the organisation and today's date.

    Kept per organisation name, day and language (every results and history view of an editor
    asks for it, and formatting a date with Babel costs more than the rest of the title).
    """
    day = date.today()

    def make() -> str:
        today = format_date(day, "long")
        return _("Assessment of %(name)s, %(date)s", name=organisation, date=today)

    key = (organisation, day, current_language())
    return app_cache("repeat_titles", REPEAT_TITLES).get_or_make(key, make)


@bp.app_context_processor
def repeat_offer() -> dict[str, Any]:
    """Templates get repeat_form_for(assessment): a RepeatForm for editors of its latest one."""

    def state(assessment: Any) -> tuple[int | None, service.DraftRef | None]:
        """The latest submission's ID and the draft repeating `assessment`, read once."""
        memo = g.setdefault("repeat_state", {})
        key = (assessment.organisation_id, assessment.id)
        if key not in memo:
            memo[key] = service.repeat_state(get_session(), *key)
        return memo[key]

    def repeat_draft_for(assessment: Any) -> Any:
        """The draft already repeating `assessment` (the latest submitted one), for editors."""
        membership = current_membership()
        if membership is None or membership.organisation_id != assessment.organisation_id:
            return None
        if membership.role not in ("editor", "owner"):
            return None
        return state(assessment)[1]  # only the latest submitted one is repeated

    def repeat_title_for(assessment: Any) -> str | None:
        """The title a repeat of `assessment` would get, or None when no repeat is offered."""
        # None unless it is the active organisation's latest submitted assessment and the user
        # may edit there: POST /compare/repeat always repeats the active organisation's latest.
        membership = current_membership()
        if (
            membership is None
            or membership.organisation_id != assessment.organisation_id
            or membership.role not in ("editor", "owner")
        ):
            return None
        if state(assessment)[0] != assessment.id:
            return None
        return default_repeat_title(membership.organisation.name)

    def repeat_form_for(assessment: Any) -> RepeatForm | None:
        title = repeat_title_for(assessment)
        if title is None:
            return None
        form = RepeatForm(formdata=None)
        form.title.data = title
        return form

    return {
        "repeat_form_for": repeat_form_for,
        "repeat_draft_for": repeat_draft_for,
        "repeat_title_for": repeat_title_for,
    }


def _catalogue() -> Any:
    return current_app.extensions["catalogue"]


def _known(questionnaire_id: str, version: int) -> Questionnaire | None:
    """The questionnaire version if this server has it, else None."""
    try:
        return _catalogue().get(questionnaire_id, version)
    except UnknownQuestionnaire:
        return None


def _plain(rows: Any) -> tuple[tuple[Any, ...], ...]:
    """Rows as plain tuples, for a cache key (they compare much faster than SQLAlchemy Rows)."""
    return tuple(map(tuple, rows))


@bp.route("/history")
@member_required("viewer")
def history() -> str:
    """The organisation's assessments over time (a page), trend chart, repeat and compare."""
    session, catalogue, lang, org = get_session(), _catalogue(), _lang(), g.organisation
    points = summaries.trend_rows(session, org.id)  # the pillar scores: if rendered
    total = points[-1].total if points else None  # else counted
    pager = summaries.history_page(session, org.id, request.args.get("page", type=int), total=total)
    can_repeat = g.membership.role in ("editor", "owner") and bool(points)
    draft = summaries.open_repeat(points) if can_repeat else None
    # Kept under everything it shows: the rows of this page and the chart's points as read (a
    # submission's scores never change: its ID and submission time stand for them), the
    # organisation's name, the repeat offer (role, open draft, today's date in its title), the
    # language, time zone and questionnaires.
    key = (org.id, org.name, lang, str(get_timezone()), id(catalogue), date.today())
    key += (can_repeat, draft, pager.number, pager.pages, pager.total)
    key += (_plain(pager.items), _plain(points))

    def render(_csrf: str) -> str:
        rows = service.history(pager.items, catalogue, lang)
        scored = summaries.trend(session, org.id, rows=points)
        known = [
            (p, q) for p in scored if (q := _known(p.questionnaire_id, p.questionnaire_version))
        ]
        # the chart's scale is 0-100 with pillars: format-2 results (native scales) stay out of it
        known = [(p, q) for p, q in known if not q.is_tree]
        chart = history_chart([p for p, _q in known], [q for _p, q in known], lang)
        repeat_form = RepeatForm(formdata=None)
        repeat_form.title.data = default_repeat_title(org.name)  # its name and today's date
        head = render_template(
            "compare/_history_head.html",
            organisation_name=org.name,
            repeat_form=repeat_form,
            can_repeat=can_repeat,
            repeat_draft=draft,
        )
        body = render_template("compare/_history_body.html", rows=rows, pager=pager, chart=chart)
        return head + body

    content = Piece("history_pages", HISTORY_PAGES, key, render)
    return kept_page(
        "history_kept",
        HISTORY_PAGES,
        key,
        lambda: render_template("compare/history.html", content=content),
    )


@bp.route("/repeat", methods=["POST"])
@member_required("editor")
def repeat() -> Response:
    """Start a new draft prefilled from the latest submitted assessment."""
    form = RepeatForm()
    if not form.validate_on_submit():
        flash(_("Give the new assessment a title (at most 200 characters)."), "error")
        return redirect(url_for(".history"))
    try:
        draft, skipped = service.repeat_assessment(
            get_session(), g.organisation, current_user, _catalogue(), form.title.data
        )
    except service.NothingToRepeat:
        flash(_("There is no submitted assessment to repeat yet."), "error")
        return redirect(url_for(".history"))
    except service.RepeatInProgress as exc:
        flash(_("This assessment is already being repeated: here is that draft."), "info")
        return redirect(url_for("assessments.show", assessment_id=exc.draft.id))
    flash(
        _("New assessment started with last time's answers filled in. Check and update them."),
        "success",
    )
    if skipped:
        flash(
            _("%(n)d earlier answers were not copied: their questions changed.", n=len(skipped)),
            "info",
        )
    first = _catalogue().get(draft.questionnaire_id, draft.questionnaire_version).pillars[0].id
    return redirect(url_for("assessments.fill", assessment_id=draft.id, pillar_id=first))


def _chosen_items() -> list[Any] | None:
    """The assessments named by ?ids=… (each once, as asked), as the history reads them.

    404 for an ID that is not the organisation's; None after flashing why they cannot be
    compared (too few, drafts, unknown questionnaires, not numbers).
    """
    asked = request.args.getlist("ids", type=int)
    found = summaries.assessments_of(get_session(), g.organisation.id, asked)
    if any(i not in found for i in asked):
        abort(404)  # another organisation's assessment, or none at all
    chosen = [found[i] for i in dict.fromkeys(asked)]
    if len(asked) != len(request.args.getlist("ids")) or not all(
        a.status == "submitted" and _known(a.questionnaire_id, a.questionnaire_version)
        for a in chosen
    ):  # an ID that is no number, a draft, or a questionnaire this server lacks
        flash(_("Choose submitted assessments of this organisation to compare."), "error")
        return None
    if len(chosen) < 2:
        flash(_("Choose at least two assessments to compare."), "error")
        return None
    if len(chosen) > service.MAX_COMPARED:
        flash(_("Choose at most %(n)d assessments to compare.", n=service.MAX_COMPARED), "error")
        return None
    return chosen


def _is_tree(chosen: list[Any]) -> bool:
    """Whether the chosen assessments are of a format-2 questionnaire (compared by its tree)."""
    known = [_known(a.questionnaire_id, a.questionnaire_version) for a in chosen]
    return any(q is not None and q.is_tree for q in known)


def _chosen(
    chosen: list[Any],
) -> tuple[PairView | SeriesView | TreeComparison, list[int], list[Any]] | None:
    """The comparison of the chosen assessments, their IDs (oldest first) and scored items.

    None after flashing why they cannot be compared. The comparison is computed once per set of
    submissions (as read: a resubmission has a new submission time), language, time zone and
    organisation name, then kept; the plan it shows is added by the caller (it moves).
    """
    lang, org = _lang(), g.organisation.name
    if _is_tree(chosen):
        return _tree_chosen(chosen, lang)
    key = (_plain(sorted(chosen, key=lambda a: a.id)), lang, str(get_timezone()), org)
    key += (id(_catalogue()),)

    def build() -> tuple[PairView | SeriesView, list[int], list[Any]]:
        items = service.chosen_assessments(
            get_session(), current_user, g.organisation.id, [a.id for a in chosen], _catalogue()
        )
        ids = [s.assessment.id for s in items]
        if len(items) == 2:
            return pair_view(items[0], items[1], lang, org), ids, items
        return series_view(items, lang, org), ids, items

    try:
        return app_cache("comparisons", COMPARISONS).get_or_make(key, build)
    except service.NotComparable:
        flash(_("Choose two or more submitted assessments to compare."), "error")
        return None


def _tree_chosen(
    chosen: list[Any], lang: str
) -> tuple[TreeComparison, list[int], list[Any]] | None:
    """The comparison of format-2 assessments (all of one questionnaire), oldest first; its page
    is rendered each time (from the stored result documents)."""
    session = get_session()
    ordered = sorted(chosen, key=lambda a: (service.submitted_at_or_created(a), a.id))
    try:
        view = compare_trees(
            session, [session.get(Assessment, a.id) for a in ordered], _catalogue(), lang
        )
    except NotTreeComparable:
        flash(_("Assessments of different questionnaires cannot be compared."), "error")
        return None
    return view, list(view.ids), []


def _downloads(ids: list[int]) -> list[tuple[str, str]]:
    return [
        (label, url_for(".report", fmt=fmt, ids=ids))
        for fmt, label in (("html", "HTML"), ("pdf", "PDF"), ("csv", "CSV"))
    ]


class _NotShown(Exception):
    """The chosen assessments cannot be compared (the reason is flashed)."""


@bp.route("/")
@member_required("viewer")
def compare() -> str | Response:
    """Two assessments side by side, or more than two as a table over time."""
    chosen = _chosen_items()
    if chosen is None:
        return redirect(url_for(".history"))
    if _is_tree(chosen):
        made = _tree_chosen(chosen, _lang())
        if made is None:
            return redirect(url_for(".history"))
        csv_link = [("CSV", url_for(".report", fmt="csv", ids=made[1]))]
        return render_template("compare/tree.html", view=made[0], downloads=csv_link)
    session, org = get_session(), g.organisation
    pair = len(chosen) == 2  # two side by side (with the plan), more as a table over time
    plan = plan_rows(session, org.id) if pair else []
    # Kept under everything it shows: the chosen assessments as read (a resubmission has a new
    # submission time), the plan's actions as read, the organisation's name, the language, the
    # time zone (the dates) and the questionnaires.
    key = (org.id, org.name, _lang(), str(get_timezone()), id(_catalogue()), pair)
    key += (_plain(sorted(chosen, key=lambda a: a.id)), digest(plan))

    def render(_csrf: str) -> str:
        made = _chosen(chosen)
        if made is None:
            raise _NotShown
        view, ids, items = made
        if isinstance(view, PairView):
            view = with_plan(session, view, *items, organisation_id=org.id, actions=plan)
        part = "pair" if isinstance(view, PairView) else "series"
        return render_template(f"compare/_{part}_page.html", view=view, downloads=_downloads(ids))

    content = Piece("comparison_pages", COMPARISONS, key, render)
    try:
        return kept_page(
            "comparison_kept",
            COMPARISONS,
            key,
            lambda: render_template("compare/page.html", content=content),
        )
    except _NotShown:
        return redirect(url_for(".history"))


@bp.route("/report.<fmt>")
@member_required("viewer")
def report(fmt: str) -> Response:
    """The comparison report as an HTML file, a PDF or CSV."""
    if fmt not in DOWNLOADS:
        abort(404)  # the friendly error page, like every other unknown address
    chosen = _chosen_items()
    made = _chosen(chosen) if chosen is not None else None
    if made is None:
        return redirect(url_for(".history"))
    view, ids, items = made
    if isinstance(view, PairView):  # the plan moves between requests: never part of the cache
        view = with_plan(get_session(), view, *items, organisation_id=g.organisation.id)
    if isinstance(view, TreeComparison):
        if fmt != "csv":
            abort(404)  # a format-2 comparison is offered as its page and a CSV
        body: str | bytes = BOM + to_csv(tree_comparison_rows(view))
    elif fmt == "csv":
        pair = isinstance(view, PairView)
        rows = comparison_rows(view.comparison) if pair else series_rows(view.series)
        rows = localised_header(rows)
        body = BOM + to_csv(rows)  # the BOM makes spreadsheet apps read UTF-8
    elif fmt == "pdf":
        body = run_isolated(render_comparison_pdf, view)
    else:
        body = render_comparison_html(view)
    name = f"comparison-{'-'.join(str(i) for i in ids)}.{fmt}"
    response = Response(body, content_type=DOWNLOADS[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
