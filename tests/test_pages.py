"""Pages are shared between readers until something changes; each reader's own fields are theirs."""

import pytest

from chatter.db import db


def by_id(page):
    return {item["id"]: item for item in page["items"]}


def test_each_reader_sees_their_own_likes_promotions_and_controls_on_a_shared_page(app, alice, bob):
    first = alice.new_post("first")
    second = bob.new_post("second")
    alice.put(f"/posts/{second['id']}/like")
    bob.put(f"/posts/{first['id']}/promotion")
    for _ in range(2):  # the second round is served from the shared page
        mine, theirs = by_id(alice.get("/posts").json), by_id(bob.get("/posts").json)
        assert mine[second["id"]]["liked_by_me"] and not theirs[second["id"]]["liked_by_me"]
        assert theirs[first["id"]]["promoted_by_me"] and not mine[first["id"]]["promoted_by_me"]
        assert mine[first["id"]]["can_edit"] and not theirs[first["id"]]["can_edit"]
        assert theirs[second["id"]]["can_delete"] and not mine[second["id"]]["can_delete"]
        assert mine[second["id"]]["like_count"] == theirs[second["id"]]["like_count"] == 1


def test_an_unchanged_page_is_served_without_rebuilding_it(alice, bob, count_queries):
    post = alice.new_post("a thread")
    for n in range(5):
        bob.post(f"/posts/{post['id']}/comments", json={"body": f"c{n}"})
    for path in ("/posts?limit=20", f"/posts/{post['id']}/comments"):
        built, cost = count_queries(lambda path=path: alice.get(path))
        again, cached_cost = count_queries(lambda path=path: alice.get(path))
        assert built.status_code == again.status_code == 200, built.json
        assert again.json == built.json
        assert cached_cost == 1, "the session lookup, with the reader's own likes riding along"
        assert cost > cached_cost


def test_any_change_shows_at_once_in_every_readers_page(alice, bob, user):
    post = alice.new_post("counting")
    carol = user("carol")
    for reader in (alice, bob, carol):
        assert by_id(reader.get("/posts").json)[post["id"]]["like_count"] == 0
    carol.put(f"/posts/{post['id']}/like")
    comment = bob.post(f"/posts/{post['id']}/comments", json={"body": "yes"}).json
    for reader in (alice, bob, carol):
        seen = by_id(reader.get("/posts").json)[post["id"]]
        assert (seen["like_count"], seen["comment_count"]) == (1, 1)
        assert reader.get(f"/posts/{post['id']}/comments").json["items"][0]["body"] == "yes"
    carol.put(f"/comments/{comment['id']}/like")
    assert alice.get(f"/posts/{post['id']}/comments").json["items"][0]["like_count"] == 1
    assert carol.get(f"/posts/{post['id']}/comments").json["items"][0]["liked_by_me"]
    assert not alice.get(f"/posts/{post['id']}/comments").json["items"][0]["liked_by_me"]
    bob.delete(f"/comments/{comment['id']}")
    assert alice.get(f"/posts/{post['id']}/comments").json["items"] == []
    alice.delete(f"/posts/{post['id']}")
    assert bob.get("/posts").json["items"] == []
    assert bob.get(f"/posts/{post['id']}/comments").status_code == 404


def test_a_new_profile_from_the_intranet_shows_on_cached_pages(client, alice):
    from tests.conftest import Api

    post = alice.new_post("who wrote this?")
    alice.post(f"/posts/{post['id']}/comments", json={"body": "me"})
    assert alice.get("/posts").json["items"][0]["author"]["title"] == "Engineer"
    Api(client, "alice", name="Alice Archer-Lee", title="Director", department="Legal")
    author = alice.get("/posts").json["items"][0]["author"]
    assert (author["name"], author["title"], author["department"]) == (
        "Alice Archer-Lee",
        "Director",
        "Legal",
    )
    comment_author = alice.get(f"/posts/{post['id']}/comments").json["items"][0]["author"]
    assert comment_author["name"] == "Alice Archer-Lee"


