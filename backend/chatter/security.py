"""The origin allowlist (CORS and the WebSocket Origin check) and the security headers."""

import functools
import ipaddress

from flask import current_app, request

from .errors import ApiError

CORS_METHODS = "GET, POST, PUT, PATCH, DELETE"
CORS_HEADERS = "Authorization, Content-Type, Idempotency-Key"
# Set on every response unless its view set them; the API's answers are never cached.
SAFE_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
)
API_HEADERS = (
    *SAFE_HEADERS,
    ("Cache-Control", "no-store"),
    ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
)


def origin_allowed(origin):
    """The allowlist plus the server's own origin."""
    # WebSocket upgrades may report ws/wss as the scheme; the page's Origin says http(s).
    scheme = {"ws": "http", "wss": "https"}.get(request.scheme, request.scheme)
    own = f"{scheme}://{request.host}".lower()
    return origin.lower() == own or origin.lower() in current_app.config["CHATTER_ALLOWED_ORIGINS"]


@functools.lru_cache(maxsize=256)
def is_loopback(address):
    """True for 127.0.0.0/8, ::1 and localhost: this machine only."""
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def init_app(app):
    """Refuse foreign origins before any view runs; add the headers to every response."""

    @app.before_request
    def dev_mode_serves_this_machine_only():
        # The dev issuer lets anyone sign in as anyone: in dev mode nothing is served to
        # another machine, whatever address the server was told to listen on.
        # A request with no peer address came in-process (a WSGI call, not a socket).
        peer = request.remote_addr
        if current_app.config["CHATTER_DEV_MODE"] and peer and not is_loopback(peer):
            raise ApiError(
                403,
                "Chatter runs in dev mode, which serves this machine only (CHATTER_DEV_MODE=1).",
                code="dev_mode_local_only",
            )

    @app.before_request
    def refuse_foreign_origins():
        # Browsers send Origin on cross-origin requests, on POST/PUT/DELETE and on WebSocket
        # upgrades; anything not allowlisted is refused here, before any view runs.
        origin = request.headers.get("Origin")
        if origin and not origin_allowed(origin):
            raise ApiError(
                403,
                "This origin is not allowed to use Chatter. Add it to CHATTER_ALLOWED_ORIGINS.",
                code="origin_not_allowed",
            )
        if request.method == "OPTIONS" and origin:
            return current_app.response_class(status=204)
        return None

    @app.after_request
    def headers(response):
        origin = request.headers.get("Origin")
        if origin and origin_allowed(origin):
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Allow-Methods"] = CORS_METHODS
            response.headers["Access-Control-Allow-Headers"] = CORS_HEADERS
            response.headers["Access-Control-Expose-Headers"] = "Retry-After, Idempotent-Replayed"
            response.headers["Access-Control-Max-Age"] = "600"
        # Werkzeug's setdefault raises and catches a KeyError per missing header: the names
        # present are looked at once instead (this runs on every response).
        present = {name.lower() for name, _value in response.headers}
        if "vary" in present:
            response.vary.add("Origin")
        else:
            response.headers.add("Vary", "Origin")
        api = request.path.startswith(("/api/", "/dev/"))
        for name, value in API_HEADERS if api else SAFE_HEADERS:
            if name.lower() not in present:
                response.headers.add(name, value)
        return response
