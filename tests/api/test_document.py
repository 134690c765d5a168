"""The OpenAPI document is valid OpenAPI 3.1, and the response checker can fail."""

from __future__ import annotations

import json

import pytest
from jsonschema.exceptions import ValidationError
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
from werkzeug.wrappers import Response

from readiness.web.api.doc_texts import DOC_TEXTS
from readiness.web.api.document import doc_key
from readiness.web.api.document import openapi_document
from tests.api.document import check_response


def test_document_is_valid_openapi_3_1() -> None:
    document = openapi_document()
    assert document["openapi"].startswith("3.1")
    validate(document)  # raises on any violation of the OpenAPI 3.1 schema


def test_a_broken_document_is_caught() -> None:
    broken = json.loads(json.dumps(openapi_document()))
    broken["paths"]["/organisations"]["get"]["responses"] = "none"
    with pytest.raises(OpenAPIValidationError):
        validate(broken)


def test_served_document_is_the_shipped_one(client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.get_json() == openapi_document()


def _response(status: int, body: object, mimetype: str = "application/json") -> Response:
    return Response(json.dumps(body), status=status, mimetype=mimetype)


def test_checker_rejects_an_undocumented_status_or_body() -> None:
    good = _response(200, [{"id": 1, "name": "A", "role": "owner", "profile": {}}])
    check_response("GET", "/api/v1/organisations", good)
    with pytest.raises(AssertionError):
        check_response("GET", "/api/v1/organisations", _response(418, {}))
    with pytest.raises(ValidationError):
        check_response("GET", "/api/v1/organisations", _response(200, [{"id": "one"}]))
    with pytest.raises(AssertionError):
        check_response("GET", "/api/v1/nowhere", good)


def _document_texts(node: object) -> set[str]:
    """Every summary and description in the document (whitespace collapsed)."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("summary", "description") and isinstance(value, str):
                found.add(doc_key(value))
            else:
                found |= _document_texts(value)
    elif isinstance(node, list):
        for value in node:
            found |= _document_texts(value)
    return found


def test_every_text_of_the_reference_page_is_translatable(app) -> None:
    with app.test_request_context():
        listed = {str(text) for text in DOC_TEXTS}
    missing = _document_texts(openapi_document()) - listed
    assert not missing, f"add to readiness/web/api/doc_texts.py: {sorted(missing)}"


def test_the_reference_page_is_chinese_in_chinese(client) -> None:
    page = client.get("/api/v1/docs", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "修改行动的部分字段（编辑者，<code>write</code> 令牌）" in page
    assert "Change some fields of an action" not in page
    english = client.get("/api/v1/docs?lang=en").get_data(as_text=True)
    assert "Change some fields of an action (editors, <code>write</code> token)" not in english
    assert "Change some fields of an action (editors, write token); needs If-Match." in english
