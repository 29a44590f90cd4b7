"""GET /search end to end on the real database: the query language, the items as the feed and
threads show them, highlights, deletes and edits at once, paging, errors."""

import pytest


def search(api, q, **params):
    response = api.get("/search", query_string={"q": q, **params})
    assert response.status_code == 200, response.json
    return response.json


def found(api, q, **params):
    return [(item["type"], item["id"]) for item in search(api, q, **params)["items"]]


def comment_on(api, post_id, body):
    response = api.post(f"/posts/{post_id}/comments", json={"body": body})
    assert response.status_code == 201, response.json
    return response.json


def test_words_find_posts_and_comments_stemmed_with_marked_excerpts(alice, bob):
    rail = alice.new_post("Where is the thread about the rail booking tool?")
    other = alice.new_post("Lunch on Friday")
    comment = comment_on(bob, other["id"], "I booked the rail tickets for Friday already")
    answer = search(bob, "rail bookings ")
    assert [(i["type"], i["id"]) for i in answer["items"]] == [
        ("post", rail["id"]),
        ("comment", comment["id"]),
    ] or [(i["type"], i["id"]) for i in answer["items"]] == [
        ("comment", comment["id"]),
        ("post", rail["id"]),
    ]
    post_item = next(i for i in answer["items"] if i["type"] == "post")
    assert post_item["highlight"] == (
        "Where is the thread about the <mark>rail</mark> <mark>booking</mark> tool?"
    )
    comment_item = next(i for i in answer["items"] if i["type"] == "comment")
    assert comment_item["post_title"] == "Lunch on Friday"
    assert "<mark>booked</mark>" in comment_item["highlight"]
    assert answer["total_estimate"] == 2
    assert answer["next_cursor"] is None


def test_items_are_the_feed_and_thread_items_exactly(alice, bob):
    post = alice.new_post("Quarterly **roadmap** review")
    comment_on(bob, post["id"], "The roadmap slides are shared")
    bob.post(f"/posts/{post['id']}/like")
    feed = {p["id"]: p for p in bob.get("/posts").json["items"]}
    thread = {c["id"]: c for c in bob.get(f"/posts/{post['id']}/comments").json["items"]}
    for item in search(bob, "roadmap ")["items"]:
        kind = item.pop("type")
        item.pop("highlight")
        if kind == "post":
            assert item == feed[item["id"]]
        else:
            assert item.pop("post_title") == "Quarterly **roadmap** review"
            assert item == thread[item["id"]]


def test_the_last_word_is_a_prefix_while_typing_only(alice, bob):
    post = alice.new_post("The procurement portal is down")
    assert found(bob, "port") == [("post", post["id"])]
    assert found(bob, "port ") == []  # a finished word is a word


def test_phrases_exclusions_and_operators(alice, bob, user):
    carol = user("carol", name="Carol Cole")
    a = alice.new_post("Rail booking works again", context="intranet/travel")
    b = bob.new_post("booking rail is painful", context="intranet/hr")
    c = carol.new_post("Rail and hotel booking in one place")
    assert set(found(bob, '"rail booking"')) == {("post", a["id"])}
    assert set(found(bob, "booking -hotel")) == {("post", a["id"]), ("post", b["id"])}
    assert found(bob, f"booking from:{alice.user['handle']}") == [("post", a["id"])]
    assert found(bob, "booking from:me") == [("post", b["id"])]
    assert found(bob, "booking from:nobody") == []
    assert found(bob, "booking on:intranet/hr") == [("post", b["id"])]
    assert set(found(bob, "booking after:2000-01-01 before:2999-01-01")) == {
        ("post", a["id"]),
        ("post", b["id"]),
        ("post", c["id"]),
    }
    assert found(bob, "booking before:2000-01-01") == []
    # Unknown operators are words.
    d = alice.new_post("Try the colour:blue theme")
    assert found(bob, "colour:blue") == [("post", d["id"])]


def test_is_promoted_and_has_picture(alice, bob):
    a = alice.new_post("Budget planning for next year")
    alice.new_post("Budget lunch")
    assert bob.put(f"/posts/{a['id']}/promotion").status_code in (200, 204)
    assert found(bob, "budget is:promoted") == [("post", a["id"])]
    assert found(bob, "budget has:picture") == []


