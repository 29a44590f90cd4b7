"""Flags and community hiding: breadth, placeholders, withheld text, reactions refused."""

import pytest

from chatter.policing.models import Flag, ModerationEntry
from chatter.schemas import READER_FIELDS

from .policing_support import (
    MODERATOR,
    count,
    events_after,
    flag,
    flag_all,
    flag_at_once,
    flaggers,
    head,
    inbox_kinds,
    rows,
)


@pytest.fixture
def app(make_app):
    return make_app(CHATTER_MODERATORS=MODERATOR)


@pytest.fixture
def mo(user):
    return user("mo", name="Mo Moderator", department="Trust")


def test_three_colleagues_from_two_departments_hide_a_post_for_everyone(app, alice, bob, user):
    post = alice.new_post("Buy my course at example.com, @bob.baker")
    path = f"/posts/{post['id']}"
    sales, sales_too, legal = flaggers(user)
    before = head(bob)
    assert flag(sales, path).json == {"flagged": True, "hidden": False}
    assert flag(sales_too, path, "off_topic").json == {"flagged": True, "hidden": False}
    assert bob.get(path).json["hidden"] is None  # two people, one department: not yet
    assert flag(legal, path).json == {"flagged": True, "hidden": True}

    seen = bob.get(path).json
    hidden = seen["hidden"]
    assert {k: v for k, v in hidden.items() if k != "at"} == {
        "state": "hidden",
        "by": "community",
        "people": 3,
        "departments": 2,
        "reason": "spam",
        "withheld": False,
    }
    assert seen["body"].startswith("Buy my course")  # the placeholder is the pane's
    assert seen["mentions"][0]["handle"] == "bob.baker"
    assert seen["flagged_by_me"] is False and legal.get(path).json["flagged_by_me"] is True
    paged = bob.get("/posts").json["items"][0]
    assert paged["id"] == post["id"] and paged["hidden"] == hidden
    assert inbox_kinds(alice) == ["hidden"]
    [event] = [e for e in events_after(bob, before) if e["type"] == "post.hidden"]
    assert event["data"] == {k: v for k, v in seen.items() if k not in READER_FIELDS}
    assert count(app, ModerationEntry) == 1


def test_one_department_alone_cannot_hide_however_many_flag(alice, user):
    post = alice.new_post("An unpopular opinion about tabs")
    path = f"/posts/{post['id']}"
    flag_all(flaggers(user, ["Sales"] * 5), path)
    assert alice.get(path).json["hidden"] is None


def test_a_confidential_flag_withholds_text_and_pictures_from_all_but_author_and_moderators(
    app, alice, bob, mo, user
):
    from .test_uploads import uploaded

    picture = uploaded(alice)
    post = alice.new_post("The Q3 numbers: @bob.baker look", images=[picture["id"]])
    path = f"/posts/{post['id']}"
    bob.post(f"{path}/comments", json={"body": "wow"})
    flag_all(flaggers(user), path, "confidential")

    for reader in (bob, user(department="Sales")):
        seen = reader.get(path).json
        assert (seen["body"], seen["html"], seen["images"], seen["mentions"]) == ("", "", [], [])
        assert seen["hidden"]["withheld"] is True and seen["hidden"]["reason"] == "confidential"
        assert reader.get("/posts").json["items"][0]["body"] == ""
        assert reader.get("/search", query_string={"q": "numbers"}).json["items"] == []
    for reader in (alice, mo):
        assert reader.get(path).json["body"].startswith("The Q3 numbers")
        assert reader.get("/posts").json["items"][0]["images"][0]["id"] == picture["id"]
    # What the live stream carries is what everyone sees.
    event = bob.get("/events?after=0&wait=0").json["events"]
    [hidden] = [e for e in event if e["type"] == "post.hidden"]
    assert hidden["data"]["body"] == "" and hidden["data"]["images"] == []


