"""The JSON API through HTTP: every response is checked against the OpenAPI document."""

from __future__ import annotations

import json

import pytest

FLAGSHIP = "smart-manufacturing-readiness"


def _start(api, title: str = "Spring") -> dict:
    response = api.post("/assessments", json={"questionnaire_id": FLAGSHIP, "title": title})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_questionnaires_list_and_export(api) -> None:
    listed = api.get("/questionnaires").get_json()
    assert FLAGSHIP in {q["id"] for q in listed}
    exported = api.get(f"/questionnaires/{FLAGSHIP}").get_json()
    assert exported["id"] == FLAGSHIP and len(exported["questions"]) > 10
    assert api.get("/questionnaires/nope").status_code == 404
    assert api.get(f"/questionnaires/{FLAGSHIP}?version=99").status_code == 404


def test_organisations_are_the_tokens_only(api, team) -> None:
    body = api.get("/organisations").get_json()
    assert [o["id"] for o in body] == [team["org"].id]
    assert body[0]["role"] == "owner"


def test_create_read_list_with_pagination_and_filters(api) -> None:
    created = [_start(api, f"A{n}") for n in range(3)]
    assert created[0]["status"] == "draft" and created[0]["revision"] == 1
    one = api.get(f"/assessments/{created[0]['id']}")
    assert one.headers["ETag"] == '"1"'
    assert one.get_json()["progress"]["answered"] == 0
    page = api.get("/assessments?per_page=2&page=1").get_json()
    assert page["total"] == 3 and len(page["items"]) == 2
    rest = api.get("/assessments?per_page=2&page=2").get_json()
    assert len(rest["items"]) == 1
    assert {a["id"] for a in page["items"] + rest["items"]} == {a["id"] for a in created}
    assert api.get("/assessments?status=submitted").get_json()["total"] == 0
    assert api.get("/assessments?questionnaire_id=other").get_json()["total"] == 0
    assert api.get("/assessments?per_page=0").status_code == 400
    assert api.get("/assessments?status=lost").status_code == 400


def test_answers_patch_with_if_match_and_conflicts(api_as) -> None:
    alice, bob = api_as("owner"), api_as("editor")
    draft = _start(alice)
    path = f"/assessments/{draft['id']}/answers"
    read = alice.get(path)
    etag = read.headers["ETag"]
    assert read.get_json()["answers"] == {}
    missing = alice.patch(path, json={"answers": {"data.governance": {"value": 3}}})
    assert missing.status_code == 428
    saved = bob.patch(
        path, json={"answers": {"data.governance": {"value": 3}}}, headers={"If-Match": etag}
    )
    assert saved.status_code == 200, saved.get_json()
    assert saved.get_json()["saved"] == ["data.governance"]
    new_etag = saved.headers["ETag"]
    assert new_etag != etag
    # Alice still holds the old ETag: her change to the same question is not written.
    clash = alice.patch(
        path,
        json={"answers": {"data.governance": {"value": 1}, "data.quality": {"value": 2}}},
        headers={"If-Match": etag},
    )
    assert clash.status_code == 409
    assert clash.mimetype == "application/problem+json"
    problem = clash.get_json()
    assert [c["question_id"] for c in problem["conflicts"]] == ["data.governance"]
    assert problem["conflicts"][0]["theirs"]["value"] == 3
    assert problem["saved"] == ["data.quality"]
    stored = alice.get(path).get_json()["answers"]
    assert stored["data.governance"]["value"] == 3 and stored["data.quality"]["value"] == 2
    # A comment alone keeps the stored value; null clears the answer.
    current = alice.get(path).headers["ETag"]
    noted = alice.patch(
        path,
        json={"answers": {"data.governance": {"comment": "audited"}, "data.quality": None}},
        headers={"If-Match": current},
    )
    assert noted.status_code == 200, noted.get_json()
    stored = alice.get(path).get_json()["answers"]
    assert stored["data.governance"] | {"comment": "audited"} == stored["data.governance"]
    assert stored["data.governance"]["value"] == 3
    assert "data.quality" not in stored


@pytest.mark.parametrize(
    ("body", "if_match", "status"),
    [
        ({"answers": {"data.governance": {"value": 99}}}, None, 422),
        ({"answers": {"no.such": {"value": 1}}}, None, 422),
        ({"answers": {"data.governance": {"colour": 1}}}, None, 422),
        ({"answers": []}, None, 422),
        ({"answers": {}}, '"abc"', 412),
        ({"answers": {}}, '"999"', 412),
    ],
)
def test_bad_patches_are_clear_errors(api, body, if_match, status) -> None:
    draft = _start(api)
    path = f"/assessments/{draft['id']}/answers"
    headers = {"If-Match": if_match or api.get(path).headers["ETag"]}
    response = api.patch(path, json=body, headers=headers)
    assert response.status_code == status
    assert response.get_json()["detail"]


