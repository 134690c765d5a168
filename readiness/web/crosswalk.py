"""Blueprint "crosswalk": start an assessment of another instrument prefilled from one's answers."""

from __future__ import annotations

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import flash
from flask import redirect
from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_login import login_required
from werkzeug.wrappers import Response

from readiness.db import get_session
from readiness.i18n import current_language
from readiness.services import assessments as service
from readiness.services.crosswalk_prefill import NoCrosswalk
from readiness.services.crosswalk_prefill import start_prefilled
from readiness.services.crosswalks import CrosswalkSet
from readiness.services.crosswalks import load_crosswalks
from readiness.web.forms import ActionForm

bp = Blueprint("crosswalk", __name__, url_prefix="/assessments")


def crosswalk_set() -> CrosswalkSet:
    """The crosswalks of the app's catalogue (loaded once per app)."""
    store = current_app.extensions
    if "crosswalks" not in store:
        store["crosswalks"] = load_crosswalks(store["catalogue"])
    return store["crosswalks"]


@bp.route("/<int:assessment_id>/prefill/<target_id>", methods=["POST"])
@login_required
def prefill(assessment_id: int, target_id: str) -> Response:
    """Start an assessment of `target_id` prefilled from this one's answers via a crosswalk."""
    source = service.get_assessment(get_session(), current_user, assessment_id, "editor")
    if not ActionForm().validate_on_submit():
        abort(400)
    target = next((i for _c, i in crosswalk_set().crosswalks if i.id == target_id), None)
    if target is None:
        abort(404)
    title = _(
        "%(questionnaire)s, prefilled from “%(source)s”",
        questionnaire=target.title.get(current_language()),
        source=source.title,
    )
    catalogue = current_app.extensions["catalogue"]
    try:
        draft, count = start_prefilled(
            get_session(), source, current_user, catalogue, crosswalk_set(), target_id, title
        )
    except NoCrosswalk:
        abort(404)
    first = catalogue.get(draft.questionnaire_id, draft.questionnaire_version).pillars[0].id
    flash(
        ngettext(
            "%(num)d answer was prefilled from your earlier answers: check it (it is marked) "
            "and answer the rest.",
            "%(num)d answers were prefilled from your earlier answers: check each one (they "
            "are marked) and answer the rest.",
            count,
        ),
        "success",
    )
    return redirect(url_for("assessments.fill", assessment_id=draft.id, pillar_id=first))
