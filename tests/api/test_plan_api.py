"""The action plan through the API: list and filters, create, read, If-Match changes, history.

Every response goes through the ApiClient, which checks it against the OpenAPI document.
"""

from __future__ import annotations

from datetime import date
from datetime import timedelta

from sqlalchemy import select

from readiness.models import AuditEvent
from readiness.models import PlanAction


def test_create_read_and_list_with_filters(api_as, team, db_session) -> None:
    api = api_as("editor")
    overdue_day = (date.today() - timedelta(days=3)).isoformat()
    created = api.post(
        "/plan/actions",
        json={
            "title": "Connect the presses",
            "measure_id": "6.3",
            "challenge_area": "5.3",
            "question_ids": ["infrastructure.network"],
            "owner_id": team["editor"].id,
            "due_date": overdue_day,
            "effort": "medium",
        },
    )
    assert created.status_code == 201 and created.headers["ETag"] == '"1"'
    body = created.get_json()
    assert body["questionnaire_id"] == "smart-manufacturing-readiness"
    assert body["overdue"] is True and body["owner"] == team["editor"].name
    assert created.headers["Location"].endswith(f"/api/v1/plan/actions/{body['id']}")
    api.post("/plan/actions", json={"title": "Train people", "measure_id": "6.4"})
    api.post("/plan/actions", json={"title": "Outside help", "owner_name": "Ms Wu"})
    read = api.get(f"/plan/actions/{body['id']}")
    assert read.get_json() == body and read.headers["ETag"] == '"1"'

    def titles(query: str) -> list[str]:
        response = api.get("/plan/actions" + query)
        assert response.status_code == 200, response.get_data(as_text=True)
        return [a["title"] for a in response.get_json()["items"]]

    assert titles("") == ["Connect the presses", "Train people", "Outside help"]
    assert titles("?measure=6.4") == ["Train people"]
    assert titles(f"?owner=user:{team['editor'].id}") == ["Connect the presses"]
    assert titles("?owner=name:Ms Wu") == ["Outside help"]
    assert titles("?owner=none") == ["Train people"]
    assert titles("?overdue=true") == ["Connect the presses"]
    assert titles("?status=done") == []
    page = api.get("/plan/actions?per_page=2&page=2").get_json()
    assert (page["total"], [a["title"] for a in page["items"]]) == (3, ["Outside help"])
    assert api.get("/plan/actions?status=finished").status_code == 400
    assert api.get("/plan/actions?owner=somebody").status_code == 400


def test_bad_fields_are_422_with_the_field_named(api_as, team) -> None:
    api = api_as("editor")
    cases = [
        ({"title": ""}, "title"),
        ({"title": "x", "due_date": "31.12.2026"}, "due_date"),
        ({"title": "x", "status": "finished"}, "status"),
        ({"title": "x", "measure_id": "9.9"}, "measure_id"),
        ({"title": "x", "question_ids": ["no.such.question"]}, "no.such.question"),
        ({"title": "x", "status": "dropped"}, "reason"),
        ({"title": "x", "owner_id": team["other"].memberships[0].user_id}, "member"),
        ({"title": "x", "evidence_links": ["javascript:alert(1)"]}, "evidence"),
        ({"title": "x", "colour": "red"}, "colour"),
        ({"title": "x", "start_date": "2026-05-01", "due_date": "2026-04-01"}, ""),
    ]
    for body, word in cases:
        response = api.post("/plan/actions", json=body)
        assert response.status_code == 422, body
        assert word in response.get_json()["detail"], (body, response.get_json())


def test_changes_need_the_current_revision_and_are_recorded(api_as, team, db_session) -> None:
    editor, viewer = api_as("editor"), api_as("viewer")
    action = editor.post("/plan/actions", json={"title": "Pilot", "measure_id": "6.2"}).get_json()
    url = f"/plan/actions/{action['id']}"
    assert editor.patch(url, json={"status": "in_progress"}).status_code == 428
    changed = editor.patch(url, json={"status": "in_progress"}, headers={"If-Match": '"1"'})
    assert changed.status_code == 200 and changed.headers["ETag"] == '"2"'
    assert changed.get_json()["status"] == "in_progress"
    # a second change from the same (now stale) revision is refused, nothing saved
    stale = editor.patch(url, json={"notes": "mine"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    assert editor.get(url).get_json()["notes"] == ""
    assert (
        editor.patch(url, json={"notes": "x"}, headers={"If-Match": "nonsense"}).status_code == 412
    )
    # a partial change keeps every other field
    done = editor.patch(url, json={"status": "done"}, headers={"If-Match": 'W/"2"'})
    assert done.get_json()["measure_id"] == "6.2" and done.get_json()["done_at"]
    history = viewer.get(f"{url}/history").get_json()["changes"]
    assert [c["kind"] for c in history] == ["created", "updated", "updated"]
    assert history[1]["changes"]["status"] == ["planned", "in_progress"]
    assert history[2]["by"] == team["editor"].name
    assert viewer.patch(url, json={"notes": "x"}, headers={"If-Match": '"3"'}).status_code == 403


def test_owners_delete_through_the_api_and_the_audit_log_says_so(api_as, db_session) -> None:
    owner = api_as("owner")
    action = owner.post("/plan/actions", json={"title": "Short-lived"}).get_json()
    assert api_as("editor").delete(f"/plan/actions/{action['id']}").status_code == 403
    assert owner.delete(f"/plan/actions/{action['id']}").status_code == 204
    assert owner.get(f"/plan/actions/{action['id']}").status_code == 404
    assert db_session.get(PlanAction, action["id"]) is None
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "plan_action_deleted"))
    assert event.target == f"plan_action:{action['id']}"
