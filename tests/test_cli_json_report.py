"""The app's own JSON report is an answers file: `readiness score` and `compare` read it."""

from __future__ import annotations

import json

from readiness.cli import cli
from readiness.services import assessments
from tests import factories
from tests.web.access_rules import flagship

FLAGSHIP = "smart-manufacturing-readiness"


def _page(questionnaire, shift: int) -> dict[str, assessments.PageAnswer]:
    """Every status a report can hold: answers, not applicable, don't know, notes only."""
    page = {}
    na = next(q for q in questionnaire.questions if q.not_applicable)
    dk = next(q for q in questionnaire.questions if q.dont_know and q.id != na.id)
    for q in questionnaire.questions[:8]:
        if q.type == "level":
            page[q.id] = assessments.PageAnswer("answered", (shift + 2) % 6, "why", "doc.pdf")
    page[na.id] = assessments.PageAnswer("not_applicable", comment="no plant")
    page[dk.id] = assessments.PageAnswer("dont_know")
    last = questionnaire.questions[-1]
    page[last.id] = assessments.PageAnswer(None, comment="ask IT")
    return page


def _report(app, client, db_session, tmp_path, shift: int, name: str):
    q = flagship()
    owner = factories.make_user(db_session)
    org = factories.make_org(db_session, owner, profile={"sector": "discrete"})
    a = assessments.start_assessment(db_session, org, q, owner, name)
    assessments.save_answers(db_session, a, q, _page(q, shift), a.revision, owner)
    assessments.submit(db_session, a, q, owner, confirm_incomplete=True)
    client.post("/login", data={"email": owner.email, "password": factories.DEFAULT_PASSWORD})
    response = client.get(f"/assessments/{a.id}/report.json?lang=en")
    client.post("/logout")
    assert response.status_code == 200
    path = tmp_path / f"{name}.json"
    path.write_bytes(response.get_data())
    return path, a.result["en"]


def test_score_reads_the_json_report(app, client, db_session, tmp_path) -> None:
    path, stored = _report(app, client, db_session, tmp_path, 1, "report")
    result = app.test_cli_runner().invoke(cli, ["score", FLAGSHIP, str(path)])
    assert result.exit_code == 0, result.output
    scored = json.loads(result.stdout)
    assert scored["overall"] == stored["overall"]
    assert scored["pillars"] == stored["pillars"]
    assert scored["coverage"] == stored["coverage"]


def test_compare_reads_two_json_reports(app, client, db_session, tmp_path) -> None:
    before, _ = _report(app, client, db_session, tmp_path, 0, "before")
    after, _ = _report(app, client, db_session, tmp_path, 3, "after")
    result = app.test_cli_runner().invoke(
        cli, ["compare", str(before), str(after), "--questionnaire", FLAGSHIP]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["overall"]


def test_an_unknown_status_is_one_clear_line(app, tmp_path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"answers": {"data.governance": {"status": "maybe"}}}))
    result = app.test_cli_runner().invoke(cli, ["score", FLAGSHIP, str(path)])
    assert result.exit_code == 1
    assert "unknown answer status 'maybe'" in result.output
