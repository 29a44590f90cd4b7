"""One error shape for every failure: application/problem+json (RFC 9457)."""

import logging

from flask import current_app, json
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)


class ApiError(Exception):
    """Raise from anywhere to answer with a problem document."""

    def __init__(self, status, detail, code=None, errors=None, headers=None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.code = code
        self.errors = errors
        self.headers = headers or {}


def unauthorized(code, detail):
    return ApiError(401, detail, code=code, headers={"WWW-Authenticate": "Bearer"})


def forbidden(detail="You are not allowed to do that."):
    return ApiError(403, detail, code="forbidden")


def not_found(what="resource"):
    return ApiError(404, f"This {what} does not exist or was deleted.", code="not_found")


def problem(status, detail, code=None, errors=None, headers=None):
    """Build a problem+json response."""
    from http import HTTPStatus

    title = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if code:
        body["code"] = code
    if errors is not None:
        body["errors"] = errors
    response = current_app.response_class(
        json.dumps(body), status=status, mimetype="application/problem+json"
    )
    response.headers.update(headers or {})
    return response


def _validation_errors(messages):
    """Flatten marshmallow messages to {field: [message, ...]}."""
    if isinstance(messages, list):
        return {"_schema": [str(m) for m in messages]}
    flat = {}
    for field, value in messages.items():
        if isinstance(value, dict):
            for sub, sub_messages in _validation_errors(value).items():
                flat[f"{field}.{sub}"] = sub_messages
        else:
            flat[field] = [str(m) for m in value] if isinstance(value, list) else [str(value)]
    return flat


def init_app(app):
    @app.errorhandler(ApiError)
    def on_api_error(error):
        return problem(error.status, error.detail, error.code, error.errors, error.headers)

    @app.errorhandler(ValidationError)
    def on_validation_error(error):
        errors = _validation_errors(error.messages)
        return problem(422, "The request has invalid fields.", "invalid", errors)

    @app.errorhandler(HTTPException)
    def on_http_error(error):
        headers = {}
        if error.code == 405 and error.valid_methods:
            headers["Allow"] = ", ".join(sorted(error.valid_methods))
        return problem(
            error.code, error.description, error.name.lower().replace(" ", "_"), headers=headers
        )

    @app.errorhandler(Exception)
    def on_unexpected(error):
        log.exception("unhandled error")
        return problem(500, InternalServerError.description, "internal_error")
