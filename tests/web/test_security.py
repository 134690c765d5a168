"""Security: the authorisation table for every route, CSRF, headers, cookies, rate limit, errors."""

from __future__ import annotations

import json
import re

import pytest

from tests.api.access_table import API_RULES
from tests.factories import DEFAULT_PASSWORD
from tests.factories import make_org
from tests.factories import make_user
from tests.web.access_rules import ACCESS_LEVELS
from tests.web.access_rules import RULES
from tests.web.access_rules import WORLD_BUILDERS
from tests.web.access_rules import Rule

ROLE_RANK = {"viewer": 0, "editor": 1, "owner": 2}
MEMBER_RULES = [r for r in RULES if r.access in ROLE_RANK]


@pytest.fixture
def world(db_session) -> dict:
    """An organisation with an owner and a viewer; an outsider with an organisation of their own."""
    owner = make_user(db_session, email="owner@example.com")
    viewer = make_user(db_session, email="viewer@example.com")
    outsider = make_user(db_session, email="outsider@example.com")
    org = make_org(db_session, owner=owner, members={viewer: "viewer"})
    make_org(db_session, owner=outsider)
    base = {"org": org.id, "owner": owner.id, "viewer": viewer.id, "token": "not-a-token"}
    return LazyWorld(db_session, base)


class LazyWorld(dict):
    """The world's IDs, built when a rule's path first names one: the builders run in order
    until the name appears (a rule needs one or two of them, and building all of them for
    each of the several hundred rules was most of this file's time). A builder may not change
    an ID an earlier one set."""

    def __init__(self, session, base: dict) -> None:
        super().__init__(base)
        self.session, self.pending = session, list(WORLD_BUILDERS)

    def __missing__(self, key: str):
        while key not in self.keys() and self.pending:
            before = dict(self)
            self.pending.pop(0)(self.session, self)
            changed = [k for k, v in before.items() if dict.__getitem__(self, k) != v]
            assert not changed, f"a world builder overwrote {changed}"
        if key not in self.keys():
            raise KeyError(key)
        return dict.__getitem__(self, key)


def _call(client, rule: Rule, world: dict, **kwargs):
    return client.open(rule.url(world), method=rule.method, data=rule.data, **kwargs)


def test_every_endpoint_is_in_the_access_table(app) -> None:
    listed = {r.endpoint for r in RULES} | {r.endpoint for r in API_RULES}  # API: its own table
    missing = sorted(set(app.view_functions) - listed)
    assert not missing, f"add these endpoints to tests/web/access_rules.py RULES: {missing}"
    assert all(r.access in ACCESS_LEVELS for r in RULES)


def test_access_table_lists_only_real_routes(app) -> None:
    adapter = app.url_map.bind("localhost")
    world = {"org": 1, "owner": 1, "viewer": 2, "token": "t"}
    for rule in RULES:
        extra = {k: 1 for k in re.findall(r"{(\w+)}", rule.path) if k not in world}
        path = rule.url({**world, **extra}).split("?")[0]  # a query string is not routed
        endpoint, _args = adapter.match(path, method=rule.method)
        assert endpoint == rule.endpoint, rule.id


