"""Following and notifications: who is told what, grouping, withdrawing, reading, the feed."""

import pytest

from chatter.attention.schemas import NotificationSchema


@pytest.fixture
def carol(user):
    return user("carol", name="Carol Chen", title="Analyst", department="Finance")


@pytest.fixture
def dave(user):
    return user("dave", name="Dave Diaz", title="Manager", department="Sales")


def inbox(api, **query):
    response = api.get("/notifications", query_string=query)
    assert response.status_code == 200, response.json
    return response.json


def kinds(api):
    return [(item["kind"], item["actors"][0]["name"]) for item in inbox(api)["items"]]


def comment(api, post, body, **fields):
    response = api.post(f"/posts/{post['id']}/comments", json={"body": body, **fields})
    assert response.status_code == 201, response.json
    return response.json


def test_a_mention_in_a_comment_tells_the_person_and_nobody_hears_of_their_own(alice, bob):
    post = bob.new_post("Who knows the rail booking tool?")
    mention = comment(bob, post, "@alice.archer do you?")
    page = inbox(alice)
    assert page["unread_count"] == 1 and page["next_cursor"] is None
    [item] = page["items"]
    assert list(item) == list(NotificationSchema().fields)
    assert item["kind"] == "mention" and not item["read"]
    assert item["actors"] == [{"id": bob.user["id"], "name": "Bob Baker", "avatar_url": None}]
    assert (item["post_id"], item["comment_id"]) == (post["id"], mention["id"])
    assert item["excerpt"] == "@alice.archer do you?" and item["actor_count"] == 1
    assert alice.get("/me").json["unread_notifications"] == 1
    assert inbox(bob)["items"] == [], "nobody is told about their own actions"
    # Being mentioned follows the conversation: the next comment tells alice too.
    assert alice.get(f"/posts/{post['id']}").json["followed_by_me"] is True
    comment(bob, post, "anyone else?")
    assert [kind for kind, _ in kinds(alice)] == ["comment", "mention"]


def test_a_reply_tells_the_comment_author_and_followers_hear_of_the_comment(alice, bob, carol):
    post = alice.new_post("Lunch on Friday?")
    top = comment(carol, post, "I am in")
    comment(bob, post, "me too", parent_id=top["id"])
    assert kinds(carol) == [("reply", "Bob Baker")]
    # A follower's news of one conversation is one item: who commented, from where to read.
    [news] = inbox(alice)["items"]
    assert (news["id"], news["kind"], news["read"]) == (-post["id"], "comment", False)
    assert [a["name"] for a in news["actors"]] == ["Bob Baker", "Carol Chen"]
    assert (news["actor_count"], news["comment_id"], news["excerpt"]) == (2, top["id"], "me too")
    assert news["link"].endswith(f"#chatter-comment-{top['id']}")
    assert alice.get("/me").json["unread_notifications"] == 1
    assert kinds(bob) == []
    # Opening the conversation reads it; the next comment is news again.
    assert alice.post("/notifications/read", json={"post_id": post["id"]}).json == {
        "unread_count": 0
    }
    assert inbox(alice)["items"] == []
    comment(carol, post, "see you there")
    assert kinds(alice) == [("comment", "Carol Chen")]
    assert alice.post("/notifications/read", json={"ids": [-post["id"]]}).json == {
        "unread_count": 0
    }


def test_muting_a_conversation_stops_its_comments_even_after_taking_part(alice, bob, carol):
    post = alice.new_post("Quarterly numbers")
    comment(carol, post, "thanks")
    assert carol.delete(f"/posts/{post['id']}/follow").json == {"followed_by_me": False}
    comment(carol, post, "one more thing")  # taking part again does not undo the mute
    assert carol.get(f"/posts/{post['id']}").json["followed_by_me"] is False
    comment(bob, post, "a question")
    assert kinds(carol) == []
    assert carol.put(f"/posts/{post['id']}/follow").json == {"followed_by_me": True}
    comment(bob, post, "another question")
    assert kinds(carol) == [("comment", "Bob Baker")]
    assert bob.put("/posts/999999/follow").status_code == 404


