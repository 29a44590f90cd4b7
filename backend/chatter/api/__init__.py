"""The JSON API under /api/v1: one module per resource, shared input helpers here."""

from flask import Blueprint, request

from ..errors import ApiError
from ..sessions import authenticate
from ..strict_json import parse_json

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def doc(body=None, query=None, response=None, status=200, auth=True):
    """Attach OpenAPI facts to a view; the openapi module reads them."""

    def decorate(view):
        view.openapi = {"body": body, "query": query, "response": response,
                        "status": status, "auth": auth}
        return view

    return decorate


def load_json(schema):
    """Validate a JSON body with a schema: 415 if not JSON, 400 if unparsable, 422 if invalid."""
    if not request.is_json:
        raise ApiError(415, "Send the body as JSON with `Content-Type: application/json`.",
                       code="unsupported_media_type")
    try:
        data = parse_json(request.get_data(cache=False))
    except ValueError as error:
        detail = ("The body nests JSON too deeply." if "deep" in str(error)
                  else "The body is not valid JSON.")
        raise ApiError(400, detail, code="malformed_json") from None
    return schema.load(data)


def load_query(schema):
    """Validate query-string parameters with a schema (422 on unknown or bad ones).

    Panes send the same few query strings over and over: the result of a valid one is
    remembered (per schema, bounded), so a feed read skips marshmallow's work.
    """
    key = (id(schema), request.query_string)
    args = _valid_queries.get(key)
    if args is None:
        args = schema.load(request.args.to_dict())
        if len(key[1]) <= 1024:  # bounded: at most ~4 MiB of remembered query strings
            if len(_valid_queries) >= 4096:
                _valid_queries.clear()
            _valid_queries[key] = args
    return dict(args)


_valid_queries = {}


def load_reader_query(schema):
    """load_query for a view that signs the reader in itself: strangers get 401 first."""
    try:
        return load_query(schema)
    except Exception:
        authenticate()
        raise


from . import comments, meta, posts, reactions, session, stream, uploads  # noqa: E402, F401
