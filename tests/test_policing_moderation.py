"""Review and the public log: the queue, the four decisions, weights, edits while hidden."""

import pytest

from chatter.models import Upload
from chatter.policing.models import Flag, ModerationEntry, ReviewRequest, Revision

from .policing_support import (
    MODERATOR,
    count,
    events_after,
    flag,
    flag_all,
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


def decide(mo, action, note=None, **item):
    return mo.post(
        "/moderation/decisions", json={"item": item, "action": action, "note": note}, key=None
    )


def test_a_moderator_restores_and_the_log_tells_everyone_who_did_what_as_a_kind(
    alice, bob, mo, user
):
    post = alice.new_post("Our team lunch is Friday")
    path = f"/posts/{post['id']}"
    people = flaggers(user)
    flag_all(people, path, "off_topic")
    assert flag(people[0], path).status_code == 200  # again: nothing changes
    queue = mo.get("/moderation/queue").json
    [waiting] = queue["items"]
    assert waiting["post"]["id"] == post["id"] and waiting["comment"] is None
    assert waiting["hidden"]["people"] == 3
    assert [f["by"]["id"] for f in waiting["flags"]] == [p.user["id"] for p in people]
    assert {f["reason"] for f in waiting["flags"]} == {"off_topic"}
    before = head(bob)

    answer = decide(mo, "restore", "A lunch invite is on topic here.", post_id=post["id"])
    assert answer.status_code == 200, answer.json
    entry = answer.json["entry"]
    assert entry["action"] == "restored" and entry["actor"] == "a moderator"
    assert entry["note"] == "A lunch invite is on topic here."
    assert bob.get(path).json["hidden"] is None
    assert mo.get("/moderation/queue").json["items"] == []
    assert inbox_kinds(alice) == ["restored", "hidden"]
    assert [e["type"] for e in events_after(bob, before)].count("post.restored") == 1

    log = bob.get("/moderation/log").json  # an ordinary employee reads it
    assert [(e["action"], e["actor"], e["reason"]) for e in log["entries"]] == [
        ("restored", "a moderator", "off_topic"),
        ("hidden", "3 colleagues in 2 departments", "off_topic"),
    ]
    assert log["entries"][1]["item"] == {
        "post_id": post["id"],
        "comment_id": None,
        "url": post["link"],
        "excerpt": "Our team lunch is Friday",
    }
    names = [p.user["name"] for p in people]
    assert not any(name in str(log) for name in names)  # flaggers are never named
    assert log["next"] is None


def test_overturned_flags_weigh_less_next_time(app, alice, mo, user):
    sales, sales_too, legal = flaggers(user)
    for n in range(2):  # two of each one's flags are overturned
        post = alice.new_post(f"Fine post {n}")
        flag_all([sales, sales_too, legal], f"/posts/{post['id']}")
        assert decide(mo, "restore", post_id=post["id"]).status_code == 200
    post = alice.new_post("Actually spam")
    flag_all([sales, sales_too, legal], f"/posts/{post['id']}")
    # Each now weighs 1/2: 1.5 < 3, the post stays; it takes two fresh colleagues more.
    assert alice.get(f"/posts/{post['id']}").json["hidden"] is None
    flag_all(flaggers(user, ["IT"]), f"/posts/{post['id']}")
    assert alice.get(f"/posts/{post['id']}").json["hidden"] is None  # 2.5
    flag_all(flaggers(user, ["IT"]), f"/posts/{post['id']}")
    assert alice.get(f"/posts/{post['id']}").json["hidden"]["people"] == 5  # 3.5


def test_removal_keeps_the_row_and_deletes_text_history_and_pictures(app, alice, bob, mo, user):
    from .test_uploads import uploaded

    picture = uploaded(alice)
    post = alice.new_post("First words", images=[picture["id"]])
    path = f"/posts/{post['id']}"
    alice.patch(path, json={"body": "Leaked salaries"})
    comment = bob.post(f"{path}/comments", json={"body": "hm"}).json
    flag_all(flaggers(user), path, "confidential")
    entry = decide(mo, "remove", "Salaries are confidential.", post_id=post["id"]).json["entry"]
    assert entry["action"] == "removed" and entry["item"]["excerpt"] is None
    for reader in (alice, bob, mo):
        seen = reader.get(path).json
        assert (seen["body"], seen["images"], seen["revision_count"]) == ("", [], 0)
        assert seen["hidden"]["state"] == "removed"
    assert alice.get(f"{path}/revisions").json == {"revisions": []}
    assert count(app, Upload, Upload.post_id == post["id"]) == 0
    assert count(app, Revision) == 0
    assert bob.get(f"/comments/{comment['id']}").json["body"] == "hm"  # comments stay
    edit = alice.patch(path, json={"body": "again"})
    assert (edit.status_code, edit.json["code"]) == (422, "item_removed")
    assert alice.get(path).json["body"] == ""


def test_a_moderator_hides_at_once_and_dismisses_flags_without_hiding(alice, bob, mo):
    spam = alice.new_post("spam spam")
    fine = alice.new_post("fine")
    assert flag(bob, f"/posts/{fine['id']}", note="I dislike it").status_code == 201
    [waiting] = mo.get("/moderation/queue").json["items"]
    assert waiting["flags"][0]["note"] == "I dislike it"
    dismissed = decide(mo, "dismiss", post_id=fine["id"]).json["entry"]
    assert (
        dismissed["action"] == "dismissed"
        and alice.get(f"/posts/{fine['id']}").json["hidden"] is None
    )
    hidden = decide(mo, "hide", "Spam.", post_id=spam["id"]).json["entry"]
    assert (hidden["action"], hidden["actor"]) == ("hidden", "a moderator")
    assert bob.get(f"/posts/{spam['id']}").json["hidden"]["by"] == "moderator"
    assert mo.get("/moderation/queue").json["items"] == []


def test_editing_a_hidden_item_asks_for_review_again_and_notifies_nobody(app, alice, bob, mo, user):
    post = alice.new_post("Rude words")
    comment = alice.post(f"/posts/{post['id']}/comments", json={"body": "rude too"}).json
    flag_all(flaggers(user), f"/comments/{comment['id']}", "disrespectful")
    answer = alice.patch(f"/comments/{comment['id']}", json={"body": "Sorry, @bob.baker"})
    assert answer.status_code == 200 and answer.json["hidden"]["state"] == "hidden"
    assert answer.json["revision_count"] == 1
    assert "mention" not in inbox_kinds(bob)
    log = bob.get("/moderation/log").json["entries"]
    assert [(e["action"], e["actor"]) for e in log][:1] == [("edited_after_hide", "the author")]
    assert log[0]["item"]["comment_id"] == comment["id"]
    [waiting] = mo.get("/moderation/queue").json["items"]
    assert waiting["comment"]["body"] == "Sorry, @bob.baker"
    assert count(app, ReviewRequest) == 1


def test_hostile_decisions_are_clear_4xx_and_change_nothing(app, alice, bob, mo, user):
    post = alice.new_post("Contested")
    flag_all(flaggers(user), f"/posts/{post['id']}")
    before = rows(app), bob.get(f"/posts/{post['id']}").json["hidden"]
    cases = [
        (bob.get("/moderation/queue"), 403, "not_moderator"),
        (decide(bob, "restore", post_id=post["id"]), 403, "not_moderator"),
        (decide(mo, "restore", post_id=999999), 404, "not_found"),
        (decide(mo, "restore", comment_id=999999), 404, "not_found"),
        (decide(mo, "obliterate", post_id=post["id"]), 422, "invalid"),
        (decide(mo, "restore"), 422, "invalid"),
        (decide(mo, "restore", post_id=post["id"], comment_id=1), 422, "invalid"),
        (decide(mo, "restore", "x" * 501, post_id=post["id"]), 422, "invalid"),
        (decide(mo, "hide", post_id=post["id"]), 409, "already_hidden"),
        (decide(mo, "dismiss", post_id=post["id"]), 409, "already_hidden"),
        (mo.get("/moderation/log?cursor=nonsense"), 400, "bad_cursor"),
    ]
    for answer, status, code in cases:
        assert (answer.status_code, answer.json["code"]) == (status, code), answer.json
    assert (rows(app), bob.get(f"/posts/{post['id']}").json["hidden"]) == before
    assert count(app, Flag, Flag.outcome == "open") == 3
    assert count(app, ModerationEntry) == 1


def test_the_log_pages_newest_first(alice, mo):
    posts = [alice.new_post(f"post {n}") for n in range(23)]
    for post in posts:
        decide(mo, "hide", post_id=post["id"])
    first = mo.get("/moderation/log").json
    second = mo.get("/moderation/log", query_string={"cursor": first["next"]}).json
    ids = [e["item"]["post_id"] for e in first["entries"] + second["entries"]]
    assert ids == [p["id"] for p in reversed(posts)] and second["next"] is None


def test_every_edit_keeps_the_earlier_text_with_when_it_was_written(alice, bob):
    post = alice.new_post("v1")
    path = f"/posts/{post['id']}"
    assert bob.get(f"{path}/revisions").json == {"revisions": []}
    alice.patch(path, json={"body": "v2 *bold*"})
    edited = alice.patch(path, json={"body": "v3"}).json
    history = bob.get(f"{path}/revisions").json["revisions"]
    assert [r["text"] for r in history] == ["v2 *bold*", "v1"]
    assert "<em>bold</em>" in history[0]["html"]
    assert history[1]["at"] == post["created_at"]
    assert (
        edited["revision_count"] == 2 and bob.get("/posts").json["items"][0]["revision_count"] == 2
    )
    comment = bob.post(f"{path}/comments", json={"body": "c1"}).json
    bob.patch(f"/comments/{comment['id']}", json={"body": "c2"})
    assert alice.get(f"/comments/{comment['id']}/revisions").json["revisions"][0]["text"] == "c1"
    assert alice.get("/posts/999999/revisions").status_code == 404
    assert alice.get("/comments/999999/revisions").status_code == 404


def test_hiding_and_restoring_a_comment_go_live_as_everyone_sees_it(alice, bob, mo, user):
    from chatter.schemas import READER_FIELDS

    post = bob.new_post("Thread")
    comment = alice.post(f"/posts/{post['id']}/comments", json={"body": "Hi @bob.baker"}).json
    before = head(bob)
    flag_all(flaggers(user), f"/comments/{comment['id']}", "disrespectful")
    decide(mo, "restore", comment_id=comment["id"])
    events = [e for e in events_after(bob, before) if e["type"].startswith("comment.")]
    assert [e["type"] for e in events] == ["comment.hidden", "comment.restored"]
    seen = bob.get(f"/comments/{comment['id']}").json
    assert events[1]["data"] == {k: v for k, v in seen.items() if k not in READER_FIELDS}
    assert events[0]["data"]["hidden"]["reason"] == "disrespectful"


@pytest.mark.parametrize("by", ["moderator", "author"])
def test_removing_a_post_withdraws_what_its_comments_told_too_live(alice, bob, mo, user, by):
    """A mention and a reply in a conversation's comments leave the inbox with it, live."""
    carol = user("carol", name="Carol Chen", department="Finance")
    post = alice.new_post("Who reviews the release notes?")
    other = alice.new_post("Somewhere else entirely")
    path = f"/posts/{post['id']}"
    dan = user("dan", name="Dan Dale", department="Sales")
    dan.put(f"{path}/follow")
    top = carol.post(f"{path}/comments", json={"body": "@bob.baker can you?"}).json
    bob.post(f"{path}/comments", json={"body": "Sure", "parent_id": top["id"]})
    bob.post(f"/posts/{other['id']}/comments", json={"body": "@carol.chen elsewhere"})
    assert sorted(inbox_kinds(bob)) == ["mention"]
    assert sorted(inbox_kinds(carol)) == ["mention", "reply"]
    assert inbox_kinds(dan) == ["comment"]  # news in a conversation he follows, told on read
    told = {i["id"] for i in carol.get("/notifications").json["items"]}
    told |= {i["id"] for i in bob.get("/notifications").json["items"]}
    after = head(alice)

    if by == "moderator":
        assert decide(mo, "remove", "Off the record.", post_id=post["id"]).status_code == 200
    else:
        assert alice.delete(path).status_code == 204

    assert inbox_kinds(bob) == []
    assert inbox_kinds(carol) == ["mention"]  # the one about another conversation stays
    assert inbox_kinds(dan) == []
    assert bob.get("/me").json["unread_notifications"] == 0
    assert carol.get("/me").json["unread_notifications"] == 1
    withdrawn = {}
    for reader in (bob, carol):
        frames = [f for f in events_after(reader, after) if f["type"] == "notification.withdrawn"]
        withdrawn[reader.user["id"]] = frames[-1]["data"]
        assert {f["data"]["unread_count"] for f in frames} == {
            reader.get("/me").json["unread_notifications"]
        }
    gone = {nid for data in withdrawn.values() for nid in data["ids"]}
    dans = [f["data"] for f in events_after(dan, after) if f["type"] == "notification.withdrawn"]
    assert dans == [{"ids": [-post["id"]], "unread_count": 0}]
    # the stored ones, and (a group's id is −post_id) any news of the conversation's followers
    assert {nid for nid in gone if nid > 0} == told - {
        i["id"] for i in carol.get("/notifications").json["items"]
    }
    assert {nid for nid in gone if nid < 0} <= {-post["id"]}