def test_likes_are_grouped_while_unread_and_an_unlike_takes_its_part_back(alice, bob, carol, dave):
    post = alice.new_post("Our new office")
    for api in (bob, carol, dave):
        assert api.put(f"/posts/{post['id']}/like").status_code == 200
    alice.put(f"/posts/{post['id']}/like")  # one's own like tells nobody
    [like] = inbox(alice)["items"]
    assert like["kind"] == "like" and like["actor_count"] == 3
    assert [a["name"] for a in like["actors"]] == ["Dave Diaz", "Carol Chen", "Bob Baker"]
    dave.delete(f"/posts/{post['id']}/like")
    [like] = inbox(alice)["items"]
    assert like["actor_count"] == 2 and [a["name"] for a in like["actors"]][0] == "Carol Chen"
    bob.delete(f"/posts/{post['id']}/like")
    carol.delete(f"/posts/{post['id']}/like")
    assert inbox(alice) == {"items": [], "unread_count": 0, "next_cursor": None}
    # Once read, a group is closed: the next like starts a new one.
    bob.put(f"/posts/{post['id']}/like")
    alice.post("/notifications/read", json={"all": True})
    carol.put(f"/posts/{post['id']}/like")
    items = inbox(alice)["items"]
    assert [(i["actor_count"], i["read"]) for i in items] == [(1, False), (1, True)]


def test_comment_likes_and_promotions_tell_their_author(alice, bob, carol):
    post = alice.new_post("Ship it?")
    remark = comment(bob, post, "yes")
    alice.put(f"/comments/{remark['id']}/like")
    carol.put(f"/comments/{remark['id']}/like")
    carol.put(f"/posts/{post['id']}/promotion")
    [like] = inbox(bob)["items"]
    assert (like["kind"], like["comment_id"], like["actor_count"]) == ("like", remark["id"], 2)
    assert like["excerpt"] == "yes"
    promotion = inbox(alice)["items"][0]
    assert (promotion["kind"], promotion["actors"][0]["name"]) == ("promotion", "Carol Chen")
    carol.delete(f"/posts/{post['id']}/promotion")
    assert [i["kind"] for i in inbox(alice)["items"]] == ["comment"]


def test_a_deleted_comment_withdraws_what_it_caused(alice, bob, carol):
    post = alice.new_post("Team offsite")
    top = comment(bob, post, "@carol.chen what do you think?")
    reply = comment(carol, post, "sounds good", parent_id=top["id"])
    assert {i["kind"] for i in inbox(alice)["items"]} == {"comment"}
    assert bob.delete(f"/comments/{top['id']}").status_code == 204
    assert inbox(carol)["items"] == [] and inbox(bob)["items"] == []  # the reply went with it
    assert inbox(alice)["unread_count"] == 0
    assert reply["parent_id"] == top["id"]


def test_an_edit_tells_only_the_people_it_newly_mentions(alice, bob, carol):
    post = alice.new_post("Draft for @bob.baker")
    alice.patch(f"/posts/{post['id']}", json={"body": "Draft for @bob.baker and @carol.chen"})
    alice.patch(f"/posts/{post['id']}", json={"body": "Draft for @carol.chen and @bob.baker!"})
    assert kinds(bob) == [("mention", "Alice Archer")]
    assert kinds(carol) == [("mention", "Alice Archer")]


def test_marking_read_by_ids_by_conversation_or_all(alice, bob, carol):
    first, second = bob.new_post("one"), bob.new_post("two")
    comment(bob, first, "@alice.archer look")
    comment(carol, first, "@alice.archer and here")
    comment(bob, second, "@alice.archer two")
    items = inbox(alice)["items"]
    assert inbox(alice)["unread_count"] == 3
    read = alice.post("/notifications/read", json={"ids": [items[0]["id"]]})
    assert read.status_code == 200 and read.json == {"unread_count": 2}
    assert alice.post("/notifications/read", json={"post_id": first["id"]}).json == {
        "unread_count": 0
    }
    assert all(i["read"] for i in inbox(alice)["items"])
    # Someone else's ids change nothing of theirs.
    comment(alice, first, "@bob.baker thanks")
    bobs = inbox(bob)
    assert [i["kind"] for i in bobs["items"]] == ["mention", "comment"]
    carol.post("/notifications/read", json={"ids": [i["id"] for i in bobs["items"]]})
    assert inbox(bob)["unread_count"] == 2
    assert bob.post("/notifications/read", json={"all": True}).json == {"unread_count": 0}


