"""Blueprint "reports": the report page and downloads of a submitted assessment, and share links."""

from __future__ import annotations

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
from flask import session
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_login import login_required
from wtforms import SelectField
from wtforms import SubmitField
from wtforms.fields.choices import SelectChoice

from readiness.db import get_session
from readiness.domain.questionnaire import Questionnaire
from readiness.i18n import LANGUAGE_NAMES
from readiness.i18n import current_language
from readiness.models import Assessment
from readiness.models.base import utcnow
from readiness.services import accounts
from readiness.services import assessments
from readiness.services import report_export
from readiness.services import share_links
from readiness.services.questionnaires import UnknownQuestionnaire
from readiness.services.report_export import DOWNLOADS
from readiness.services.report_model import ReportData
from readiness.services.report_render import assessment_pdf
from readiness.services.report_render import render_html
from readiness.services.reports import assessment_report_data
from readiness.services.tree_report import TREE_DOWNLOADS
from readiness.web.access import user_memberships
from readiness.web.audit_trail import note
from readiness.web.errors import Gone
from readiness.web.forms import ActionForm
from readiness.web.forms import BaseForm
from readiness.web.page_cache import app_cache

bp = Blueprint("reports", __name__)

_NO_VALUE = object()
REPORT_PAGES = 32  # rendered report pages of recent submissions kept per app


class ShareForm(BaseForm):
    """Create a share link valid for a number of days."""

    days = SelectField(
        _l("Valid for"),
        coerce=int,
        choices=[SelectChoice(d, _l("%(n)d days", n=d)) for d in share_links.EXPIRY_CHOICES],
        default=30,
    )
    submit = SubmitField(_l("Create share link"))


@bp.url_value_preprocessor
def _keep_page_language(_endpoint: str | None, _values: dict[str, Any] | None) -> None:
    """Remember the page language: ?lang= picks the report's language, not the app's."""
    g.page_lang = session.get("lang", _NO_VALUE)


@bp.before_request
def _restore_page_language() -> None:
    """Undo the session language change the app makes for ?lang= on other pages."""
    previous = g.pop("page_lang", _NO_VALUE)
    if previous is _NO_VALUE:
        session.pop("lang", None)
    elif session.get("lang") != previous:
        session["lang"] = previous


def _questionnaire(assessment: Assessment) -> Questionnaire:
    try:
        return current_app.extensions["catalogue"].get(
            assessment.questionnaire_id, assessment.questionnaire_version
        )
    except UnknownQuestionnaire:
        abort(404)


def _report_lang(questionnaire: Questionnaire) -> str:
    """?lang= if the questionnaire has it, else the page language, else its first language."""
    for lang in (request.args.get("lang"), current_language()):
        if lang in questionnaire.languages:
            return lang
    return questionnaire.languages[0]


def _member_assessment(assessment_id: int, role: str = "viewer") -> Assessment:
    """A submitted assessment of one of the user's organisations (404 otherwise)."""
    user_memberships()  # read once: the role checks share them
    assessment = assessments.get_assessment(get_session(), current_user, assessment_id, role)
    if assessment.status != "submitted":
        abort(404)
    return assessment


def _data(assessment: Assessment) -> ReportData:
    q = _questionnaire(assessment)
    return assessment_report_data(get_session(), q, assessment, _report_lang(q))


def _download(assessment: Assessment, data: ReportData, fmt: str) -> Response:
    content_type = report_export.FORMATS[fmt][1]  # complete: text types name their charset
    if fmt == "pdf":
        body = assessment_pdf(assessment, data)
    else:
        body = report_export.render_format(data, fmt)
    name = f"readiness-report-{assessment.id}-{data.lang}.{fmt}"
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _is_owner(assessment: Assessment) -> bool:
    try:
        accounts.require_role(get_session(), current_user, assessment.organisation_id, "owner")
    except accounts.AccountError:
        return False
    return True


def _languages(q: Questionnaire, endpoint: str, **values: Any) -> list[tuple[str, str]]:
    return [
        (LANGUAGE_NAMES.get(lang, lang), url_for(endpoint, lang=lang, **values))
        for lang in q.languages
    ]


def _report_page(assessment: Assessment, toolbar: dict[str, Any]) -> str:
    """The report page, rendered once per submission, language and toolbar (then kept)."""
    q = _questionnaire(assessment)
    lang = _report_lang(q)
    key = (
        assessment.id,
        assessment.submitted_at,
        lang,
        assessment.organisation.name,
        q.key,
        id(q),  # a reloaded catalogue renders anew
        repr(sorted(toolbar.items())),
    )

    def render() -> str:
        data = assessment_report_data(get_session(), q, assessment, lang)
        return render_html(data, standalone=False, toolbar=toolbar)

    return app_cache("report_pages", REPORT_PAGES).get_or_make(key, render)


