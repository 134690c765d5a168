"""A fuzz pass over every route and form: hostile values never produce a 500 (issue 10).

Every route of the authorisation table (tests/web/access_rules.py, which lists every endpoint)
is called by a signed-in owner with each hostile value in turn: in every integer and token
slot of its path, in `next`/`lang`/`ids` query parameters, and in every form field any page
of the app shows. Bounded: a fixed table, a few hundred requests per database.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient

from tests.factories import DEFAULT_PASSWORD
from tests.factories import make_org
from tests.factories import make_user
from tests.web.access_rules import RULES
from tests.web.access_rules import WORLD_BUILDERS

HOSTILE = [
    "9" * 30,  # beyond 64 bits
    str(2**31),  # beyond PostgreSQL's INTEGER
    "-1",
    " \t",
    "\x00",
    "/\r\nSet-Cookie: x=1",
    "x" * 20_000,
    '=HYPERLINK("http://evil.example")\x0b',
    "'\"<script>%00%ff",
]
# Path slots of the access table and what hostile text goes into each.
ID_SLOTS = ("org", "owner", "viewer", "draft", "submitted", "submitted2", "share_link")
TOKEN_SLOTS = ("token", "share_token")


@pytest.fixture
def world(db_session) -> dict[str, Any]:
    """The access table's world: an organisation with an owner and a viewer, assessments, links."""
    owner = make_user(db_session, email="owner@example.com")
    viewer = make_user(db_session, email="viewer@example.com")
    org = make_org(db_session, owner=owner, members={viewer: "viewer"})
    world: dict[str, Any] = {"org": org.id, "owner": owner.id, "viewer": viewer.id, "token": "t"}
    for build in WORLD_BUILDERS:
        build(db_session, world)
    # a second organisation: the header's switcher (organisation_id) shows only with two or more
    make_org(db_session, owner=owner, name="Second Works")
    return world


def _signed_in(client: FlaskClient) -> None:
    response = client.post(
        "/login", data={"email": "owner@example.com", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302


def _field_names(client: FlaskClient, world: dict[str, Any]) -> set[str]:
    """Every input name on every page of the access table (what a browser could send)."""
    names: set[str] = set()
    for rule in RULES:
        if rule.method == "GET":
            response = client.get(rule.url(world))
            if response.mimetype == "text/html":
                names |= set(re.findall(r'name="([^"]+)"', response.get_data(as_text=True)))
    return names - {"csrf_token"}


def _paths(path: str, world: dict[str, Any], value: str) -> list[str]:
    """The rule's path with the hostile value in each slot in turn (URL-quoted)."""
    out = []
    for slot in re.findall(r"{(\w+)}", path):
        if slot in ID_SLOTS or slot in TOKEN_SLOTS:
            out.append(path.format(**{**world, slot: quote(value, safe="")}))
    return out


def test_no_route_or_form_gives_a_500(client: FlaskClient, world: dict[str, Any]) -> None:
    _signed_in(client)
    fields = _field_names(client, world)
    assert {"email", "password", "next", "organisation_id", "base_revision", "title"} <= fields
    failures: list[str] = []
    calls = 0
    for rule in sorted(RULES, key=lambda r: r.endpoint == "auth.logout"):  # sign-out last
        _signed_in(client)
        for value in HOSTILE:
            data = {name: value for name in fields} if rule.method == "POST" else None
            extra = "&".join(f"{k}={quote(value, safe='')}" for k in ("next", "lang", "ids"))
            targets = [rule.url(world), *_paths(rule.path, world, value)]
            for target in targets:
                target += ("&" if "?" in target else "?") + extra
                response = client.open(target, method=rule.method, data=data)
                calls += 1
                if response.status_code >= 500:
                    failures.append(f"{rule.method} {target[:80]!r} {value[:20]!r}")
    # Raw bytes that are not UTF-8, in a form body and in a path.
    for path in ("/login", "/register", "/language", "/organisations/switch"):
        response = client.post(
            path,
            data=b"email=%ff%fe&name=\xff\xfe&next=%c0%af",
            content_type="application/x-www-form-urlencoded",
        )
        calls += 1
        if response.status_code >= 500:
            failures.append(f"POST {path} non-UTF-8")
    assert client.get("/assessments/%ff%fe").status_code == 404
    assert calls > 400
    assert not failures, f"{len(failures)} of {calls} requests gave a 500:\n" + "\n".join(failures)
