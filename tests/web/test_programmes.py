"""Programme pages: the operator sees only what firms consented to; joining, withdrawing, files."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from readiness.models import Participation
from readiness.models import ParticipationRecord
from readiness.services import programme_firms
from readiness.services import programmes
from tests.factories import DEFAULT_PASSWORD
from tests.factories import add_member
from tests.factories import make_org
from tests.factories import make_user
from tests.programme_data import join_firm
from tests.programme_data import make_programme
from tests.programme_data import store_result


@pytest.fixture
def park(db_session):
    """A programme whose operator's viewer signs in; a firm sharing results, one sharing answers."""
    operator = make_user(db_session, email="operator@example.com")
    programme = make_programme(db_session, operator)
    results, p1 = join_firm(db_session, programme, "results")
    answers, p2 = join_firm(db_session, programme, "answers")
    store_result(db_session, results, 31.0, {"technology": 30.0})
    store_result(db_session, answers, 72.0, {"technology": 70.0})
    return {"programme": programme, "results": (results, p1), "answers": (answers, p2)}


def _base(park) -> str:
    p = park["programme"]
    return f"/organisations/{p.organisation_id}/programmes/{p.id}"


def _login(auth, email="operator@example.com"):
    auth.login(email, DEFAULT_PASSWORD)


def test_the_cohort_page_shows_consenting_firms_with_strict_markup(client, auth, park):
    _login(auth)
    html = client.get(_base(park) + "/cohort").data.decode()
    firm_a, firm_b = park["results"][0].name, park["answers"][0].name
    assert firm_a in html and firm_b in html
    assert html.count("<svg") >= 4  # levels, scores, pillars, breakdowns
    assert " style=" not in html and "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    ordered = client.get(_base(park) + "/cohort?sort=technology&order=asc").data.decode()
    assert ordered.index(firm_a) < ordered.index(firm_b)
    ordered = client.get(_base(park) + "/cohort?sort=technology&order=desc").data.decode()
    assert ordered.index(firm_b) < ordered.index(firm_a)


def test_answers_are_shown_only_with_that_consent(client, auth, park):
    _login(auth)
    results_page = client.get(f"{_base(park)}/firms/{park['results'][1].id}").data.decode()
    answers_page = client.get(f"{_base(park)}/firms/{park['answers'][1].id}").data.decode()
    assert "firm-answers" not in results_page and "firm-scores" in results_page
    assert "firm-answers" in answers_page


def test_after_withdrawal_the_firm_is_gone_from_page_exports_and_detail(
    client, auth, db_session, park
):
    firm, participation = park["answers"]
    programmes.set_consent(db_session, firm.memberships[0].user, firm.id, participation.id, None)
    _login(auth)
    assert firm.name not in client.get(_base(park) + "/cohort").data.decode()
    assert firm.name not in client.get(_base(park) + "/").data.decode()
    csv = client.get(_base(park) + "/cohort.csv").data.decode("utf-8-sig")
    assert firm.name not in csv and park["results"][0].name in csv
    book = load_workbook(io.BytesIO(client.get(_base(park) + "/cohort.xlsx").data))
    cells = [c.value for row in book.active.iter_rows() for c in row]
    assert firm.name not in cells and park["results"][0].name in cells
    assert client.get(f"{_base(park)}/firms/{participation.id}").status_code == 404


def test_another_operator_sees_nothing_of_the_programme(client, auth, db_session, park):
    stranger = make_user(db_session, email="stranger@example.com")
    make_org(db_session, owner=stranger)
    _login(auth, "stranger@example.com")
    assert client.get(_base(park) + "/cohort").status_code == 404
    # its own organisation ID with this programme's ID: still not found
    own = stranger.memberships[0].organisation_id
    p = park["programme"]
    assert client.get(f"/organisations/{own}/programmes/{p.id}/cohort").status_code == 404