@pytest.mark.parametrize(
    "body",
    [{}, {"ids": []}, {"all": False}, {"ids": [1], "all": True}, {"ids": ["x"]}, {"post_id": 0}],
)
def test_marking_read_needs_exactly_one_choice(alice, body):
    response = alice.post("/notifications/read", json=body)
    assert response.status_code == 422, response.json


def test_notifications_page_newest_first_with_a_cursor(alice, bob):
    post = bob.new_post("Pages")
    for n in range(5):
        comment(bob, post, f"@alice.archer number {n}")
    first = inbox(alice, limit=2)
    second = inbox(alice, limit=2, cursor=first["next_cursor"])
    third = inbox(alice, limit=2, cursor=second["next_cursor"])
    excerpts = [i["excerpt"][-1] for page in (first, second, third) for i in page["items"]]
    assert excerpts == ["4", "3", "2", "1", "0"] and third["next_cursor"] is None
    assert alice.get("/notifications", query_string={"cursor": "nope"}).status_code == 400
    assert alice.get("/notifications", query_string={"limit": 51}).status_code == 422


def test_following_a_person(alice, bob, carol):
    assert alice.put(f"/people/{bob.user['id']}/follow").json == {
        "followed_by_me": True,
        "follower_count": 1,
    }
    carol.put(f"/people/{bob.user['id']}/follow")
    alice.put(f"/people/{bob.user['id']}/follow")  # again: no change
    card = alice.get(f"/people/{bob.user['id']}").json
    assert (card["follower_count"], card["followed_by_me"]) == (2, True)
    [follow] = inbox(bob)["items"]
    assert (follow["kind"], follow["actor_count"], follow["post_id"]) == ("follow", 2, None)
    assert alice.delete(f"/people/{bob.user['id']}/follow").json["follower_count"] == 1
    assert inbox(bob)["items"][0]["actor_count"] == 1
    own = alice.put(f"/people/{alice.user['id']}/follow")
    assert own.status_code == 422 and own.json["code"] == "own_person"
    assert alice.put("/people/999999/follow").status_code == 404


def test_the_following_feed(alice, bob, carol, dave):
    by_bob = bob.new_post("from bob")
    on_page = dave.new_post("on the wiki", context="page:wiki")
    elsewhere = dave.new_post("elsewhere", context="page:other")
    joined = carol.new_post("carol asks")
    muted = bob.new_post("bob again")
    alice.put(f"/people/{bob.user['id']}/follow")
    assert alice.put("/pages/follow", query_string={"context": "page:wiki"}).json == {
        "followed_by_me": True
    }
    comment(alice, joined, "I know")
    alice.delete(f"/posts/{muted['id']}/follow")
    feed = alice.get("/posts", query_string={"following": "true"}).json
    ids = [item["id"] for item in feed["items"]]
    assert ids == [joined["id"], on_page["id"], by_bob["id"]]
    assert elsewhere["id"] not in ids and feed["last_event_id"] > 0
    assert [item["followed_by_me"] for item in feed["items"]] == [True, False, False]
    first = alice.get("/posts", query_string={"following": "true", "limit": 2}).json
    rest = alice.get(
        "/posts", query_string={"following": "true", "limit": 2, "cursor": first["next_cursor"]}
    ).json
    assert [i["id"] for i in first["items"] + rest["items"]] == ids
    assert rest["next_cursor"] is None
    alice.delete("/pages/follow", query_string={"context": "page:wiki"})
    after = alice.get("/posts", query_string={"following": "true"}).json["items"]
    assert on_page["id"] not in [item["id"] for item in after]
    bobs = bob.get("/posts", query_string={"following": "true"}).json["items"]
    assert bobs[0]["id"] == muted["id"], "his own mute is not hers"


def test_the_shared_feed_carries_followed_by_me(alice, bob):
    post = alice.new_post("followed?")
    assert alice.get("/posts").json["items"][0]["followed_by_me"] is True  # she started it
    assert bob.get("/posts").json["items"][0]["followed_by_me"] is False
    bob.put(f"/posts/{post['id']}/follow")
    assert bob.get("/posts").json["items"][0]["followed_by_me"] is True