def test_a_confidential_comment_is_withheld_in_its_thread(alice, bob, user):
    post = bob.new_post("Numbers thread")
    comment = alice.post(f"/posts/{post['id']}/comments", json={"body": "secret sauce"}).json
    flag_all(flaggers(user), f"/comments/{comment['id']}", "confidential")
    [seen] = bob.get(f"/posts/{post['id']}/comments").json["items"]
    assert seen["body"] == "" and seen["hidden"]["state"] == "hidden"
    [own] = alice.get(f"/posts/{post['id']}/comments").json["items"]
    assert own["body"] == "secret sauce" and own["can_edit"] is True
    assert bob.get(f"/comments/{comment['id']}").json["body"] == ""


def test_hidden_posts_leave_top_and_the_promoted_strip_but_keep_their_place(alice, bob, user):
    hidden = alice.new_post("Spam")
    kept = alice.new_post("Real news")
    for post in (hidden, kept):
        bob.put(f"/posts/{post['id']}/promotion")
    flag_all(flaggers(user), f"/posts/{hidden['id']}")
    assert [p["id"] for p in bob.get("/posts?sort=top").json["items"]] == [kept["id"]]
    assert [p["id"] for p in bob.get("/posts?promoted=true").json["items"]] == [kept["id"]]
    assert [p["id"] for p in bob.get("/posts").json["items"]] == [kept["id"], hidden["id"]]


def test_reactions_on_a_hidden_item_are_refused(alice, bob, user):
    post = alice.new_post("Hide me")
    comment = alice.post(f"/posts/{post['id']}/comments", json={"body": "me too"}).json
    path = f"/posts/{post['id']}"
    flag_all(flaggers(user), f"/comments/{comment['id']}")
    assert bob.put(f"/comments/{comment['id']}/like").json["code"] == "item_hidden"
    reply = bob.post(f"{path}/comments", json={"body": "re", "parent_id": comment["id"]})
    assert (reply.status_code, reply.json["code"]) == (422, "item_hidden")
    flag_all(flaggers(user), path)
    for answer in (
        bob.put(f"{path}/like"),
        bob.put(f"{path}/promotion"),
        bob.post(f"{path}/comments", json={"body": "still here?"}),
    ):
        assert (answer.status_code, answer.json["code"]) == (422, "item_hidden")
    seen = bob.get(path).json
    assert (seen["like_count"], seen["promotion_count"], seen["comment_count"]) == (0, 0, 1)


def test_flagged_by_me_is_the_readers_own_and_a_flag_can_be_withdrawn(app, alice, bob):
    post = alice.new_post("Borderline")
    comment = alice.post(f"/posts/{post['id']}/comments", json={"body": "also"}).json
    assert flag(bob, f"/posts/{post['id']}").status_code == 201
    assert flag(bob, f"/comments/{comment['id']}", "disrespectful").status_code == 201
    assert bob.get("/posts").json["items"][0]["flagged_by_me"] is True
    assert alice.get("/posts").json["items"][0]["flagged_by_me"] is False
    assert bob.get(f"/posts/{post['id']}/comments").json["items"][0]["flagged_by_me"] is True
    assert bob.get(f"/comments/{comment['id']}").json["flagged_by_me"] is True
    answer = bob.delete(f"/posts/{post['id']}/flags")
    assert (answer.status_code, answer.json) == (200, {"flagged": False, "hidden": False})
    assert bob.get("/posts").json["items"][0]["flagged_by_me"] is False
    assert count(app, Flag) == 1


def test_hostile_flags_are_clear_4xx_and_change_nothing(app, alice, bob):
    post = alice.new_post("Mine")
    path = f"/posts/{post['id']}"
    assert flag(bob, path).status_code == 201
    before = rows(app)
    again = flag(bob, path, "other")
    assert (again.status_code, again.json) == (200, {"flagged": True, "hidden": False})
    cases = [
        (flag(alice, path), 422, "own_item"),
        (flag(bob, path, "ugly"), 422, "invalid"),
        (flag(bob, path, note="x" * 501), 422, "invalid"),
        (bob.post(f"{path}/flags", json={}, key=None), 422, "invalid"),
        (bob.post(f"{path}/flags", data="{", key=None, content_type="application/json"), 400, None),
        (flag(bob, "/posts/999999"), 404, "not_found"),
        (flag(bob, "/comments/999999"), 404, "not_found"),
        (bob.delete("/posts/999999/flags"), 404, "not_found"),
    ]
    for answer, status, code in cases:
        assert answer.status_code == status, answer.json
        assert code is None or answer.json["code"] == code
    assert rows(app) == before