@bp.route("/assessments/<int:assessment_id>/report")
@login_required
def show(assessment_id: int) -> str:
    """The report of a submitted assessment as a web page (?lang= picks its language)."""
    assessment = _member_assessment(assessment_id)
    q = _questionnaire(assessment)
    lang = _report_lang(q)
    toolbar = {
        "back": url_for("assessments.results", assessment_id=assessment.id),
        "downloads": [
            (
                report_export.FORMATS[fmt][0],
                url_for(".download", assessment_id=assessment.id, fmt=fmt, lang=lang),
            )
            for fmt in (TREE_DOWNLOADS if q.is_tree else DOWNLOADS)
        ],
        "languages": _languages(q, ".show", assessment_id=assessment.id),
        "share": url_for(".share", assessment_id=assessment.id) if _is_owner(assessment) else None,
    }
    return _report_page(assessment, toolbar)


@bp.route("/assessments/<int:assessment_id>/report.<fmt>")
@login_required
def download(assessment_id: int, fmt: str) -> Response:
    """The report as PDF, Word, Excel, CSV or JSON."""
    assessment = _member_assessment(assessment_id)
    if fmt not in (TREE_DOWNLOADS if _questionnaire(assessment).is_tree else DOWNLOADS):
        abort(404)
    return _download(assessment, _data(assessment), fmt)


@bp.route("/assessments/<int:assessment_id>/share", methods=["GET", "POST"])
@login_required
def share(assessment_id: int) -> str:
    """The owner's share links of a report: create one (shown once) or see and revoke them."""
    assessment = _member_assessment(assessment_id, "owner")
    form = ShareForm()
    new_url = None
    if form.validate_on_submit():
        link, token = share_links.create_share_link(
            get_session(),
            assessment,
            current_user,
            current_app.config["SECRET_KEY"],
            form.days.data,
        )
        note(
            "share_link_created",
            current_user,
            organisation_id=assessment.organisation_id,
            target=f"assessment:{assessment.id}",
            details={"link": link.id, "days": form.days.data},
        )
        new_url = url_for(".shared", token=token, _external=True)
    return render_template(
        "reports/share.html",
        assessment=assessment,
        form=form,
        new_url=new_url,
        links=share_links.links_of(get_session(), assessment),
        revoke_form=ActionForm(formdata=None),
        now=utcnow(),
    )


@bp.route("/assessments/<int:assessment_id>/share/<int:link_id>/revoke", methods=["POST"])
@login_required
def revoke(assessment_id: int, link_id: int) -> Response:
    """Revoke one share link (owners only)."""
    assessment = _member_assessment(assessment_id, "owner")
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        share_links.revoke_share_link(get_session(), assessment, link_id)
    except share_links.LinkNotFound:
        abort(404)
    note(
        "share_link_revoked",
        current_user,
        organisation_id=assessment.organisation_id,
        target=f"assessment:{assessment.id}",
        details={"link": link_id},
    )
    flash(_("The share link is revoked; it no longer opens the report."), "success")
    return redirect(url_for(".share", assessment_id=assessment_id))


def _shared_assessment(token: str) -> Assessment:
    try:
        link = share_links.resolve_share_link(
            get_session(), token, current_app.config["SECRET_KEY"]
        )
    except share_links.LinkRevoked:
        raise Gone(
            _("The owner of this report has revoked the share link. Ask them for a new one.")
        ) from None
    except share_links.LinkExpired:
        raise Gone(
            _("This share link has expired. Ask the owner of the report for a new one.")
        ) from None
    except share_links.LinkNotFound:
        abort(404)
    return link.assessment


def _private(response: Response) -> Response:
    """Shared reports are neither cached by proxies nor indexed, nor leak the link as referrer."""
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/shared/<token>")
def shared(token: str) -> Response:
    """A shared report, for anyone holding a live link (no sign-in); nothing else is reachable."""
    assessment = _shared_assessment(token)
    q = _questionnaire(assessment)
    toolbar = {
        "downloads": [("PDF", url_for(".shared_pdf", token=token, lang=_report_lang(q)))],
        "languages": _languages(q, ".shared", token=token),
    }
    return _private(Response(_report_page(assessment, toolbar)))


@bp.route("/shared/<token>/report.pdf")
def shared_pdf(token: str) -> Response:
    """The PDF of a shared report."""
    assessment = _shared_assessment(token)
    return _private(_download(assessment, _data(assessment), "pdf"))
