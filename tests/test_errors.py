"""Hostile and malformed input: a clear 4xx in one shape, never a 500, nothing changed."""

import pytest

PROBLEM = "application/problem+json"


def assert_problem(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.json
    assert body["status"] == status and body["title"] and body["detail"]
    return body


@pytest.mark.parametrize(
    "path", ["/nope", "/api/v1/nope", "/api/v1/posts/999999", "/api/v1/posts/abc"]
)
def test_unknown_routes_and_ids_are_404_problems(alice, client, path):
    assert_problem(client.get(path, headers=alice.headers), 404)


def test_wrong_method_is_405_with_allow(alice):
    body = assert_problem(alice.request("PUT", "/posts"), 405)
    assert body["code"] == "method_not_allowed"


def test_oversized_body_is_413(alice):
    response = alice.post(
        "/posts",
        data=b'{"body": "' + b"x" * (2 * 1024 * 1024) + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert_problem(response, 413)
    assert alice.get("/posts").json["items"] == []


@pytest.mark.parametrize(
    ("payload", "status", "fields"),
    [
        ({"body": "x", "admin": True}, 422, {"admin"}),
        ({"body": 42}, 422, {"body"}),
        ({"body": None}, 422, {"body"}),
        ({}, 422, {"body"}),
        ({"body": "   \u200b\n\t "}, 422, {"body"}),
        ({"body": "x" * 5001}, 422, {"body"}),
        ({"body": "x", "context": "x" * 201}, 422, {"context"}),
        ({"body": "x", "context": " padded "}, 422, {"context"}),
        ({"body": "x", "context_url": "javascript:alert(1)"}, 422, {"context_url"}),
        ([1, 2], 422, {"_schema"}),
        ("just a string", 422, {"_schema"}),
    ],
)
def test_invalid_post_fields_are_422(alice, payload, status, fields):
    body = assert_problem(alice.post("/posts", json=payload), status)
    assert set(body["errors"]) == fields
    assert alice.get("/posts").json["items"] == []


def test_body_limit_counts_code_points(alice):
    assert alice.post("/posts", json={"body": "é" * 5000}).status_code == 201
    assert alice.post("/posts", json={"body": "😀" * 5000}).status_code == 201
    assert alice.post("/posts", json={"body": "😀" * 5001}).status_code == 422


def test_non_json_is_415_and_broken_json_is_400(alice):
    assert_problem(
        alice.post(
            "/posts", data="body=x", headers={"Content-Type": "application/x-www-form-urlencoded"}
        ),
        415,
    )
    assert_problem(
        alice.post("/posts", data="{not json", headers={"Content-Type": "application/json"}), 400
    )


@pytest.mark.parametrize(
    "query", ["sort=random", "limit=0", "limit=51", "limit=ten", "promoted=maybe", "color=red"]
)
def test_bad_feed_parameters_are_422(alice, query):
    assert_problem(alice.get(f"/posts?{query}"), 422)


def test_control_and_bidi_characters_are_stripped(alice):
    post = alice.new_post("safe\u202e text\x00\x07 here\u200b")
    assert post["body"] == "safe text here"


def test_foreign_origin_is_refused_server_side(alice):
    response = alice.post(
        "/posts", json={"body": "x"}, headers={"Origin": "https://evil.example.com"}
    )
    assert_problem(response, 403)
    assert alice.get("/posts").json["items"] == []


def test_cors_for_allowed_origin(make_app):
    app = make_app(CHATTER_ALLOWED_ORIGINS="https://intranet.example.com")
    client = app.test_client()
    preflight = client.options(
        "/api/v1/posts",
        headers={"Origin": "https://intranet.example.com", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://intranet.example.com"
    assert "Idempotency-Key" in preflight.headers["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in preflight.headers
    assert "Origin" in preflight.headers["Vary"]


def test_api_headers(alice):
    response = alice.get("/posts")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_health_and_readiness(client):
    assert client.get("/healthz").json == {"status": "ok"}
    assert client.get("/readyz").json == {"status": "ready"}


def test_bursts_get_429_with_retry_after_and_change_nothing(alice):
    for n in range(60):
        assert alice.post("/posts", json={"body": f"post {n}"}).status_code == 201
    response = alice.post("/posts", json={"body": "one too many"})
    body = assert_problem(response, 429)
    assert body["code"] == "rate_limited"
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert len(alice.get("/posts?limit=50").json["items"]) == 50
    assert (
        alice.get(
            "/posts?limit=50&cursor=" + alice.get("/posts?limit=50").json["next_cursor"]
        ).json["next_cursor"]
        is None
    )


def test_sign_in_floods_are_limited_per_address(client, monkeypatch):
    from chatter import ratelimit

    monkeypatch.setitem(ratelimit.LIMITS, "sign_in", (5, 60))
    for _ in range(5):
        assert client.post("/api/v1/session", json={"identity_token": "x.y.z"}).status_code == 401
    response = client.post("/api/v1/session", json={"identity_token": "x.y.z"})
    assert_problem(response, 429)
    assert "Retry-After" in response.headers


def test_limits_hold_over_any_window_not_per_clock_minute(app, monkeypatch):
    """Three per second means three in any second: no second allowance at a window edge."""
    import time

    from chatter import ratelimit

    monkeypatch.setitem(ratelimit.LIMITS, "edit", (3, 1))
    limiter = app.extensions["chatter.limiter"]
    started = time.monotonic()
    assert [limiter.hit("edit", "u1") for _ in range(3)] == [None, None, None]
    refused = [limiter.hit("edit", "u1") for _ in range(20)]  # spans any clock edge
    if time.monotonic() - started < 0.9:
        assert refused == [1] * 20
    assert limiter.hit("edit", "someone else") is None
    time.sleep(1.05)
    assert limiter.hit("edit", "u1") is None


def test_strangers_get_401_before_any_lesson_in_query_syntax(client, alice):
    post = alice.new_post("p")
    for path in (
        "/api/v1/posts?limit=abc&sort=nope",
        f"/api/v1/posts/{post['id']}/comments?x=1",
        "/api/v1/posts?limit=5",
        f"/api/v1/posts/{post['id']}/comments",
    ):
        assert_problem(client.get(path), 401)
        assert_problem(client.get(path, headers={"Authorization": "Bearer forged"}), 401)
    assert_problem(alice.get("/posts?limit=abc"), 422)
    assert_problem(alice.get("/posts?cursor=!!"), 400)


def test_a_session_works_only_from_the_origin_that_made_it(make_app):
    app = make_app(CHATTER_ALLOWED_ORIGINS="https://intranet.example.com,https://wiki.example.com")
    client = app.test_client()
    home = {"Origin": "https://intranet.example.com"}
    token = client.get("/dev/identity-token?sub=ana").json["identity_token"]
    session = client.post("/api/v1/session", json={"identity_token": token}, headers=home).json
    auth = {"Authorization": f"Bearer {session['token']}"}
    assert client.get("/api/v1/me", headers={**auth, **home}).status_code == 200
    assert client.get("/api/v1/me", headers=auth).status_code == 200  # same-origin GETs: no Origin
    lifted = client.post(
        "/api/v1/posts",
        json={"body": "from another page"},
        headers={**auth, "Origin": "https://wiki.example.com", "Idempotency-Key": "k"},
    )
    assert_problem(lifted, 401)
    assert lifted.json["code"] == "invalid_session"
    assert client.get("/api/v1/posts", headers={**auth, **home}).json["items"] == []
