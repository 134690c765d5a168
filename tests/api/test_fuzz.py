"""A bounded property-based run of every API operation: no 500, nothing the document forbids.

Requests are drawn from the OpenAPI document itself (hypothesis-jsonschema turns each schema
into a strategy), with a sprinkle of arbitrary JSON and headers; every response must be
documented for its operation and match its schema (tests/api/document.py).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from urllib.parse import quote
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from readiness.domain.plan_links import candidates
from readiness.services import assessments
from readiness.services import plans
from readiness.web.api.document import openapi_document
from readiness.web.api.document import operations
from tests.api.document import check_response
from tests.web.access_rules import flagship

EXAMPLES = 15  # per operation: about 200 requests in all
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)

QUESTION_IDS = [q.id for q in flagship().questions]


def _inline(node: Any) -> Any:
    """The schema with every $ref into the document replaced by its target."""
    if isinstance(node, dict):
        if "$ref" in node:
            target: Any = openapi_document()
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            return _inline(target)
        return {k: _inline(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline(v) for v in node]
    return node


def schema_strategy(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values of a (ref-free) schema: objects built here, everything else by hypothesis-jsonschema.

    hypothesis-jsonschema 0.23's object strategy uses a Hypothesis internal that newer
    Hypothesis releases removed, so objects are composed from their properties' strategies.
    """
    if "oneOf" in schema:
        return st.one_of([schema_strategy(s) for s in schema["oneOf"]])
    if schema.get("type") != "object":
        typed = "type" in schema or "enum" in schema
        return from_schema(schema) if typed else JSON_VALUES  # an untyped value: any JSON
    properties = schema.get("properties", {})
    required = set(schema.get("required", ()))
    fixed = st.fixed_dictionaries(
        {k: schema_strategy(v) for k, v in properties.items() if k in required},
        optional={k: schema_strategy(v) for k, v in properties.items() if k not in required},
    )
    extra = schema.get("additionalProperties", True)
    if extra is False:
        return fixed
    values = JSON_VALUES if extra is True else schema_strategy(extra)
    keys = (
        st.text(max_size=20)
        if extra is True
        else st.sampled_from(QUESTION_IDS) | st.text(max_size=20)
    )
    more = st.dictionaries(keys, values, max_size=4)
    return st.builds(lambda a, b: {**b, **a}, fixed, more)


def _parameter(param: dict[str, Any], world: dict[str, list[int]]) -> st.SearchStrategy[Any]:
    ids = world["assessments"]
    if param["name"] == "action_id":
        return st.sampled_from([*world["actions"], 0, 987654])
    if param["name"] == "assessment_id":
        return st.sampled_from([*ids, 0, 987654])
    if param["name"] == "ids":
        return st.lists(st.sampled_from([*ids, 987654]), min_size=0, max_size=4)
    if param["name"] == "If-Match":
        return st.sampled_from(['"1"', '"2"', "*", 'W/"1"', "nonsense", '"99"'])
    return schema_strategy(_inline(param["schema"]))


OPERATIONS = operations(openapi_document())


# Operations that read nothing of the token's assessments or plan: no world to build for them.
WITHOUT_WORLD = ("/questionnaires", "/organisations", "/programmes", "/participations")


@pytest.fixture
def fuzz_world(db_session, team, operation) -> dict[str, list[int]]:
    """A draft with an answer, two submitted assessments and two plan actions of the token's
    organisation (one adopted, one own with an owner and a due date); empty for operations
    that never look at them."""
    if operation["path"].startswith(WITHOUT_WORLD):
        return {"assessments": [], "actions": []}
    q, org, owner = flagship(), team["org"], team["owner"]
    draft = assessments.start_assessment(db_session, org, q, owner, "Draft")
    page = {"data.governance": assessments.PageAnswer("answered", 2)}
    assessments.save_answers(db_session, draft, q, page, draft.revision, owner)
    ids = [draft.id]
    for title in ("Done", "Again"):
        done = assessments.start_assessment(db_session, org, q, owner, title)
        assessments.submit(db_session, done, q, owner, confirm_incomplete=True)
        ids.append(done.id)
    offered = candidates(q, assessments.stored_result(db_session, done, "en"))
    adopted = plans.adopt(db_session, org, owner, done, offered[:1]).added
    fields = plans.ActionFields(
        "Own", owner_id=team["editor"].id, due_date=date(2025, 1, 1), measure_id="6.2"
    )
    own = plans.create_action(db_session, org, owner, fields, (q.id, q.version))
    return {"assessments": ids, "actions": [a.id for a in adopted] + [own.id]}


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda o: f"{o['method']} {o['path']}")
def test_operation_never_fails_or_breaks_its_schema(client, make_token, fuzz_world, operation):
    token = make_token("owner", "write")
    params = [_inline(p) for p in operation["parameters"]]
    body_schema = None
    if "requestBody" in operation:
        body_schema = _inline(operation["requestBody"]["content"]["application/json"]["schema"])

    @settings(
        max_examples=EXAMPLES,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        path, query, headers = operation["path"], [], {"Authorization": f"Bearer {token}"}
        for param in params:
            if not param.get("required") and data.draw(st.booleans()):
                continue
            value = data.draw(_parameter(param, fuzz_world), label=param["name"])
            if param["in"] == "path":
                path = path.replace("{" + param["name"] + "}", quote(str(value), safe=""))
            elif param["in"] == "header":
                headers[param["name"]] = value
            elif isinstance(value, list):
                query += [(param["name"], v) for v in value]
            else:
                query.append(
                    (param["name"], json.dumps(value) if isinstance(value, bool) else value)
                )
        kwargs: dict[str, Any] = {}
        if body_schema is not None:
            body = data.draw(schema_strategy(body_schema) | JSON_VALUES, label="body")
            kwargs["json"] = body
        url = "/api/v1" + path + ("?" + urlencode(query) if query else "")
        response = client.open(url, method=operation["method"], headers=headers, **kwargs)
        assert response.status_code < 500, (url, response.get_data()[:300])
        check_response(operation["method"], url, response)

    run()