def test_deletes_vanish_and_edits_are_found_at_once(alice, bob):
    post = alice.new_post("Kickoff meeting notes")
    comment = comment_on(bob, post["id"], "Kickoff slides attached")
    assert len(found(bob, "kickoff ")) == 2
    assert alice.patch(f"/posts/{post['id']}", json={"body": "Offsite agenda"}).status_code == 200
    assert found(bob, "kickoff ") == [("comment", comment["id"])]
    assert found(bob, "offsite ") == [("post", post["id"])]
    assert bob.delete(f"/comments/{comment['id']}").status_code == 204
    assert found(bob, "kickoff ") == []
    comment_on(bob, post["id"], "Offsite travel by train")
    assert alice.delete(f"/posts/{post['id']}").status_code == 204
    assert found(bob, "offsite ") == []  # its comments went with it


def test_people_first_on_the_first_page_of_all(alice, bob, user):
    user("dana", name="Dana Roadrunner")
    post = alice.new_post("The road ahead")
    items = search(bob, "road")["items"]
    assert [i["type"] for i in items] == ["person", "post"]
    assert items[0]["name"] == "Dana Roadrunner"
    assert set(items[0]) == {"type", "id", "handle", "name", "title", "department", "avatar_url"}
    assert items[1]["id"] == post["id"]
    assert [i["type"] for i in search(bob, "road", type="posts")["items"]] == ["post"]
    assert [i["type"] for i in search(bob, "road", type="people")["items"]] == ["person"]
    assert (
        search(bob, f"road from:{alice.user['handle']}")["items"][0]["type"] == "post"
    )  # filters: no people


def test_pages_follow_each_other_without_repeats(alice, bob):
    ids = {alice.new_post(f"Standup note number {n}")["id"] for n in range(7)}
    seen, cursor = [], None
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        answer = search(bob, "standup ", type="posts", **params)
        seen += [i["id"] for i in answer["items"]]
        cursor = answer["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(ids)
    people = search(bob, "standup ", type="people")
    assert people == {"items": [], "next_cursor": None, "total_estimate": 0}


@pytest.mark.parametrize("q", ["", "   ", "from:me", "on:x is:promoted", "-word", '""', "*:^"])
def test_empty_or_operator_only_queries_are_422_with_a_sentence(bob, q):
    response = bob.get("/search", query_string={"q": q})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.json["code"] == "empty_query"
    assert response.json["detail"].endswith(".")


@pytest.mark.parametrize("q", ["report before:2026-13-01", "report after:yesterday"])
def test_bad_dates_are_422(bob, q):
    response = bob.get("/search", query_string={"q": q})
    assert response.status_code == 422
    assert response.json["code"] == "invalid_date"


@pytest.mark.parametrize(
    "q",
    [
        'NEAR(rail booking, 2) "unbalanced',
        "rail* ^booking col:umn AND OR NOT",
        '"""" \\" rail\'s ) ( {x} [y] -" -',
        "rail " * 200,
        "\u00e9\u0301\u200b rail \U0001f600",
    ],
)
def test_hostile_queries_never_reach_the_full_text_syntax(alice, bob, q):
    alice.new_post("rail booking column x y")
    response = bob.get("/search", query_string={"q": q[:500]})
    assert response.status_code in (200, 422), response.json
    if response.status_code == 422:
        assert response.json["code"] in ("empty_query", "invalid")


def test_highlights_escape_the_stored_text_and_never_echo_the_query(alice, bob):
    alice.new_post("If x < y & y > z then deploy the <em>build</em>")
    assert search(bob, "deploy <img src=x onerror=alert(1)>")["items"] == []  # img, src: no
    item = search(bob, "deploy ")["items"][0]
    assert item["highlight"] == (
        "If x &lt; y &amp; y &gt; z then <mark>deploy</mark> the &lt;em&gt;build&lt;/em&gt;"
    )


def test_strangers_must_sign_in(client):
    assert client.get("/api/v1/search?q=x").status_code == 401


def test_a_cursor_of_another_search_is_400(alice, bob):
    for n in range(3):
        alice.new_post(f"Retro note {n}")
    cursor = search(bob, "retro ", type="posts", limit=1)["next_cursor"]
    response = bob.get(
        "/search", query_string={"q": "retro ", "type": "comments", "cursor": cursor}
    )
    assert response.status_code == 400
    assert response.json["code"] == "bad_cursor"
    response = bob.get("/search", query_string={"q": "retro", "cursor": "not-a-cursor"})
    assert response.json["code"] == "bad_cursor"
