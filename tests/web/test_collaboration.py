"""Pages of on-site evaluations and several-respondent assessments, end to end over HTTP."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.assessment_data import write_questionnaires
from tests.conftest import test_config


@pytest.fixture
def app_config(database_url: str, tmp_path: Any) -> dict[str, Any]:
    """The test app with the mini questionnaire."""
    directory = write_questionnaires(tmp_path / "questionnaires")
    return test_config(database_url, QUESTIONNAIRE_DIR=str(directory))


@pytest.fixture
def team(make_user: Any, make_org: Any) -> dict[str, Any]:
    """Olga (owner) with Pat (editor), Ian and Vera (viewers) and the consultant Carl (editor)."""
    names = ("Olga", "Pat", "Ian", "Vera", "Carl")
    owner, pat, ian, vera, carl = (make_user(name=n) for n in names)
    members = {pat: "editor", ian: "viewer", vera: "viewer", carl: "editor"}
    org = make_org(owner=owner, name="Acme", members=members)
    return {"org": org, "owner": owner, "pat": pat, "ian": ian, "vera": vera, "carl": carl}


def _start(client: FlaskClient, kind: str) -> int:
    response = client.post(
        "/assessments/new", data={"questionnaire": "mini@1", "title": "Team", "kind": kind}
    )
    assert response.status_code == 302, response.text
    return int(re.search(r"/assessments/(\d+)/", response.location).group(1))


def test_several_respondents_disagree_owner_settles_and_report_shows_it(login, team):
    owner = login("owner")
    aid = _start(owner, "respondents")
    assign = {f"member_{team['pat'].id}": "y", f"member_{team['ian'].id}": "y"}
    assign[f"pillars_{team['ian'].id}"] = ["technology"]
    assert owner.post(f"/assessments/{aid}/respondents", data=assign).status_code == 302
    overview = owner.get(f"/assessments/{aid}/respondents").text
    assert "Pat" in overview and "Ian" in overview
    pat, ian, vera = login("pat"), login("ian"), login("vera")
    assert vera.get(f"/assessments/{aid}/my-answers").status_code == 403  # not a respondent
    assert ian.get(f"/assessments/{aid}/my-answers/talent").status_code == 404  # not his pillar
    page = f"/assessments/{aid}/my-answers/technology"
    assert pat.post(page, data={"base_revision": "1", "q__technology__rd": "1"}).status_code == 302
    assert ian.post(page, data={"base_revision": "1", "q__technology__rd": "4"}).status_code == 302
    checked = r'<input checked[^>]*name="q__technology__rd"[^>]*value="{}"'
    shown = pat.get(page).text
    assert re.search(checked.format(1), shown) and not re.search(checked.format(4), shown)
    assert ian.get(f"/assessments/{aid}/consolidation").status_code == 403  # not submitted yet
    waiting = owner.get(f"/assessments/{aid}/consolidation").text
    assert "Still answering: Ian, Pat" in waiting and "<td>Pat</td>" not in waiting
    for client in (pat, ian):
        assert client.post(f"/assessments/{aid}/my-answers/submit").status_code == 302
    assert ian.post(page, data={"base_revision": "9", "q__technology__rd": "2"}).status_code == 302
    consolidation = owner.get(f"/assessments/{aid}/consolidation").text
    assert "Disagreement: 3 levels apart" in consolidation
    settle = f"/assessments/{aid}/consolidation/technology.rd"
    assert vera.post(settle, data={"q__technology__rd-note": "x"}).status_code == 403
    assert pat.post(settle, data={"q__technology__rd-note": "x"}).status_code == 403
    response = owner.post(f"/assessments/{aid}/consolidation/submit", follow_redirects=True)
    assert "1 disagreements still need settling" in response.text
    choice = '["answered", 2]'
    data = {"q__technology__rd-answer": choice, "q__technology__rd-note": "Checked on the floor"}
    assert owner.post(settle, data=data).status_code == 302
    response = owner.post(f"/assessments/{aid}/consolidation/submit", follow_redirects=True)
    assert "Consolidated from several respondents" in response.text
    report = owner.get(f"/assessments/{aid}/report").text
    assert "Where respondents disagreed" in report and "Checked on the floor" in report
    assert "Pat: 1" in report and "Ian: 4" in report
    rows = owner.get(f"/assessments/{aid}/report.csv").text.splitlines()  # the same facts
    assert any(
        r.startswith("disagreement,technology.rd,") and "Checked on the floor" in r for r in rows
    )
    assert sum(r.startswith("respondent_answer,technology.rd,") for r in rows) == 2


def test_on_site_evaluation_reviewed_and_confirmed_by_the_firm(login, team):
    carl, owner, vera = login("carl"), login("owner"), login("vera")
    self_id = _start(owner, "self")
    owner.post(
        f"/assessments/{self_id}/pillars/technology",
        data={"base_revision": "1", "q__technology__rd": "1"},
    )
    owner.post(f"/assessments/{self_id}/submit", data={"confirm_incomplete": "y"})
    aid = _start(carl, "on_site")
    fill = f"/assessments/{aid}/pillars/technology"
    assert owner.get(fill).status_code == 302  # the firm does not fill in the consultant's part
    assert carl.post(fill, data={"base_revision": "1", "q__technology__rd": "4"}).status_code == 302
    assert (
        carl.post(f"/assessments/{aid}/submit", data={"confirm_incomplete": "y"}).status_code == 302
    )
    history = owner.get("/compare/history").text
    assert "On-site evaluation · awaiting review" in history
    results = owner.get(f"/assessments/{aid}/results").text
    assert "On-site evaluation by Carl" in results and "not yet the official result" in results
    assert carl.get(f"/assessments/{aid}/on-site-review").status_code == 200
    assert (
        carl.post(
            f"/assessments/{aid}/on-site-review/technology.rd",
            data={"q__technology__rd-verdict": "confirmed"},
        ).status_code
        == 403
    )
    assert vera.get(f"/assessments/{aid}/on-site-review").status_code == 403
    verdict = f"/assessments/{aid}/on-site-review/technology.rd"
    response = owner.post(
        verdict, data={"q__technology__rd-verdict": "disputed"}, follow_redirects=True
    )
    assert "Say in a note what is wrong" in response.text
    response = owner.post(f"/assessments/{aid}/on-site-review/confirm", follow_redirects=True)
    assert "1 answers still need your verdict" in response.text
    data = {"q__technology__rd-verdict": "disputed", "q__technology__rd-note": "One lab only"}
    assert owner.post(verdict, data=data).status_code == 302
    response = owner.post(f"/assessments/{aid}/on-site-review/confirm", follow_redirects=True)
    assert "this is the firm’s official result" in response.text
    assert "1 answer disputed by the firm" in response.text
    report = owner.get(f"/assessments/{aid}/report").text
    assert "On-site evaluation" in report and "confirmed by the firm (Olga)" in report
    made = owner.get(f"/assessments/{aid}/report.json").get_json()["how_made"]
    assert made["summary"] == (
        "On-site evaluation · by Carl · confirmed by the firm (Olga) · "
        "1 answer disputed by the firm."
    )
    assert "Self-assessment" in owner.get(f"/assessments/{self_id}/report").text
    compare = owner.get(f"/compare/?ids={self_id}&ids={aid}")
    assert compare.status_code == 200 and "Team" in compare.text
