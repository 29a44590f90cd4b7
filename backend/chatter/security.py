"""The origin allowlist (CORS and the WebSocket Origin check) and the security headers."""

import ipaddress

from flask import current_app, request

from .errors import ApiError

CORS_METHODS = "GET, POST, PUT, PATCH, DELETE"
CORS_HEADERS = "Authorization, Content-Type, Idempotency-Key"


def origin_allowed(origin):
    """The allowlist plus the server's own origin."""
    # WebSocket upgrades may report ws/wss as the scheme; the page's Origin says http(s).
    scheme = {"ws": "http", "wss": "https"}.get(request.scheme, request.scheme)
    own = f"{scheme}://{request.host}".lower()
    return origin.lower() == own or origin.lower() in current_app.config["CHATTER_ALLOWED_ORIGINS"]


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
        response.vary.add("Origin")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.path.startswith("/api/") or request.path.startswith("/dev/"):
            response.headers.setdefault("Cache-Control", "no-store")
            response.headers.setdefault(
                "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"
            )
        return response