def test_a_change_made_through_another_process_shows_on_this_ones_cached_pages(make_app):
    """Two app processes on one database: each keeps its own pages, none serves a stale one."""
    from tests.conftest import Api

    first, second = make_app(), make_app()
    alice = Api(first.test_client(), "alice")
    bob_elsewhere = Api(second.test_client(), "bob")
    post = alice.new_post("one database, two processes")
    for _ in range(2):
        assert alice.get("/posts").json["items"][0]["like_count"] == 0
        assert bob_elsewhere.get("/posts").json["items"][0]["like_count"] == 0
    bob_elsewhere.put(f"/posts/{post['id']}/like")
    bob_elsewhere.post(f"/posts/{post['id']}/comments", json={"body": "from the other side"})
    seen = alice.get("/posts").json["items"][0]
    assert (seen["like_count"], seen["comment_count"]) == (1, 1)
    assert alice.get(f"/posts/{post['id']}/comments").json["items"][0]["body"] == (
        "from the other side"
    )


def dev_identity(client, sub):
    return client.get("/dev/identity-token", query_string={"sub": sub}).json["identity_token"]


def test_signing_in_can_bring_the_first_page_along(client, alice):
    """A pane's sign-in answer carries its first page: exactly what GET /posts says to it."""
    mine = alice.new_post("on this page", context="page:1")
    alice.new_post("elsewhere", context="page:2")
    response = client.post(
        "/api/v1/session",
        json={
            "identity_token": dev_identity(client, "alice"),
            "feed": {"context": "page:1", "sort": "latest", "limit": 20},
        },
    )
    assert response.status_code == 201, response.json
    signed_in = response.json
    again = client.get(
        "/api/v1/posts?context=page:1&sort=latest&limit=20",
        headers={"Authorization": f"Bearer {signed_in['token']}"},
    ).json
    assert signed_in["feed"] == again
    assert [item["id"] for item in again["items"]] == [mine["id"]]
    assert again["items"][0]["can_edit"] and signed_in["user"]["name"] == "Alice Archer"
    plain = client.post("/api/v1/session", json={"identity_token": dev_identity(client, "bob")})
    assert plain.status_code == 201 and "feed" not in plain.json


@pytest.mark.parametrize(
    "feed",
    [
        {"cursor": "abc"},
        {"limit": 500},
        {"sort": "best"},
        "latest",
        {"context": ""},
        {"surprise": 1},
    ],
)
def test_a_bad_first_page_request_refuses_the_sign_in_and_changes_nothing(app, client, feed):
    from chatter.models import Session

    response = client.post(
        "/api/v1/session", json={"identity_token": dev_identity(client, "carol"), "feed": feed}
    )
    assert response.status_code == 422, response.json
    assert all(key.startswith("feed") for key in response.json["errors"]), response.json
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Session)) == 0


def test_no_request_needs_two_database_connections_at_once(make_app):
    """With a pool of one connection every path still works: no request can starve another."""
    from tests.conftest import Api

    app = make_app(SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 1, "max_overflow": 0, "pool_timeout": 3})
    client = app.test_client()
    alice, bob = Api(client, "alice"), Api(client, "bob")
    post = alice.new_post("one connection is enough", context="page:1")
    comment = bob.post(f"/posts/{post['id']}/comments", json={"body": "agreed"}).json
    bob.put(f"/posts/{post['id']}/like")
    alice.put(f"/comments/{comment['id']}/like")
    for reader in (alice, bob):
        assert reader.get("/posts?context=page:1").json["items"][0]["like_count"] == 1
        assert reader.get(f"/posts/{post['id']}/comments").json["items"][0]["like_count"] == 1
    token = client.get("/dev/identity-token?sub=carol").json["identity_token"]
    signed_in = client.post(
        "/api/v1/session", json={"identity_token": token, "feed": {"context": "page:1"}}
    )
    assert signed_in.status_code == 201 and len(signed_in.json["feed"]["items"]) == 1
