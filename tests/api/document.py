"""The API's OpenAPI document as a test oracle: find an operation and check a response by it."""

from __future__ import annotations

import json
import re
from functools import cache
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry
from referencing import Resource
from referencing.jsonschema import DRAFT202012
from werkzeug.wrappers import Response

from readiness.web.api.document import openapi_document

PREFIX = "/api/v1"
DOC_URI = "urn:readiness:openapi"


@lru_cache(maxsize=1)
def _registry() -> Registry:
    resource = Resource.from_contents(openapi_document(), default_specification=DRAFT202012)
    return Registry().with_resource(DOC_URI, resource)


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = openapi_document()
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


@cache
def _path_patterns() -> list[tuple[re.Pattern[str], str]]:
    patterns = []
    for template in openapi_document()["paths"]:
        regex = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        patterns.append((re.compile(f"^{regex}$"), template))
    return patterns


def operation_of(method: str, path: str) -> tuple[str, dict[str, Any]]:
    """(path template, operation) the document gives for a request; AssertionError if none."""
    path = path.split("?", 1)[0].removeprefix(PREFIX)
    for pattern, template in _path_patterns():
        if pattern.match(path):
            item = openapi_document()["paths"][template]
            assert method.lower() in item, f"{method} {template} is not in the OpenAPI document"
            return template, item[method.lower()]
    raise AssertionError(f"{path} is not in the OpenAPI document")


def check_response(method: str, path: str, response: Response) -> None:
    """Fail unless the response's status, content type and body are what the document says."""
    template, operation = operation_of(method, path)
    status = str(response.status_code)
    assert status in operation["responses"], (
        f"{method} {template} answered {status}, not documented: {response.get_data()[:300]!r}"
    )
    spec = _resolve(operation["responses"][status])
    content = spec.get("content")
    if not content:
        return
    mimetype = response.mimetype
    assert mimetype in content, f"{method} {template} {status}: undocumented type {mimetype}"
    schema = content[mimetype].get("schema", {})
    if mimetype.endswith("json"):
        body = json.loads(response.get_data(as_text=True))
        Draft202012Validator(_absolute_refs(schema), registry=_registry()).validate(body)


def _absolute_refs(node: Any) -> Any:
    """A copy of a schema fragment whose $refs point into the registered document."""
    if isinstance(node, dict):
        return {
            k: (DOC_URI + v if k == "$ref" and v.startswith("#") else _absolute_refs(v))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_absolute_refs(v) for v in node]
    return node
