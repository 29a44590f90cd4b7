"""Hostile input gets a clear 4xx, changes nothing and leaves no traceback in the log."""

import base64
import json
import logging

import pytest

BIG = [2**63, 2**64, 10**30]


@pytest.fixture(autouse=True)
def no_tracebacks(caplog):
    """Every test here fails if the app logged an error (a 500's traceback)."""
    caplog.set_level(logging.ERROR)
    yield
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [r.getMessage() for r in errors]


def nested(depth):
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [1000, 100_000])
def test_deeply_nested_json_is_400(alice, client, depth):
    body = '{"body": "x", "images": ' + nested(depth) + "}"
    response = alice.request(
        "POST", "/posts", data=body, key="k", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400, response.json
    assert response.json["code"] == "malformed_json"
    stranger = client.post(
        "/api/v1/session",
        data='{"identity_token": ' + nested(depth) + "}",
        content_type="application/json",
    )
    assert stranger.status_code == 400 and stranger.json["code"] == "malformed_json"
    assert alice.get("/posts").json["items"] == []


def test_json_just_deep_enough_for_real_bodies_still_loads(alice):
    response = alice.post("/posts", json={"body": "ok", "images": []})
    assert response.status_code == 201


@pytest.mark.parametrize("number", BIG)
def test_integers_beyond_64_bits_in_paths_are_404(alice, number):
    post = alice.new_post()
    for method, path in [
        ("GET", f"/posts/{number}"),
        ("PATCH", f"/posts/{number}"),
        ("DELETE", f"/posts/{number}"),
        ("GET", f"/posts/{number}/comments"),
        ("POST", f"/posts/{number}/comments"),
        ("PUT", f"/posts/{number}/like"),
        ("PUT", f"/posts/{number}/promotion"),
        ("PATCH", f"/comments/{number}"),
        ("DELETE", f"/comments/{number}"),
        ("PUT", f"/comments/{number}/like"),
        ("DELETE", f"/comments/{number}/like"),
    ]:
        response = alice.request(method, path, json={"body": "x"}, key="k")
        assert response.status_code == 404, (method, path, response.json)
    assert alice.get(f"/posts/{post['id']}").json["like_count"] == 0


@pytest.mark.parametrize("number", [*BIG, -(2**63) - 1])
def test_integers_beyond_64_bits_in_bodies_are_422(alice, number):
    post = alice.new_post()
    cases = [
        ("/posts", {"body": "x", "images": [number]}, "images"),
        ("/posts", {"body": "x", "images": [{"id": number}]}, "images"),
        (f"/posts/{post['id']}/comments", {"body": "x", "parent_id": number}, "parent_id"),
    ]
    for path, body, field in cases:
        response = alice.post(path, json=body)
        assert response.status_code == 422, (path, body, response.json)
        assert any(key.startswith(field) for key in response.json["errors"]), response.json
    assert alice.get(f"/posts/{post['id']}").json["comment_count"] == 0


def cursor(*values, raw=None):
    text = raw if raw is not None else json.dumps(values)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "path_and_cursor",
    [
        ("/posts?sort=latest", cursor("latest", "2026-01-01T00:00:00", 2**64)),
        ("/posts?sort=top", cursor("top", 1.0, 2**63)),
        ("/posts?sort=top", cursor(raw='["top", 1e400, 1]')),
        ("/posts?sort=top", cursor(raw='["top", NaN, 1]')),
        ("/posts?sort=top", cursor(raw='["top", -Infinity, 1]')),
        ("/posts?sort=latest", cursor("latest", "9999-99-99", 1)),
        ("/posts?sort=latest", cursor(raw="[" * 180 + "]" * 180)),
        ("{thread}?order=oldest", cursor("oldest", "2026-01-01T00:00:00", 2**64)),
        ("{thread}?order=latest", cursor("latest", "2026-01-01T00:00:00", -(2**64))),
    ],
)
def test_hostile_cursors_are_400(alice, path_and_cursor):
    path, value = path_and_cursor
    path = path.format(thread=f"/posts/{alice.new_post()['id']}/comments")
    response = alice.get(f"{path}&cursor={value}")
    assert response.status_code == 400, response.json
    assert response.json["code"] == "bad_cursor"


@pytest.mark.parametrize("text", ["\\ud800", "a\\udfffb", "\\udbff\\udbff"])
def test_lone_surrogates_are_422_on_create_and_edit(alice, text):
    post = alice.new_post("before")
    raw = '{"body": "' + text + '"}'
    for method, path in [
        ("POST", "/posts"),
        ("PATCH", f"/posts/{post['id']}"),
        ("POST", f"/posts/{post['id']}/comments"),
    ]:
        response = alice.request(
            method, path, data=raw, key="k", headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 422, (method, path, response.json)
        assert "body" in response.json["errors"]
    assert alice.get(f"/posts/{post['id']}").json["body"] == "before"


def test_a_surrogate_pair_is_a_real_character_and_is_kept(alice):
    response = alice.request(
        "POST",
        "/posts",
        data='{"body": "\\ud83d\\ude00"}',
        key="k",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 201 and response.json["body"] == "\U0001f600"


@pytest.mark.parametrize("query", ["context=a%00b", "cursor=a%00b", "sort=lat%00est"])
def test_nul_bytes_in_query_parameters_are_422(alice, query):
    response = alice.get(f"/posts?{query}")
    assert response.status_code in (400, 422), response.json
    assert response.json["status"] == response.status_code
