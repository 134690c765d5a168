"""The section form refuses an exclusive option ("none of these") ticked with other options."""

from __future__ import annotations

import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict

from readiness.domain.loading import load_questionnaire
from readiness.web.assessment_forms import answer_name
from readiness.web.assessment_forms import build_section_form
from tests.paths import QUESTIONNAIRES

FLAGSHIP = (
    QUESTIONNAIRES / "smart-manufacturing-readiness" / "1.yaml"
)
SYSTEMS = "technology.systems"


@pytest.mark.parametrize(
    ("ticked", "ok"),
    [(["erp", "none"], False), (["none"], True), (["erp", "mes"], True)],
)
def test_exclusive_option_is_refused_beside_the_field(
    app: Flask, ticked: list[str], ok: bool
) -> None:
    qn = load_questionnaire(FLAGSHIP)
    assert qn.question(SYSTEMS).option("none").exclusive
    form_class = build_section_form(qn, "technology", "en")
    data = MultiDict([("base_revision", "1"), *((answer_name(SYSTEMS), t) for t in ticked)])
    with app.test_request_context(method="POST", data=data):
        form = form_class(formdata=data)
        assert form.validate() is ok
        errors = form[answer_name(SYSTEMS)].errors
        if ok:
            assert not errors
        else:
            assert len(errors) == 1
            assert "cannot be ticked together with other options" in str(errors[0])
            assert "None of these" in str(errors[0])