@pytest.mark.parametrize("rule", [r for r in RULES if r.access != "public"], ids=lambda r: r.id)
def test_anonymous_is_sent_to_login(client, world, rule: Rule) -> None:
    response = _call(client, rule, world)
    assert response.status_code == 302, rule.id
    assert "/login?next=" in response.headers["Location"]
    response = _call(client, rule, world, headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert response.json["error"] == 401


@pytest.mark.parametrize("rule", [r for r in RULES if r.access == "public"], ids=lambda r: r.id)
def test_public_routes_need_no_login(client, world, rule: Rule) -> None:
    response = _call(client, rule, world)
    assert response.status_code in (200, 302), rule.id
    assert "next=" not in response.headers.get("Location", "")


@pytest.mark.parametrize("rule", [r for r in MEMBER_RULES if r.org_scoped], ids=lambda r: r.id)
def test_non_member_gets_404(client, auth, world, rule: Rule) -> None:
    auth.login("outsider@example.com", DEFAULT_PASSWORD)
    assert _call(client, rule, world).status_code == 404, rule.id


@pytest.mark.parametrize("rule", MEMBER_RULES, ids=lambda r: r.id)
def test_viewer_role_is_enforced(client, auth, world, rule: Rule) -> None:
    auth.login("viewer@example.com", DEFAULT_PASSWORD)
    status = _call(client, rule, world).status_code
    if ROLE_RANK[rule.access] > ROLE_RANK["viewer"]:
        assert status == 403, rule.id
    else:
        assert status in (200, 302), rule.id


@pytest.mark.parametrize("rule", MEMBER_RULES, ids=lambda r: r.id)
def test_owner_may_use_every_member_route(client, auth, world, rule: Rule) -> None:
    auth.login("owner@example.com", DEFAULT_PASSWORD)
    assert _call(client, rule, world).status_code in (200, 302), rule.id


def _csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, "no CSRF token in the form"
    return match.group(1)


def test_csrf_is_enforced_when_enabled(make_app, db_session) -> None:
    make_user(db_session, email="ada@example.com")
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    form = {"email": "ada@example.com", "password": DEFAULT_PASSWORD}
    response = client.post("/login", data=form)
    assert response.status_code == 400
    assert b"The form has expired" in response.data
    token = _csrf_token(client.get("/login").data.decode())
    response = client.post("/login", data={**form, "csrf_token": token})
    assert response.status_code == 302


@pytest.mark.parametrize("path", ["/", "/login", "/no-such-page", "/static/css/app.css"])
def test_security_headers_on_every_response(client, path: str) -> None:
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'self'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_scripts_or_styles(client, auth) -> None:
    auth.register()
    for path in ("/", "/login", "/organisations/new", "/account/password"):
        html = client.get(path).data.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert "<style" not in html and " style=" not in html, path
        assert not re.search(r"\son[a-z]+=", html), path  # no inline event handlers


@pytest.mark.parametrize(("testing", "secure"), [(True, False), (False, True)])
def test_session_cookie_flags(make_app, db_session, testing: bool, secure: bool) -> None:
    make_user(db_session, email="ada@example.com")
    client = make_app(TESTING=testing).test_client()
    response = client.post(
        "/login", data={"email": "ada@example.com", "password": DEFAULT_PASSWORD}
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert ("Secure" in cookie) is secure


def test_login_rate_limit(make_app) -> None:
    client = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3/minute").test_client()
    form = {"email": "nobody@example.com", "password": "wrong password"}
    statuses = [client.post("/login", data=form).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert b"Too many attempts" in client.post("/login", data=form).data
    assert client.get("/login").status_code == 200  # only POST is limited


def test_rate_limit_is_off_in_tests(client) -> None:
    form = {"email": "nobody@example.com", "password": "wrong password"}
    assert {client.post("/login", data=form).status_code for _ in range(12)} == {200}


@pytest.mark.parametrize(
    ("method", "path", "status"), [("GET", "/no-such-page", 404), ("GET", "/logout", 405)]
)
def test_error_pages_html_and_json(client, method: str, path: str, status: int) -> None:
    response = client.open(path, method=method)
    assert response.status_code == status
    assert b"<h1>" in response.data and b"Traceback" not in response.data
    response = client.open(path, method=method, headers={"Accept": "application/json"})
    assert response.status_code == status
    assert response.json["error"] == status


def test_crash_shows_friendly_500_without_traceback(make_app, caplog) -> None:
    app = make_app()

    def boom() -> str:
        raise RuntimeError("secret internals")

    app.add_url_rule("/boom", "boom", boom)
    client = app.test_client()
    response = client.get("/boom")
    assert response.status_code == 500
    assert b"secret internals" not in response.data and b"Traceback" not in response.data
    assert b"Something went wrong" in response.data
    response = client.get("/boom", headers={"Accept": "application/json"})
    assert json.loads(response.data)["error"] == 500
    assert "secret internals" in caplog.text  # logged for the operator
