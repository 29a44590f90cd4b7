"""Reading a request's input with a schema: JSON bodies and query strings."""

from flask import request

from ..auth import authenticate
from ..errors import ApiError
from ..strict_json import TooDeep, parse_json


def load_json(schema):
    """Validate a JSON body with a schema: 415 if not JSON, 400 if unparsable, 422 if invalid."""
    if not request.is_json:
        raise ApiError(
            415,
            "Send the body as JSON with `Content-Type: application/json`.",
            code="unsupported_media_type",
        )
    # The body stays cached: an Idempotency-Key's digest reads it too.
    try:
        data = parse_json(request.get_data())
    except TooDeep:
        raise ApiError(400, "The body nests JSON too deeply.", code="malformed_json") from None
    except ValueError:
        raise ApiError(400, "The body is not valid JSON.", code="malformed_json") from None
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