def test_non_json_body_is_refused(api) -> None:
    draft = _start(api)
    path = f"/assessments/{draft['id']}/answers"
    response = api.patch(
        path,
        data="x=1",
        headers={"If-Match": "*"},
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 415
    response = api.patch(path, data="{", headers={"If-Match": "*"}, content_type="application/json")
    assert response.status_code == 400


def test_submit_results_reports_and_comparison(api) -> None:
    first, second = _start(api, "One"), _start(api, "Two")
    path = f"/assessments/{first['id']}"
    assert api.get(path + "/results").status_code == 409
    incomplete = api.post(path + "/submit", json={})
    assert incomplete.status_code == 422 and incomplete.get_json()["unanswered"]
    api.patch(
        path + "/answers",
        json={"answers": {"data.governance": {"value": 4}}},
        headers={"If-Match": "*"},
    )
    done = api.post(path + "/submit", json={"confirm_incomplete": True})
    assert done.status_code == 200 and done.get_json()["status"] == "submitted"
    assert api.post(path + "/submit", json={"confirm_incomplete": True}).status_code == 409
    locked = api.patch(path + "/answers", json={"answers": {}}, headers={"If-Match": "*"})
    assert locked.status_code == 409
    results = api.get(path + "/results?lang=zh").get_json()
    assert results["overall"]["level"] is not None
    for fmt in ("json", "csv", "html", "xlsx", "docx"):
        response = api.get(f"{path}/report.{fmt}")
        assert response.status_code == 200, fmt
    report = json.loads(api.get(f"{path}/report.json").get_data(as_text=True))
    assert report["answers"]["data.governance"]["value"] == 4
    assert api.get(f"{path}/report.exe").status_code == 404
    api.post(f"/assessments/{second['id']}/submit", json={"confirm_incomplete": True})
    pair = api.get(f"/comparisons?ids={first['id']}&ids={second['id']}")
    assert pair.status_code == 200 and pair.get_json()["kind"] == "pair"
    csv = api.get(f"/comparisons?ids={first['id']}&ids={second['id']}&format=csv")
    assert csv.mimetype == "text/csv"
    assert api.get(f"/comparisons?ids={first['id']}").status_code == 422
    assert api.get("/comparisons?ids=x").status_code == 400


def test_session_cookie_is_not_accepted(client, auth, team) -> None:
    auth.login(team["owner"].email)
    assert client.get("/assessments/").status_code == 200  # the cookie works on pages
    response = client.get("/api/v1/organisations")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Set-Cookie" not in response.headers, "the session is neither read nor refreshed"
    docs = client.get("/api/v1/docs").get_data(as_text=True)
    assert team["owner"].name not in docs, "even the reference page ignores the cookie"
    assert client.get("/assessments/").status_code == 200, "the page session is intact"


def test_api_is_csrf_exempt_and_sets_no_cookie(make_app, make_token) -> None:
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    response = client.post(
        "/api/v1/assessments?lang=zh",
        json={"questionnaire_id": FLAGSHIP, "title": "No CSRF needed"},
        headers={"Authorization": f"Bearer {make_token()}"},
    )
    assert response.status_code == 201
    assert "Set-Cookie" not in response.headers


def test_unknown_api_address_is_problem_json(client) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_a_doubled_slash_is_not_found_not_redirected(client) -> None:
    """An address with "//" (e.g. an ID that starts with a slash) is no address of ours: 404.

    Werkzeug would answer 308 to the address with the slashes merged, which an API client
    should never be sent and which no operation documents.
    """
    response = client.get(f"/api/v1/questionnaires//{FLAGSHIP}")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"
    assert client.get("/assessments//").status_code == 404


def test_rate_limit(make_app, make_token) -> None:
    app = make_app(RATELIMIT_ENABLED=True, API_RATE_LIMIT="3/minute")
    client = app.test_client()
    headers = {"Authorization": f"Bearer {make_token()}"}
    codes = [client.get("/api/v1/organisations", headers=headers).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.get("/api/v1/organisations", headers=headers)
    assert limited.mimetype == "application/problem+json"


def test_reference_page_from_local_assets(client) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "updateAnswers" in page and "/api/v1/assessments/{assessment_id}/answers" in page
    assert "<script>" not in page and "style=" not in page
    assert "http://" not in page.replace("http://localhost", "") and "https://" not in page
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_nul_characters_are_refused_not_stored(api) -> None:
    assert api.get("/assessments?questionnaire_id=a%00b").status_code == 400
    created = api.post("/assessments", json={"questionnaire_id": FLAGSHIP, "title": "a\x00b"})
    assert created.status_code == 422
    draft = _start(api)
    patch = api.patch(
        f"/assessments/{draft['id']}/answers",
        json={"answers": {"data.governance": {"value": 2, "comment": "x\x00"}}},
        headers={"If-Match": "*"},
    )
    assert patch.status_code == 422


def test_api_refuses_shared_answers_of_other_kinds(api_as, db_session, team) -> None:
    """A several-respondent assessment is answered per respondent, an on-site one by its
    consultant: the API says so (409) instead of writing or submitting around them."""
    from readiness.services import assessments
    from tests.web.access_rules import flagship

    editor = api_as("editor")
    owner = team["owner"]
    for kind in ("respondents", "on_site"):
        draft = assessments.start_assessment(
            db_session, team["org"], flagship(), owner, kind, kind=kind
        )
        path = f"/assessments/{draft.id}/answers"
        etag = editor.get(path).headers["ETag"]
        body = {"answers": {"data.governance": {"value": 3}}}
        response = editor.patch(path, json=body, headers={"If-Match": etag})
        assert response.status_code == 409, (kind, response.get_json())
        response = editor.post(f"/assessments/{draft.id}/submit", json={"confirm_incomplete": True})
        assert response.status_code == 409, (kind, response.get_json())
