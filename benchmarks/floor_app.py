"""The "floor" of bench_pages.py: a minimal Flask page doing one SQLite query and a small template.

Served by gunicorn with the app's settings: `gunicorn 'benchmarks.floor_app:create_app()'`
with FLOOR_DATABASE pointing at an SQLite file (bench_pages.py creates it).
"""

from __future__ import annotations

import os
import sqlite3

from flask import Flask
from flask import g
from flask import render_template
from jinja2 import DictLoader

TEMPLATE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
</head><body><h1>{{ title }}</h1><ul>{% for row in rows %}<li>{{ row[0] }}: {{ row[1] }}</li>
{% endfor %}</ul></body></html>"""


def create_app() -> Flask:
    """The floor app: GET / reads five rows from an SQLite table and renders them."""
    app = Flask(__name__)
    # a template file as the app has them: compiled once, then kept (render_template_string
    # would compile it on every request, making the floor slower than a real small page)
    app.jinja_loader = DictLoader({"floor.html": TEMPLATE})
    path = os.environ["FLOOR_DATABASE"]

    @app.route("/")
    def index() -> str:
        if "db" not in g:
            g.db = sqlite3.connect(path)
        rows = g.db.execute("SELECT id, name FROM items ORDER BY id LIMIT 5").fetchall()
        return render_template("floor.html", title="Floor", rows=rows)

    @app.teardown_appcontext
    def close(_exc: BaseException | None) -> None:
        db = g.pop("db", None)
        if db is not None:
            db.close()

    return app


def make_database(path: str) -> None:
    """Create the floor's table with a few rows."""
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, name TEXT)")
        db.executemany("INSERT INTO items (name) VALUES (?)", [(f"item {n}",) for n in range(20)])
