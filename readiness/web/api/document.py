"""The API's OpenAPI 3.1 document, as JSON and as a readable page (no script, local CSS)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from flask import Response
from flask import render_template

from readiness.web.api.core import bp
from readiness.web.api.core import json_response

DOCUMENT_PATH = Path(__file__).with_name("openapi.yaml")
METHODS = ("get", "post", "put", "patch", "delete")


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


@bp.get("/openapi.json")
def openapi_json() -> Response:
    """The OpenAPI 3.1 document (no token needed)."""
    return json_response(openapi_document())


@bp.get("/docs")
def docs() -> str:
    """The API reference as a page, rendered on the server from the same document."""
    document = openapi_document()
    return render_template("api/docs.html", document=document, operations=operations(document))
