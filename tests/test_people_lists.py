"""Lists of who: likes and promotions of an item, a person's conversations (issue 10)."""

import pytest

BAD_IDS = ["0", "-1", str(2**63), str(2**64)]


@pytest.fixture
def crowd(user):
    """Five people, created (and so numbered) in order: likes made in that order read back
    newest first whatever the clock's resolution (ties fall back to the id, descending)."""
    return [
        user(f"p{i}", name=f"Person {i}", title="Engineer", department=f"Dept {i % 3}")
        for i in range(5)
    ]


def names(page):
    return [item["name"] for item in page["items"]]


def test_who_liked_a_conversation_newest_first_paged(alice, crowd):
    post = alice.new_post("like me")
    for person in crowd:
        assert person.put(f"/posts/{post['id']}/like").status_code == 200
    first = alice.get(f"/posts/{post['id']}/likes?limit=2").json
    assert names(first) == ["Person 4", "Person 3"]
    item = first["items"][0]
    assert set(item) == {"id", "handle", "name", "title", "department", "avatar_url", "at"}
    assert item["id"] == crowd[4].user["id"] and item["handle"] == crowd[4].user["handle"]
    assert item["at"].endswith("Z") and item["department"] == "Dept 1"
    second = alice.get(f"/posts/{post['id']}/likes?limit=2&cursor={first['next_cursor']}").json
    assert names(second) == ["Person 2", "Person 1"]
    third = alice.get(f"/posts/{post['id']}/likes?limit=2&cursor={second['next_cursor']}").json
    assert names(third) == ["Person 0"] and third["next_cursor"] is None
    crowd[3].delete(f"/posts/{post['id']}/like")
    assert names(alice.get(f"/posts/{post['id']}/likes").json) == [
        "Person 4",
        "Person 2",
        "Person 1",
        "Person 0",
    ]


def test_who_liked_a_comment(alice, bob, crowd):
    post = alice.new_post("a question")
    comment = bob.post(f"/posts/{post['id']}/comments", json={"body": "an answer"}).json
    assert alice.get(f"/comments/{comment['id']}/likes").json == {
        "items": [],
        "next_cursor": None,
    }
    for person in (crowd[0], alice):
        person.put(f"/comments/{comment['id']}/like")
    page = bob.get(f"/comments/{comment['id']}/likes").json
    assert names(page) == ["Alice Archer", "Person 0"] and page["next_cursor"] is None
    assert names(bob.get(f"/posts/{post['id']}/likes").json) == []


def test_who_promoted_a_conversation_with_departments(alice, bob, crowd):
    post = alice.new_post("this matters")
    for person in (crowd[0], crowd[1], bob):
        person.put(f"/posts/{post['id']}/promotion")
    page = alice.get(f"/posts/{post['id']}/promotions").json
    assert [(i["name"], i["department"]) for i in page["items"]] == [
        ("Bob Baker", "Design"),
        ("Person 1", "Dept 1"),
        ("Person 0", "Dept 0"),
    ]
    assert alice.get(f"/posts/{post['id']}").json["promotion_departments"] == 3


@pytest.mark.parametrize("path", ["/posts/{}/likes", "/comments/{}/likes", "/posts/{}/promotions"])
def test_lists_of_missing_items_are_404(alice, path):
    post = alice.new_post()
    comment = alice.post(f"/posts/{post['id']}/comments", json={"body": "x"}).json
    for bad in [*BAD_IDS, "999999", str(comment["id"] + post["id"] + 1000)]:
        response = alice.get(path.format(bad))
        assert response.status_code == 404, (bad, response.json)
        assert response.json["code"] == "not_found"


@pytest.mark.parametrize(
    "query", ["?limit=0", "?limit=51", "?limit=x", "?cursor=", "?x=1", "?cursor=bm9wZQ"]
)
def test_bad_list_arguments_are_4xx(alice, query):
    post = alice.new_post()
    response = alice.get(f"/posts/{post['id']}/likes{query}")
    assert response.status_code in (400, 422), response.json
    assert response.json["status"] == response.status_code


def test_a_cursor_of_another_list_is_refused(alice, bob, crowd):
    post = alice.new_post()
    for person in crowd[:3]:
        person.put(f"/posts/{post['id']}/like")
        person.put(f"/posts/{post['id']}/promotion")
    cursor = alice.get(f"/posts/{post['id']}/likes?limit=1").json["next_cursor"]
    response = alice.get(f"/posts/{post['id']}/promotions?cursor={cursor}")
    assert response.status_code == 400 and response.json["code"] == "bad_cursor"


def test_lists_need_a_session(client, alice):
    post = alice.new_post()
    for path in (f"/posts/{post['id']}/likes", f"/people/{alice.user['id']}/posts"):
        assert client.get(f"/api/v1{path}").status_code == 401


def test_a_persons_conversations_page_like_the_feed(alice, bob):
    mine = [alice.new_post(f"alice {i}") for i in range(3)]
    bob.new_post("bob's")
    bob.put(f"/posts/{mine[1]['id']}/like")
    first = bob.get(f"/people/{alice.user['id']}/posts?limit=2").json
    assert [p["body"] for p in first["items"]] == ["alice 2", "alice 1"]
    assert first["items"][1]["liked_by_me"] is True and first["items"][0]["liked_by_me"] is False
    assert first["items"][0]["can_edit"] is False
    assert first["last_event_id"] > 0
    feed = bob.get("/posts").json["items"]
    assert first["items"][0] == next(p for p in feed if p["id"] == mine[2]["id"])
    second = bob.get(f"/people/{alice.user['id']}/posts?limit=2&cursor={first['next_cursor']}")
    assert [p["body"] for p in second.json["items"]] == ["alice 0"]
    assert second.json["next_cursor"] is None
    own = alice.get(f"/people/{alice.user['id']}/posts").json["items"]
    assert [p["can_edit"] for p in own] == [True, True, True]
    assert bob.get(f"/people/{bob.user['id']}/posts").json["items"][0]["body"] == "bob's"


def test_a_persons_page_follows_changes(alice, bob):
    post = alice.new_post("before")
    path = f"/people/{alice.user['id']}/posts"
    assert bob.get(path).json["items"][0]["like_count"] == 0
    bob.put(f"/posts/{post['id']}/like")
    assert bob.get(path).json["items"][0]["like_count"] == 1
    alice.delete(f"/posts/{post['id']}")
    assert bob.get(path).json["items"] == []


def test_conversations_of_a_missing_person_are_404(alice):
    for bad in [*BAD_IDS, "999999"]:
        response = alice.get(f"/people/{bad}/posts")
        assert response.status_code == 404, (bad, response.json)
    feed_cursor = alice.get("/posts?limit=1").json["next_cursor"]
    assert feed_cursor is None  # nothing posted: a person with no conversations is an empty page
    assert alice.get(f"/people/{alice.user['id']}/posts").json["items"] == []


def test_a_feed_cursor_is_not_a_persons_cursor(alice):
    for i in range(2):
        alice.new_post(f"p{i}")
    cursor = alice.get("/posts?limit=1").json["next_cursor"]
    response = alice.get(f"/people/{alice.user['id']}/posts?cursor={cursor}")
    assert response.status_code == 400 and response.json["code"] == "bad_cursor"


def test_the_new_endpoints_are_documented(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in (
        "/api/v1/posts/{post_id}/likes",
        "/api/v1/comments/{comment_id}/likes",
        "/api/v1/posts/{post_id}/promotions",
        "/api/v1/people/{person_id}/posts",
        "/api/v1/people",
        "/api/v1/people/{person_id}",
    ):
        assert "get" in paths[path], path