def test_a_firm_joins_through_the_page_and_withdraws(client, auth, db_session, park):
    programme = park["programme"]
    operator = programme.organisation.memberships[0].user
    _p, token = programmes.invite_firm(db_session, operator, programme)
    owner = make_user(db_session, email="firm@example.com")
    firm = make_org(db_session, owner=owner, name="Newcomer Ltd")
    _login(auth, "firm@example.com")
    page = client.get(f"/programmes/join/{token}")
    assert page.status_code == 200 and programme.name in page.data.decode()
    response = client.post(
        f"/programmes/join/{token}", data={"organisation_id": firm.id, "consent": "results"}
    )
    assert response.status_code == 302
    joined = db_session.scalar(
        select(Participation).where(Participation.organisation_id == firm.id)
    )
    assert joined.consent == "results"
    response = client.post(
        f"/organisations/{firm.id}/programmes-joined/{joined.id}/consent",
        data={f"p{joined.id}-consent": "withdraw"},
    )
    assert response.status_code == 302
    db_session.refresh(joined)
    assert joined.consent is None and joined.withdrawn_at is not None


def test_participations_from_an_import_are_shown_as_records_only(client, auth, db_session):
    owner = make_user(db_session, email="firm@example.com")
    firm = make_org(db_session, owner=owner, name="Imported Ltd")
    programme = {"name": "Pilot 试点", "operator": "Park <b>"}
    db_session.add(
        ParticipationRecord(
            organisation_id=firm.id, programme=programme, status="sharing", consent="answers"
        )
    )
    db_session.commit()
    _login(auth, "firm@example.com")
    page = client.get(f"/organisations/{firm.id}/programmes-joined/").data.decode()
    assert "Pilot 试点" in page and "Park &lt;b&gt;" in page
    assert "shared results and answers when exported" in page and "linked to no programme" in page
    assert "<form" not in page.split("participation-records")[1]  # nothing to change on a record
    client.post("/language", data={"lang": "zh"})
    page = client.get(f"/organisations/{firm.id}/programmes-joined/").data.decode()
    assert "Pilot 试点" in page and "shared results" not in page


def test_a_viewer_of_the_firm_cannot_withdraw(client, auth, db_session, park):
    firm, participation = park["results"]
    viewer = make_user(db_session, email="viewer@example.com")
    add_member(db_session, firm, viewer, "viewer")
    _login(auth, "viewer@example.com")
    url = f"/organisations/{firm.id}/programmes-joined/{participation.id}/consent"
    response = client.post(url, data={f"p{participation.id}-consent": "withdraw"})
    assert response.status_code == 403
    db_session.refresh(participation)
    assert participation.consent == "results"


def test_the_cohort_page_in_chinese(client, auth, park):
    _login(auth)
    client.post("/language", data={"lang": "zh"})
    html = client.get(_base(park) + "/cohort").data.decode()
    assert "<svg" in html
    assert "Most-needed measures" not in html


def test_the_results_page_hides_a_benchmark_of_four_and_shows_one_of_five(client, auth, db_session):
    from readiness.services import assessments
    from tests.web.access_rules import flagship

    owner = make_user(db_session, email="mine@example.com")
    profile = {"sector": "discrete", "industry": "machinery", "headcount": "20_99"}
    mine = make_org(db_session, owner=owner, profile=profile)
    done = assessments.start_assessment(db_session, mine, flagship(), owner, "Mine")
    assessments.submit(db_session, done, flagship(), owner, confirm_incomplete=True)
    programme = make_programme(db_session)
    for score in (10.0, 20.0, 80.0, 90.0):
        firm, _p = join_firm(db_session, programme)
        store_result(db_session, firm, score, profile=profile)
    _login(auth, "mine@example.com")
    html = client.get(f"/assessments/{done.id}/results").data.decode()
    assert "Among comparable firms" in html
    assert html.count("benchmark-hidden") == 4  # every group has 4 firms
    firm, _p = join_firm(db_session, programme)
    store_result(db_session, firm, 95.0, profile=profile)
    html = client.get(f"/assessments/{done.id}/results").data.decode()
    assert "benchmark-hidden" not in html
    assert re.search(r"<td data-label=\"[^\"]+\">5</td>", html)  # 5 firms in the group