@pytest.mark.parametrize("kind", ["post", "comment"])
def test_three_simultaneous_flags_hide_exactly_once(app, alice, user, kind):
    post = alice.new_post("Race me")
    path = f"/posts/{post['id']}"
    if kind == "comment":
        comment = alice.post(f"{path}/comments", json={"body": "race"}).json
        path = f"/comments/{comment['id']}"
    assert sorted(flag_at_once(app, flaggers(user), path)) == [201, 201, 201]
    assert alice.get(path).json["hidden"]["people"] == 3
    assert count(app, ModerationEntry, ModerationEntry.action == "hidden") == 1
    assert inbox_kinds(alice) == ["hidden"]


def test_self_promotion_is_refused(alice):
    post = alice.new_post("Look at me")
    answer = alice.put(f"/posts/{post['id']}/promotion")
    assert (answer.status_code, answer.json["code"]) == (422, "own_post")
    assert alice.get(f"/posts/{post['id']}").json["promotion_count"] == 0


def test_can_promote_says_who_may_promote_wherever_a_post_is_read(app, alice, bob, mo, user):
    """False on one's own post and on hidden ones, for every reader of a shared page; live
    frames are everyone's and carry none (the pane keeps the server's answer for its reader)."""
    mine, other = alice.new_post("Alice's harbour plan"), bob.new_post("Bob's harbour plan")
    before = head(alice)

    def can(reader, post, *lists):
        seen = {reader.get(f"/posts/{post['id']}").json["can_promote"]}
        for path in lists or ("/posts", f"/people/{post['author']['id']}/posts"):
            items = reader.get(path).json["items"]
            seen |= {i["can_promote"] for i in items if i["id"] == post["id"]}
        found = reader.get("/search?q=harbour&type=posts").json["items"]
        seen |= {i["can_promote"] for i in found if i["id"] == post["id"]}
        assert len(seen) == 1, seen  # REST, shared pages and search agree
        return seen.pop()

    assert (can(alice, mine), can(alice, other)) == (False, True)
    assert (can(bob, mine), can(bob, other)) == (True, False)
    assert can(mo, mine) is True  # a moderator is no author
    flag_all(flaggers(user), f"/posts/{other['id']}")  # hidden now: nobody may promote it
    assert (can(alice, other), can(bob, other), can(mo, other)) == (False, False, False)
    answer = alice.put(f"/posts/{other['id']}/promotion")
    assert (answer.status_code, answer.json["code"]) == (422, "item_hidden")
    decide = {"item": {"post_id": other["id"]}, "action": "restore"}
    assert mo.post("/moderation/decisions", json=decide, key=None).status_code == 200
    assert can(alice, other) is True
    assert alice.put(f"/posts/{other['id']}/promotion").status_code == 200
    frames = [f for f in events_after(alice, before) if f["type"].startswith("post.")]
    assert frames and all("can_promote" not in f["data"] for f in frames)
    assert "can_promote" in READER_FIELDS


def test_the_authors_own_like_does_not_lift_their_post_in_top(alice, bob):
    liked_by_author = alice.new_post("Liked by its author")
    older = bob.new_post("Liked by a colleague")
    newer = bob.new_post("Not liked")
    alice.put(f"/posts/{liked_by_author['id']}/like")
    bob.put(f"/posts/{older['id']}/like")  # bob's own: does not count either
    alice.put(f"/posts/{older['id']}/like")
    # Created within milliseconds, the three are equally fresh: likes decide, then the newest.
    # The author's like counts as a like, but ranks like none at all.
    order = [p["id"] for p in bob.get("/posts?sort=top").json["items"]]
    assert order == [older["id"], newer["id"], liked_by_author["id"]]
    assert bob.get(f"/posts/{liked_by_author['id']}").json["like_count"] == 1
