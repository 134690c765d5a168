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
from markupsafe import Markup
from wtforms import SelectMultipleField
from wtforms import StringField
from wtforms import SubmitField
from wtforms.validators import DataRequired
from wtforms.validators import Length
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput
from wtforms.widgets import ListWidget

from readiness.db import get_session
from readiness.domain.questionnaire import Questionnaire
from readiness.i18n import current_language
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
from readiness.web.page_cache import app_cache
from readiness.web.page_cache import digest
from readiness.web.page_cache import fragment

bp = Blueprint("compare", __name__, url_prefix="/compare")
COMPARISONS = 32  # computed comparisons of recent submissions kept per app
HISTORY_PAGES = 32  # rendered history pages (chart and table) kept per app
DOWNLOADS = {  # complete Content-Type headers
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
}


class ChooseForm(BaseForm):
    """Choose two or more submitted assessments (a GET form: no CSRF token needed)."""

    class Meta:
        csrf = False

    ids = SelectMultipleField(
        _l("Assessments to compare"),
        coerce=int,
        validate_choice=False,  # validate_ids says it in words, not "'3' is not a valid choice"
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    submit = SubmitField(_l("Compare"))

    def validate_ids(self, field: SelectMultipleField) -> None:
        """Only submitted assessments offered as choices, and at least two of them."""
        offered = {value for value, _label in field.choices or ()}
        if any(i not in offered for i in field.data or ()):
            raise ValidationError(
                _("Choose submitted assessments of this organisation to compare.")
            )
        if len(set(field.data or ())) < 2:
            raise ValidationError(_("Choose at least two assessments to compare."))


class RepeatForm(BaseForm):
    """Repeat the latest submitted assessment as a new, prefilled draft."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Repeat the assessment"))


def _lang() -> str:
    return current_language()


def default_repeat_title(organisation: str) -> str:
    """A title for a repeat that tells it from the last one: the organisation and today's date."""
    today = format_date(date.today(), "long")
    return _("Assessment of %(name)s, %(date)s", name=organisation, date=today)


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


def _choose_form(rows: list[service.HistoryRow], formdata: Any = None) -> ChooseForm:
    form = ChooseForm(formdata=formdata)
    form.ids.choices = [
        (r.assessment.id, f"{format_date(r.when, 'medium')} · {r.assessment.title}")
        for r in rows
        if r.comparable
    ]
    return form


@bp.route("/history")
@member_required("viewer")
def history() -> str:
    """The organisation's assessments over time (a page), trend chart, repeat and compare."""
    session, catalogue, lang = get_session(), _catalogue(), _lang()
    pager = summaries.history_page(session, g.organisation.id, request.args.get("page", type=int))
    rows = service.history(pager.items, catalogue, lang)
    points = summaries.trend(session, g.organisation.id, pillars=False)  # scores: if rendered
    shown = [
        (r.assessment.id, r.assessment.title, r.assessment.status, r.when, r.questionnaire_title)
        + (r.assessment.questionnaire_version, r.comparable, r.level, r.level_name)
        + (r.assessment.kind, r.assessment.confirmed_at)
        for r in rows
    ]
    key = (g.organisation.id, lang, str(get_timezone()), id(catalogue), pager.number, pager.pages)
    # A submission's scores never change: its ID and submission time stand for them.
    key += (digest(shown), digest([(p.assessment_id, p.when) for p in points]))

    def render(_csrf: str) -> str:
        scored = summaries.with_pillar_scores(session, points)
        known = [
            (p, q) for p in scored if (q := _known(p.questionnaire_id, p.questionnaire_version))
        ]
        # the chart's scale is 0-100 with pillars: format-2 results (native scales) stay out of it
        known = [(p, q) for p, q in known if not q.is_tree]
        chart = history_chart([p for p, _q in known], [q for _p, q in known], lang)
        return render_template("compare/_history_body.html", rows=rows, pager=pager, chart=chart)

    can_repeat = g.membership.role in ("editor", "owner") and bool(points)
    draft = (
        service.repeat_draft(session, g.organisation.id, points[-1].assessment_id)
        if points
        else None
    )
    return render_template(
        "compare/history.html",
        head=_history_head(can_repeat, draft),
        body=fragment("history_bodies", HISTORY_PAGES, key, render),
    )


def _history_head(can_repeat: bool, draft: Any) -> Markup:
    """The history page's title and repeat offer, kept under what they show."""
    name = g.organisation.name
    title = default_repeat_title(name)  # the organisation's name and today's date
    repeat = (draft.id, draft.title) if can_repeat and draft else can_repeat
    key = (g.organisation.id, name, _lang(), repeat, title)

    def render(_csrf: str) -> str:
        repeat_form = RepeatForm(formdata=None)
        repeat_form.title.data = title
        return render_template(
            "compare/_history_head.html",
            organisation_name=name,
            repeat_form=repeat_form,
            can_repeat=can_repeat,
            repeat_draft=draft,
        )

    return fragment("history_heads", HISTORY_PAGES, key, render)


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


def _chosen() -> tuple[PairView | SeriesView | TreeComparison, list[int], tuple[Any, ...]] | None:
    """The comparison of the assessments named by ?ids=…, their IDs (oldest first), its key.

    None after flashing why they cannot be compared. The comparison is computed once per set of
    submissions, language and organisation name, then kept (submissions never change); the key
    names that, plus a digest of the plan it shows (the plan moves between requests).
    """
    asked = request.args.getlist("ids", type=int)
    found = summaries.assessments_of(get_session(), g.organisation.id, asked)
    if any(i not in found for i in asked):
        abort(404)  # another organisation's assessment, or none at all
    rows = service.history(list(found.values()), _catalogue(), _lang())
    form = _choose_form(rows, request.args)
    if not form.validate():
        for error in form.ids.errors:
            flash(str(error), "error")
        return None
    chosen = [found[i] for i in dict.fromkeys(form.ids.data)]
    lang, org = _lang(), g.organisation.name
    known = [_known(a.questionnaire_id, a.questionnaire_version) for a in chosen]
    if any(q is not None and q.is_tree for q in known):
        return _tree_chosen(chosen, lang)
    key = (
        tuple(sorted((a.id, a.submitted_at) for a in chosen)),
        lang,
        org,
        id(_catalogue()),
    )

    def build() -> tuple[PairView | SeriesView, list[int], list[Any]]:
        items = service.chosen_assessments(
            get_session(), current_user, g.organisation.id, form.ids.data, _catalogue()
        )
        ids = [s.assessment.id for s in items]
        if len(items) == 2:
            return pair_view(items[0], items[1], lang, org), ids, items
        return series_view(items, lang, org), ids, items

    try:
        view, ids, items = app_cache("comparisons", COMPARISONS).get_or_make(key, build)
    except service.NotComparable:
        flash(_("Choose two or more submitted assessments to compare."), "error")
        return None
    if isinstance(view, PairView):  # the plan moves between requests: never part of the cache
        view = with_plan(get_session(), view, *items, organisation_id=g.organisation.id)
        key = (*key, digest(view.plan_outcomes))
    return view, ids, key


def _tree_chosen(
    chosen: list[Any], lang: str
) -> tuple[TreeComparison, list[int], tuple[Any, ...]] | None:
    """The comparison of format-2 assessments (all of one questionnaire), oldest first; its page
    is rendered each time, so it has no key."""
    ordered = sorted(chosen, key=lambda a: (service.submitted_at_or_created(a), a.id))
    try:
        view = compare_trees(get_session(), ordered, _catalogue(), lang)
    except NotTreeComparable:
        flash(_("Assessments of different questionnaires cannot be compared."), "error")
        return None
    return view, list(view.ids), ()


def _downloads(ids: list[int]) -> list[tuple[str, str]]:
    return [
        (label, url_for(".report", fmt=fmt, ids=ids))
        for fmt, label in (("html", "HTML"), ("pdf", "PDF"), ("csv", "CSV"))
    ]


@bp.route("/")
@member_required("viewer")
def compare() -> str | Response:
    """Two assessments side by side, or more than two as a table over time."""
    chosen = _chosen()
    if chosen is None:
        return redirect(url_for(".history"))
    view, ids, key = chosen
    if isinstance(view, TreeComparison):
        csv_link = [("CSV", url_for(".report", fmt="csv", ids=ids))]
        return render_template("compare/tree.html", view=view, downloads=csv_link)
    part = "pair" if isinstance(view, PairView) else "series"
    body = fragment(
        "comparison_bodies",
        COMPARISONS,
        key,
        lambda _csrf: render_template(f"compare/_{part}.html", view=view),
    )
    return render_template(f"compare/{part}.html", view=view, body=body, downloads=_downloads(ids))


@bp.route("/report.<fmt>")
@member_required("viewer")
def report(fmt: str) -> Response:
    """The comparison report as an HTML file, a PDF or CSV."""
    if fmt not in DOWNLOADS:
        abort(404)  # the friendly error page, like every other unknown address
    chosen = _chosen()
    if chosen is None:
        return redirect(url_for(".history"))
    view, ids, _key = chosen
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