def test_the_owner_edits_the_programme_but_keeps_an_answered_questionnaire(client, auth, park):
    _login(auth)
    url = _base(park) + "/edit"
    form_page = client.get(url).data.decode()
    assert 'value="Pilot park"' in form_page and 'value="2020-01-01"' in form_page
    flagship = 'value="smart-manufacturing-readiness"'
    assert re.search(f"checked[^>]*{flagship}|{flagship}[^>]*checked", form_page)
    form = {"name": "Renamed park", "starts_on": "2020-01-01", "repeat_after_days": "90"}
    refused = client.post(url, data=form | {"questionnaires": "miit-sme-digital-2024"})
    html = refused.data.decode()
    assert refused.status_code == 200 and "have already answered" in html
    assert 'value="Renamed park"' in html  # the input is kept
    kept = ["smart-manufacturing-readiness", "miit-sme-digital-2024"]
    ended = form | {"questionnaires": kept, "ends_on": "2021-12-31"}
    assert client.post(url, data=ended).status_code == 302
    page = client.get(_base(park) + "/").data.decode()
    assert "Renamed park" in page and park["results"][0].name in page
    firm = park["results"][0]
    auth.logout()
    auth.login(firm.memberships[0].user.email, DEFAULT_PASSWORD)
    page = client.get(f"/organisations/{firm.id}/programmes-joined/").data.decode()
    assert "This programme ended on" in page and "Renamed park" in page


def test_deleting_needs_the_name_and_the_firms_see_the_programme_ended(client, auth, park):
    _login(auth)
    url = _base(park) + "/delete"
    wrong = client.post(url, data={"name": "Pilot"})
    assert wrong.status_code == 200 and "does not match" in wrong.data.decode()
    assert client.post(url, data={"name": "Pilot park"}).status_code == 302
    assert client.get(_base(park) + "/").status_code == 404
    firm = park["results"][0]
    auth.logout()
    auth.login(firm.memberships[0].user.email, DEFAULT_PASSWORD)
    page = client.get(f"/organisations/{firm.id}/programmes-joined/").data.decode()
    assert "Programmes that ended" in page and "Pilot park" in page


def test_expired_revoked_used_and_unknown_links_say_what_to_do(client, auth, db_session, park):
    from datetime import timedelta

    programme = park["programme"]
    operator = programme.organisation.memberships[0].user
    late, token = programmes.invite_firm(
        db_session, operator, programme, "late@example.com", valid_for=timedelta(seconds=-1)
    )
    _login(auth)
    assert "Invitation expired" in client.get(_base(park) + "/").data.decode()
    renewed = client.post(f"{_base(park)}/invitations/{late.id}/renew").data.decode()
    fresh = re.search(r"/programmes/join/([\w-]+)", renewed).group(1)
    assert fresh != token and "Link works until" in renewed
    expired = client.get(f"/programmes/join/{token}")  # replaced by the new one: unknown now
    assert expired.status_code == 404 and "not a valid programme invitation" in expired.text
    client.post(f"{_base(park)}/invitations/{late.id}/revoke")
    revoked = client.get(f"/programmes/join/{fresh}")
    assert revoked.status_code == 410 and "has withdrawn this invitation" in revoked.text
    assert "Park operator" in revoked.text
    _old, stale = programmes.invite_firm(
        db_session, operator, programme, valid_for=timedelta(seconds=-1)
    )
    gone = client.get(f"/programmes/join/{stale}")
    assert gone.status_code == 410 and "has expired" in gone.text
    _p, token = programmes.invite_firm(db_session, operator, programme)
    owner = make_user(db_session)
    programmes.join(db_session, owner, token, make_org(db_session, owner=owner).id, "results")
    used = client.get(f"/programmes/join/{token}")
    assert used.status_code == 410 and "has been used already" in used.text


def test_the_programme_page_lists_its_firms_a_page_at_a_time(
    client, auth, db_session, park, monkeypatch
):
    monkeypatch.setattr(programme_firms, "FIRMS_PER_PAGE", 1)
    _login(auth)
    first, second = park["results"][0].name, park["answers"][0].name
    page = client.get(_base(park) + "/").data.decode()
    assert first in page and second not in page and "Page 1 of 2" in page
    assert f'href="{_base(park)}/?page=2" rel="next"' in page
    page = client.get(_base(park) + "/?page=2").data.decode()
    assert second in page and first not in page and 'rel="prev"' in page
    for bad in ("?page=9", "?page=x", "?page=-1"):  # past the end, not a number: a real page
        response = client.get(_base(park) + "/" + bad)
        assert response.status_code == 200 and "Page " in response.data.decode()
    delete = client.get(_base(park) + "/delete").data.decode()
    assert "the participations of its 2 firms" in delete  # the count covers every page