@pytest.fixture
def server(app):
    from .conftest import LiveServer

    live = LiveServer(app)
    yield live.url.removeprefix("http://")
    live.stop()


def test_live_notifications_reach_only_their_recipient(server, alice, bob, carol):
    from .test_live import Stream, token

    tabs = [Stream(server, token(alice)) for _ in range(2)]
    bobs, carols = Stream(server, token(bob)), Stream(server, token(carol))
    ready = [stream.next()["last_id"] for stream in (*tabs, bobs, carols)]
    post = carol.new_post("Who can review?")
    mention = comment(bob, post, "@alice.archer can you?")
    for tab in tabs:
        frames = tab.until("notification")
        assert [f["type"] for f in frames] == ["post.created", "notification"]
        data = frames[-1]["data"]
        assert data == inbox(alice)["items"][0], "live and REST say the same"
        assert data["kind"] == "mention" and data["comment_id"] == mention["id"]
    # Carol follows her post: the comment's frame carries her news; Bob's carries none.
    news = carols.until("comment.created")[-1]["notification"]
    # (Outside a request and without CHATTER_PUBLIC_URL the link is root-relative: links.py.)
    assert news == inbox(carol)["items"][0] | {k: news[k] for k in ("created_at", "link")}
    assert news["link"] == f"/c/{post['id']}#chatter-comment-{mention['id']}"
    assert (news["id"], news["kind"], news["comment_id"]) == (-post["id"], "comment", mention["id"])
    bobs_frames = bobs.until("comment.created")
    assert "notification" not in [f["type"] for f in bobs_frames]
    assert "notification" not in bobs_frames[-1]
    # Reading in one tab clears the other's badge.
    alice.post("/notifications/read", json={"post_id": post["id"]})
    for tab in tabs:
        read = tab.until("notifications.read")[-1]["data"]
        assert read == {"unread_count": 0, "ids": None, "all": False, "post_id": post["id"]}
    # A deleted comment takes back the unread mention it caused.
    to_carol = comment(bob, post, "@carol.chen and you?")
    assert carols.until("notification")[-1]["data"]["kind"] == "mention"
    bob.delete(f"/comments/{to_carol['id']}")
    withdrawn = carols.until("notification.withdrawn")[-1]["data"]
    assert withdrawn["unread_count"] == 1 and len(withdrawn["ids"]) == 1  # bob's first is news
    # Resuming replays only one's own: Bob, from before, gets no one's notification.
    late = Stream(server, token(bob), after=ready[2])
    replayed = late.until("ready")
    assert not {"notification", "notification.withdrawn", "notifications.read"} & {
        f["type"] for f in replayed
    }
    again = Stream(server, token(alice), after=ready[0])
    assert "notification" in [f["type"] for f in again.until("ready")]
    replayed = Stream(server, token(carol), after=ready[3]).until("ready")
    assert {f["notification"]["id"] for f in replayed if "notification" in f} == {-post["id"]}
    for stream in (*tabs, bobs, carols, late, again):
        stream.close()


def test_a_new_post_says_following_to_those_who_follow_its_author_or_page(
    server, alice, bob, carol
):
    from .test_live import Stream, token

    alice.put(f"/people/{carol.user['id']}/follow")
    bob.put("/pages/follow", query_string={"context": "wiki:rail"})
    streams = {who: Stream(server, token(api)) for who, api in (("alice", alice), ("bob", bob))}
    streams["carol"] = Stream(server, token(carol))
    ready = {who: stream.next()["last_id"] for who, stream in streams.items()}
    carol.new_post("Rail booking opens Monday", context="wiki:rail")
    carol.new_post("Lunch menu", context="wiki:canteen")
    seen = {who: stream.until("post.created") for who, stream in streams.items()}
    seen = {
        who: [
            f.get("following")
            for f in frames + streams[who].until("post.created")
            if f["type"] == "post.created"
        ]
        for who, frames in seen.items()
    }
    # Alice follows Carol (both posts), Bob the rail page (the first), Carol is the author.
    assert seen == {"alice": [True, True], "bob": [True, None], "carol": [None, None]}
    replayed = Stream(server, token(bob), after=ready["bob"]).until("ready")
    assert [f.get("following") for f in replayed if f["type"] == "post.created"] == [True, None]
    for stream in streams.values():
        stream.close()
