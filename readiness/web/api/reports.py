"""API resources: results, reports in every format, and comparisons of submitted assessments."""

from __future__ import annotations

import dataclasses
import json

from flask import Response
from flask import current_app
from flask import request

from readiness.db import get_session
from readiness.domain.questionnaire import Questionnaire
from readiness.models import Assessment
from readiness.services import assessments
from readiness.services import comparisons
from readiness.services import report_export
from readiness.services.accounts import NotFound
from readiness.services.comparison_exports import comparison_rows
from readiness.services.comparison_exports import series_rows
from readiness.services.comparison_exports import to_csv
from readiness.services.comparison_view import labels
from readiness.services.report_render import cache_key
from readiness.services.report_render import cached_pdf
from readiness.services.report_render import render_pdf
from readiness.services.reports import assessment_report_data
from readiness.services.tree_comparison import NotTreeComparable
from readiness.services.tree_comparison import chosen_trees
from readiness.services.tree_comparison import tree_comparison_rows
from readiness.services.tree_report import TREE_DOWNLOADS
from readiness.web.api.assessments import questionnaire_of
from readiness.web.api.core import MAX_ID
from readiness.web.api.core import ApiProblem
from readiness.web.api.core import bp
from readiness.web.api.core import caller
from readiness.web.api.core import caller_assessment
from readiness.web.api.core import json_response
from readiness.web.api.core import token_required


def _lang(questionnaire: Questionnaire) -> str:
    asked = request.args.get("lang")
    return asked if asked in questionnaire.languages else questionnaire.languages[0]


def _submitted(assessment_id: int) -> Assessment:
    assessment = caller_assessment(assessment_id)
    if assessment.status != "submitted":
        raise ApiProblem(409, "This assessment has not been submitted yet.")
    return assessment


@bp.get("/assessments/<int:assessment_id>/results")
@token_required()
def results(assessment_id: int) -> Response:
    """The result document stored at submission, in ?lang=."""
    assessment = _submitted(assessment_id)
    lang = _lang(questionnaire_of(assessment))
    return json_response(assessments.stored_result(get_session(), assessment, lang))


@bp.get("/assessments/<int:assessment_id>/report.<fmt>")
@token_required()
def report(assessment_id: int, fmt: str) -> Response:
    """The report as PDF, HTML, Word, Excel, CSV or JSON (the same files as the pages')."""
    if fmt not in report_export.FORMATS:
        raise ApiProblem(404, f"Unknown format; choose {', '.join(report_export.FORMATS)}.")
    assessment = _submitted(assessment_id)
    questionnaire = questionnaire_of(assessment)
    if questionnaire.is_tree and fmt not in (*TREE_DOWNLOADS, "html"):
        offered = ", ".join((*TREE_DOWNLOADS, "html"))
        raise ApiProblem(404, f"Not offered for this questionnaire; choose {offered}.")
    data = assessment_report_data(get_session(), questionnaire, assessment, _lang(questionnaire))
    if fmt == "pdf":
        extra = f"{assessment.organisation.name}|{assessment.questionnaire_id}"
        key = cache_key(assessment.id, assessment.submitted_at, data.lang, extra)
        body = cached_pdf(key, lambda: render_pdf(data))
    else:
        body = report_export.render_format(data, fmt)
    response = Response(body, content_type=report_export.FORMATS[fmt][1])
    name = f"readiness-report-{assessment.id}-{data.lang}.{fmt}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/comparisons")
@token_required()
def compare() -> Response:
    """Two submitted assessments side by side, or more over time, as JSON or CSV."""
    raw = request.args.getlist("ids")
    if not raw or not all(r.isascii() and r.isdigit() for r in raw):
        raise ApiProblem(400, "Name the assessments as ?ids=1&ids=2 (whole numbers).")
    if any(len(r) > 10 or int(r) > MAX_ID for r in raw):
        raise ApiProblem(404, "No such assessment in this organisation.")
    fmt = request.args.get("format", "json")
    if fmt not in ("json", "csv"):
        raise ApiProblem(400, "format must be json or csv.")
    who = caller()
    catalogue = current_app.extensions["catalogue"]
    ids = [int(r) for r in raw]
    try:
        tree = chosen_trees(get_session(), who.user, who.organisation_id, ids, catalogue, "en")
    except NotTreeComparable as exc:
        raise ApiProblem(422, str(exc)) from None
    except NotFound:
        raise ApiProblem(404, "No such assessment in this organisation.") from None
    if tree is not None:  # a format-2 questionnaire: every node side by side
        if fmt == "csv":
            rows = tree_comparison_rows(tree)
            return Response("\ufeff" + to_csv(rows), content_type="text/csv; charset=utf-8")
        document = json.loads(json.dumps(dataclasses.asdict(tree)))
        body = {"assessments": list(tree.ids), "kind": "tree", "comparison": document}
        return json_response(body)
    try:
        items = comparisons.chosen_assessments(
            get_session(),
            who.user,
            who.organisation_id,
            [int(r) for r in raw],
            current_app.extensions["catalogue"],
        )
    except comparisons.NotComparable as exc:
        raise ApiProblem(422, str(exc)) from None
    ids = [s.assessment.id for s in items]
    if len(items) == 2:
        comparison = comparisons.compare_pair(items[0], items[1])
        kind, document, rows = "pair", comparison.to_dict(), comparison_rows(comparison)
    else:
        series = comparisons.series_of(items, labels(items))
        kind, document, rows = "series", series.to_dict(), series_rows(series)
    if fmt == "csv":
        return Response("\ufeff" + to_csv(rows), content_type="text/csv; charset=utf-8")
    body = {"assessments": ids, "kind": kind, "comparison": json.loads(json.dumps(document))}
    return json_response(body)
