"""URL converters: `<int:…>` route parameters hold database IDs, so they stop at MAX_ID."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter
from werkzeug.routing import Map

from readiness.models.base import MAX_ID


class IdConverter(IntegerConverter):
    """An integer route parameter within 0..MAX_ID: larger numbers do not match (404)."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def register_converters(app: Flask) -> None:
    """Make every `<int:…>` route parameter an IdConverter (before any route is added)."""
    app.url_map.converters["int"] = IdConverter
