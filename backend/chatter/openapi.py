"""The OpenAPI document, generated from the views' @doc facts and marshmallow schemas."""

import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import current_app

from .limits import ID_MAX

PROBLEM = {
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
}
ROW_ID = {"type": "integer", "minimum": 1, "maximum": ID_MAX}  # every id in a path
_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


def doc(body=None, query=None, response=None, status=200, auth=True, idempotent=True):  # noqa: PLR0913
    """Attach OpenAPI facts to a view; build_spec() reads them.

    A POST answering 201 takes an Idempotency-Key unless `idempotent` is False (a flag: a
    repeat is a harmless 200 anyway). `status` 201 of such a view also documents its 200.
    """

    def decorate(view):
        view.openapi = {
            "body": body,
            "query": query,
            "response": response,
            "status": status,
            "auth": auth,
            "idempotent": idempotent,
        }
        return view

    return decorate


def _operation(rule, view, method):
    facts = getattr(view, "openapi", {})
    summary, _, description = (view.__doc__ or rule.endpoint).strip().partition("\n")
    operation = {
        "operationId": f"{rule.endpoint.split('.')[-1]}",
        "summary": summary,
        "tags": [rule.rule.split("/")[3]],
        "responses": {
            "default": {
                "description": "Error",
                "content": {
                    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                },
            }
        },
    }
    if description.strip():
        operation["description"] = description.strip()
    parameters = [
        {"in": "path", "name": name, "required": True, "schema": ROW_ID}
        for name in _PARAM.findall(rule.rule)
    ]
    if facts.get("query"):
        parameters.append({"in": "query", "schema": facts["query"]})
    if (
        method == "POST"
        and facts.get("status") == 201
        and facts.get("auth", True)
        and facts.get("idempotent", True)
    ):
        parameters.append(
            {
                "in": "header",
                "name": "Idempotency-Key",
                "required": True,
                "schema": {"type": "string", "maxLength": 100},
            }
        )
    if parameters:
        operation["parameters"] = parameters
    if facts.get("body"):
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": facts["body"]}},
        }
    status = str(facts.get("status", 200))
    response = {"description": "OK" if status != "204" else "No content"}
    if facts.get("response"):
        response["content"] = {"application/json": {"schema": facts["response"]}}
    operation["responses"][status] = response
    if status == "201" and not facts.get("idempotent", True):
        operation["responses"]["200"] = {**response, "description": "Already so: no change"}
    if facts.get("auth", True):
        operation["security"] = [{"session": []}]
    return operation


def build_spec():
    """This app's API as an OpenAPI 3.1 document (a dict)."""
    spec = APISpec(
        title="Chatter API",
        version="1",
        openapi_version="3.1.0",
        plugins=[MarshmallowPlugin()],
        info={"description": "JSON API of Chatter. Every error is problem+json."},
    )
    spec.components.schema("Problem", PROBLEM)
    spec.components.security_scheme("session", {"type": "http", "scheme": "bearer"})
    paths = {}
    for rule in current_app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        view = current_app.view_functions[rule.endpoint]
        path = _PARAM.sub(r"{\1}", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(rule, view, method)
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()
