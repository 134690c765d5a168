"""The site icon: linked from every page and served where browsers look for it."""

from __future__ import annotations

from flask.testing import FlaskClient


def test_favicon_is_served_at_the_root_and_linked_from_pages(client: FlaskClient) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.headers["Content-Type"] == "image/vnd.microsoft.icon"
    assert icon.data[:4] == b"\x00\x00\x01\x00"  # the ICO file signature
    page = client.get("/login")
    assert '<link rel="icon" href="/favicon.ico"' in page.text
    assert 'href="/static/favicon.svg" type="image/svg+xml"' in page.text
    svg = client.get("/static/favicon.svg")
    assert svg.status_code == 200 and svg.data.startswith(b"<svg")
