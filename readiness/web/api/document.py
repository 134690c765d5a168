"""The API's OpenAPI 3.1 document, as JSON and as a readable page (no script, local CSS).

The page shows the document's summaries and descriptions in the page language (doc_texts.py
lists them for the catalogs); identifiers stay as they are, set as code.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from flask import Response
from flask import render_template
from flask_babel import gettext
from markupsafe import Markup
from markupsafe import escape

from readiness.web.api.core import bp
from readiness.web.api.core import json_response

DOCUMENT_PATH = Path(__file__).with_name("openapi.yaml")
METHODS = ("get", "post", "put", "patch", "delete")
_CODE = re.compile(r"`([^`]+)`")


@lru_cache(maxsize=1)
def openapi_document() -> dict[str, Any]:
    """The OpenAPI document shipped with the package."""
    return yaml.safe_load(DOCUMENT_PATH.read_text(encoding="utf-8"))


def operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every operation of the document with its path and method, in document order."""
    found = []
    for path, item in document["paths"].items():
        shared = item.get("parameters", [])
        for method in METHODS:
            if method in item:
                operation = item[method]
                found.append(
                    {
                        "path": path,
                        "method": method.upper(),
                        "parameters": [*shared, *operation.get("parameters", [])],
                        **operation,
                    }
                )
    return found


def doc_key(text: str) -> str:
    """A document text as its catalog entry: whitespace collapsed."""
    return " ".join(text.split())


@bp.app_template_filter("api_text")
def api_text(text: str | None) -> Markup:
    """A summary or description of the document in the page language, `code` set as code."""
    if not text:
        return Markup("")
    translated = str(escape(gettext(doc_key(text))))
    return Markup(_CODE.sub(lambda m: f"<code>{m.group(1)}</code>", translated))


@bp.get("/openapi.json")
def openapi_json() -> Response:
    """The OpenAPI 3.1 document (no token needed)."""
    return json_response(openapi_document())


@bp.get("/docs")
def docs() -> str:
    """The API reference as a page, rendered on the server from the same document."""
    document = openapi_document()
    return render_template("api/docs.html", document=document, operations=operations(document))
