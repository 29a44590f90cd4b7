"""Conversations and comments through HTTP: create, read, edit, delete, permissions."""

import json

import pytest


def test_post_roundtrip_with_context(alice):
    post = alice.new_post(
        "Hello **team**",
        context="project:apollo",
        context_title="Project Apollo",
        context_url="https://intra/apollo",
    )
    assert post["html"] == "<p>Hello <strong>team</strong></p>"
    assert post["context"] == {
        "key": "project:apollo",
        "title": "Project Apollo",
        "url": "https://intra/apollo",
    }
    assert post["author"] == {
        "id": alice.user["id"],
        "name": "Alice Archer",
        "title": "Engineer",
        "department": "Engineering",
        "avatar_url": None,
    }
    assert (post["like_count"], post["comment_count"], post["promotion_count"]) == (0, 0, 0)
    assert post["can_edit"] and post["can_delete"]
    assert post["created_at"].endswith("Z") and post["edited_at"] is None
    assert alice.get(f"/posts/{post['id']}").json == post


def test_context_page_and_everyone_stream(alice, bob):
    on_page = alice.new_post("on the page", context="wiki:home")
    elsewhere = bob.new_post("somewhere else", context="wiki:other")
    global_only = bob.new_post("no page at all")
    page = alice.get("/posts?context=wiki:home").json["items"]
    everyone = alice.get("/posts").json["items"]
    assert [p["id"] for p in page] == [on_page["id"]]
    assert [p["id"] for p in everyone] == [global_only["id"], elsewhere["id"], on_page["id"]]
    empty = alice.get("/posts?context=unknown:page").json
    assert empty["items"] == [] and empty["next_cursor"] is None


def test_author_edits_and_others_cannot(alice, bob):
    post = alice.new_post("first draft")
    edited = alice.patch(f"/posts/{post['id']}", json={"body": "second _draft_"})
    assert edited.status_code == 200
    assert edited.json["html"] == "<p>second <em>draft</em></p>"
    assert edited.json["edited_at"] is not None
    seen_by_bob = bob.get(f"/posts/{post['id']}").json
    assert not seen_by_bob["can_edit"] and not seen_by_bob["can_delete"]
    for response in (
        bob.patch(f"/posts/{post['id']}", json={"body": "hijack"}),
        bob.delete(f"/posts/{post['id']}"),
    ):
        assert response.status_code == 403
        assert response.json["code"] == "forbidden"
    assert alice.get(f"/posts/{post['id']}").json["body"] == "second _draft_"


def test_deleted_post_is_gone_everywhere(alice, bob):
    post = alice.new_post("short-lived", context="p")
    comment = bob.post(f"/posts/{post['id']}/comments", json={"body": "hi"}).json
    assert alice.delete(f"/posts/{post['id']}").status_code == 204
    for path in (f"/posts/{post['id']}", f"/posts/{post['id']}/comments"):
        assert bob.get(path).status_code == 404
    assert bob.put(f"/posts/{post['id']}/like").status_code == 404
    assert bob.patch(f"/comments/{comment['id']}", json={"body": "x"}).status_code == 404
    assert bob.get("/posts").json["items"] == []
    assert bob.get("/posts?context=p").json["items"] == []


def test_comments_replies_and_counts(alice, bob, user):
    carol = user("carol")
    post = alice.new_post("Question?")
    first = bob.post(f"/posts/{post['id']}/comments", json={"body": "Answer"}).json
    reply = alice.post(
        f"/posts/{post['id']}/comments", json={"body": "Thanks", "parent_id": first["id"]}
    ).json
    deep = carol.post(
        f"/posts/{post['id']}/comments", json={"body": "me too", "parent_id": reply["id"]}
    ).json
    assert reply["parent_id"] == first["id"]
    assert deep["parent_id"] == first["id"], "replies stay one level deep"
    listing = alice.get(f"/posts/{post['id']}/comments").json["items"]
    assert [c["id"] for c in listing] == [first["id"], reply["id"], deep["id"]]
    assert listing[0]["reply_count"] == 2
    assert alice.get(f"/posts/{post['id']}").json["comment_count"] == 3
    assert bob.delete(f"/comments/{first['id']}").status_code == 204
    assert alice.get(f"/posts/{post['id']}").json["comment_count"] == 0
    assert alice.get(f"/posts/{post['id']}/comments").json["items"] == []


def test_comment_edit_delete_permissions(alice, bob):
    post = alice.new_post("p")
    comment = bob.post(f"/posts/{post['id']}/comments", json={"body": "mine"}).json
    assert alice.patch(f"/comments/{comment['id']}", json={"body": "x"}).status_code == 403
    assert alice.delete(f"/comments/{comment['id']}").status_code == 403
    edited = bob.patch(f"/comments/{comment['id']}", json={"body": "mine, *edited*"})
    assert edited.json["html"] == "<p>mine, <em>edited</em></p>" and edited.json["edited_at"]


def test_one_comment_is_read_by_its_id_for_a_permalink(alice, bob):
    post = alice.new_post("p")
    comment = bob.post(f"/posts/{post['id']}/comments", json={"body": "here"}).json
    read = alice.get(f"/comments/{comment['id']}")
    assert read.status_code == 200
    assert (read.json["post_id"], read.json["body"]) == (post["id"], "here")
    assert read.json["can_edit"] is False
    assert bob.get(f"/comments/{comment['id']}").json["can_edit"] is True
    bob.delete(f"/comments/{comment['id']}")
    assert alice.get(f"/comments/{comment['id']}").json["code"] == "not_found"


def test_reply_to_a_comment_of_another_conversation_is_refused(alice):
    one, two = alice.new_post("one"), alice.new_post("two")
    comment = alice.post(f"/posts/{one['id']}/comments", json={"body": "c"}).json
    response = alice.post(
        f"/posts/{two['id']}/comments", json={"body": "x", "parent_id": comment["id"]}
    )
    assert response.status_code == 422
    assert "parent_id" in response.json["errors"]


def test_active_sort_is_lifted_by_a_new_comment(alice, bob):
    old = alice.new_post("old")
    alice.new_post("new")
    bob.post(f"/posts/{old['id']}/comments", json={"body": "bump"})
    latest = [p["body"] for p in alice.get("/posts?sort=latest").json["items"]]
    active = [p["body"] for p in alice.get("/posts?sort=active").json["items"]]
    assert latest == ["new", "old"]
    assert active == ["old", "new"]


def test_cursor_pagination_visits_every_post_once(alice):
    ids = [alice.new_post(f"post {n}")["id"] for n in range(7)]
    for sort in ("latest", "active", "top"):
        seen, cursor = [], None
        while True:
            query = f"/posts?sort={sort}&limit=3" + (f"&cursor={cursor}" if cursor else "")
            page = alice.get(query).json
            seen += [p["id"] for p in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
        assert sorted(seen) == sorted(ids), sort
        assert len(seen) == len(set(seen))


def test_comment_pagination(alice):
    post = alice.new_post("thread")
    ids = [
        alice.post(f"/posts/{post['id']}/comments", json={"body": f"c{n}"}).json["id"]
        for n in range(5)
    ]
    first = alice.get(f"/posts/{post['id']}/comments?limit=2").json
    second = alice.get(f"/posts/{post['id']}/comments?limit=3&cursor={first['next_cursor']}").json
    assert [c["id"] for c in first["items"] + second["items"]] == ids
    assert second["next_cursor"] is None


@pytest.mark.parametrize("cursor", ["garbage", "eyJ4IjoxfQ", "W10", "WyJ0b3AiLCJ4IiwxXQ"])
def test_forged_cursors_are_400(alice, cursor):
    response = alice.get(f"/posts?sort=latest&cursor={cursor}")
    assert response.status_code == 400
    assert response.json["code"] == "bad_cursor"


def test_idempotency_key_replays_and_refuses_a_different_body(alice):
    first = alice.post("/posts", json={"body": "once"}, key="key-1")
    again = alice.post("/posts", json={"body": "once"}, key="key-1")
    assert first.status_code == again.status_code == 201
    assert again.json["id"] == first.json["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    other = alice.post("/posts", json={"body": "different"}, key="key-1")
    assert (other.status_code, other.json["code"]) == (422, "idempotency_key_reused")
    assert len(alice.get("/posts").json["items"]) == 1


def test_a_retry_at_the_rate_limit_gets_its_first_answer(alice, bob, monkeypatch):
    """Rate limits count new requests: a retry of one already answered replays the answer."""
    from chatter import ratelimit

    monkeypatch.setitem(ratelimit.LIMITS, "create", (1, 60))
    first = alice.post("/posts", json={"body": "once"}, key="k")
    again = alice.post("/posts", json={"body": "once"}, key="k")
    assert (first.status_code, again.status_code) == (201, 201), again.json
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    assert alice.post("/posts", json={"body": "twice"}).status_code == 429
    comment = bob.post(f"/posts/{first.json['id']}/comments", json={"body": "hi"}, key="c")
    retry = bob.post(f"/posts/{first.json['id']}/comments", json={"body": "hi"}, key="c")
    assert (comment.status_code, retry.status_code) == (201, 201) and retry.json == comment.json


def test_missing_idempotency_key_is_400(alice):
    response = alice.post("/posts", json={"body": "x"}, key=None)
    assert (response.status_code, response.json["code"]) == (400, "idempotency_key")
    assert alice.get("/posts").json["items"] == []


def test_a_failed_create_does_not_burn_the_key(alice):
    assert alice.post("/posts", json={"body": ""}, key="k").status_code == 422
    assert alice.post("/posts", json={"body": ""}, key="k").status_code == 422


def _same_bytes(one, other):
    """Equal as JSON text: the same fields, in the same order, with the same values."""
    return json.dumps(one) == json.dumps(other)


def test_one_shape_of_a_post_and_a_comment_in_rest_pages_and_live_events(app, alice, bob):
    """The read model's fast builders (read/rows.py) and the schemas that document the API
    and dump the live events give the same bytes for every field, all of them filled in."""
    from sqlalchemy.orm import joinedload

    from chatter.db import db
    from chatter.models import Comment, Event, Post
    from chatter.people.mentions import mentions_by
    from chatter.people.models import Mention
    from chatter.schemas import READER_FIELDS, CommentSchema, PostSchema

    from .test_uploads import jpeg, uploaded

    first, second, on_comment = uploaded(alice), uploaded(alice, jpeg((30, 60))), uploaded(bob)
    post = alice.new_post(
        "with *everything*",
        context="page:x",
        context_title="Page X",
        context_url="https://intranet.example.com/x",
        images=[{"id": first["id"], "alt": "orange"}, second["id"]],
        kind="question",
    )
    comments = f"/posts/{post['id']}/comments"
    top = bob.post(
        comments, json={"body": "first", "images": [{"id": on_comment["id"], "alt": "a cat"}]}
    ).json
    alice.post(comments, json={"body": "re", "parent_id": top["id"]})
    bob.put(f"/posts/{post['id']}/like")
    bob.put(f"/posts/{post['id']}/promotion")
    alice.put(f"/comments/{top['id']}/like")
    alice.put(f"/posts/{post['id']}/answer", json={"comment_id": top["id"]})
    bob.patch(f"/comments/{top['id']}", json={"body": "first, edited for @alice.archer"})
    alice.put(
        f"/posts/{post['id']}/outcome",
        json={"summary": "It *changed*", "url": "https://x.example/1"},
    )
    # The last event:
    alice.patch(f"/posts/{post['id']}", json={"body": "edited *everything*, @bob.baker"})

    seen_post = bob.get(f"/posts/{post['id']}").json
    paged_post = bob.get("/posts").json["items"][0]
    seen_comments = bob.get(comments).json["items"]
    assert list(seen_post) == list(PostSchema().fields)
    assert all(
        value not in (None, [], 0, False)
        for name, value in seen_post.items()
        if name not in {"can_edit", "can_delete", "hidden", "flagged_by_me", "revision_count"}
    ), seen_post
    assert list(seen_comments[0]) == list(CommentSchema().fields)
    assert seen_comments[0]["edited_at"] and seen_comments[0]["images"][0]["alt"] == "a cat"
    assert seen_comments[1]["parent_id"] == top["id"]
    with app.app_context():
        orm_post = db.session.scalar(
            db.select(Post)
            .where(Post.id == post["id"])
            .options(joinedload(Post.author), joinedload(Post.context), joinedload(Post.images))
        )
        orm_post.liked_by_me, orm_post.promoted_by_me = True, True
        orm_post.followed_by_me = True  # bob commented: he follows it
        orm_post.mentions = mentions_by(Mention.post_id, [orm_post])[orm_post.id]
        orm_post.flagged_by_me = orm_post.can_edit = orm_post.can_delete = False
        orm_post.can_promote = True  # bob reads alice's post, which is not hidden
        orm_post.outcome_by_name = alice.user["name"]
        assert _same_bytes(PostSchema().dump(orm_post), seen_post)
        assert _same_bytes(paged_post, seen_post)
        orm_comments = (
            db.session.scalars(
                db.select(Comment)
                .order_by(Comment.id)
                .options(joinedload(Comment.author), joinedload(Comment.images))
            )
            .unique()
            .all()
        )
        for orm_comment, shown in zip(orm_comments, seen_comments, strict=True):
            orm_comment.liked_by_me = orm_comment.flagged_by_me = False
            orm_comment.is_answer = orm_comment.id == top["id"]
            orm_comment.context_url = orm_post.context.url
            orm_comment.mentions = mentions_by(Mention.comment_id, [orm_comment]).get(
                orm_comment.id, []
            )
            orm_comment.can_edit = orm_comment.can_delete = orm_comment.author_id == bob.user["id"]
            assert _same_bytes(CommentSchema().dump(orm_comment), shown)

        def last_event(kind):
            return (
                db.session.scalars(
                    db.select(Event).where(Event.type == kind).order_by(Event.id.desc())
                )
                .first()
                .data
            )

        shared = {name: value for name, value in seen_post.items() if name not in READER_FIELDS}
        assert _same_bytes(last_event("post.updated"), shared)
        shared = {
            name: value for name, value in seen_comments[0].items() if name not in READER_FIELDS
        }
        assert _same_bytes(last_event("comment.updated"), shared)
        # Created items: the event carries the create's answer (a comment's also the new count).
        shared = {name: value for name, value in post.items() if name not in READER_FIELDS}
        assert _same_bytes(last_event("post.created"), shared)
        shared = {name: value for name, value in top.items() if name not in READER_FIELDS}
        assert _same_bytes(
            db.session.scalars(
                db.select(Event).where(Event.type == "comment.created").order_by(Event.id)
            )
            .first()
            .data,
            {**shared, "comment_count": 1},
        )


def test_the_session_tells_the_limits_the_server_enforces(alice):
    limits = alice.session["limits"]
    assert alice.get("/me").json["limits"] == limits
    for path, field in (("/posts", "post_body"), (None, "comment_body")):
        target = path or f"/posts/{alice.new_post()['id']}/comments"
        assert alice.post(target, json={"body": "x" * limits[field]}).status_code == 201
        refused = alice.post(target, json={"body": "y" * (limits[field] + 1)})
        assert refused.status_code == 422, refused.json
    assert alice.get("/posts", query_string={"limit": limits["page_size"]}).status_code == 200
    too_many = alice.get("/posts", query_string={"limit": limits["page_size"] + 1})
    assert too_many.status_code == 422
    thread = f"/posts/{alice.new_post()['id']}/comments"
    assert alice.get(thread, query_string={"limit": limits["thread_page_size"]}).status_code == 200
    assert (
        alice.get(thread, query_string={"limit": limits["thread_page_size"] + 1}).status_code == 422
    )
    pictures = alice.post(
        "/posts", json={"body": "x", "images": [1] * (limits["images_per_item"] + 1)}
    )
    assert pictures.status_code == 422 and "images" in pictures.json["errors"]


def test_latest_comments_come_as_whole_threads_with_earlier_ones_behind_a_cursor(alice, bob):
    post = alice.new_post()
    thread = f"/posts/{post['id']}/comments"
    tops = [bob.post(thread, json={"body": f"top {n}"}).json["id"] for n in range(5)]
    # a late reply to the first comment travels with its parent, not with the newest page
    reply = alice.post(thread, json={"body": "late reply", "parent_id": tops[0]}).json["id"]
    pages, cursor = [], None
    while True:
        page = alice.get(
            thread,
            query_string={"order": "latest", "limit": 2, **({"cursor": cursor} if cursor else {})},
        ).json
        pages.append([c["id"] for c in page["items"]])
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert pages == [[tops[3], tops[4]], [tops[1], tops[2]], [tops[0], reply]]
    everything = alice.get(thread, query_string={"order": "latest", "limit": 10}).json
    assert [c["id"] for c in everything["items"]] == [*tops, reply]
    assert everything["next_cursor"] is None
    oldest = alice.get(thread, query_string={"limit": 2}).json
    refused = alice.get(thread, query_string={"order": "latest", "cursor": oldest["next_cursor"]})
    assert refused.status_code == 400 and refused.json["code"] == "bad_cursor"


def test_services_never_commit_the_view_does(app, alice):
    """db.py's rule: a service's change is gone when the caller does not commit it."""
    from chatter import conversations
    from chatter.db import db
    from chatter.models import Comment, Event, Post, User

    with app.app_context():
        author = db.session.scalar(db.select(User).where(User.id == alice.user["id"]))
        post = conversations.create_post(author, "never committed", context="page:x")
        conversations.create_comment(post, author, "nor this")
        conversations.set_post_like(post, author, True)
        conversations.set_promotion(post, author, True)
        conversations.edit_post(post, "still not", author)
        db.session.rollback()
        for model in (Post, Comment, Event):
            assert db.session.scalar(db.select(db.func.count()).select_from(model)) == 0


def test_a_new_post_and_comment_answer_and_stream_exactly_what_get_returns(alice, bob):
    """What a create answers and the live event it sends are built from the values in hand
    (no read after the write): byte for byte what GET shows, pictures, context and reply
    included, and the event's counters are the ones GET shows."""
    from chatter.schemas import READER_FIELDS

    from .test_uploads import uploaded

    def stream_after(last_id):
        """What alice's stream says about the conversation (not her own notifications)."""
        events = alice.get(f"/events?after={last_id}&wait=0").json["events"]
        return [event for event in events if event["type"] != "notification"]

    def shared(item):
        return {name: value for name, value in item.items() if name not in READER_FIELDS}

    head = alice.get("/events").json["last_id"]
    picture = uploaded(alice)
    created = alice.post(
        "/posts",
        json={
            "body": "a *new* one, see https://example.com",
            "context": "page:new",
            "context_title": "New page",
            "context_url": "https://intranet.example.com/new",
            "images": [{"id": picture["id"], "alt": "the view"}],
        },
    )
    assert created.status_code == 201
    shown = alice.get(f"/posts/{created.json['id']}").json
    assert _same_bytes(created.json, shown)
    [event] = stream_after(head)
    assert event["type"] == "post.created" and _same_bytes(event["data"], shared(shown))

    comments = f"/posts/{shown['id']}/comments"
    top = bob.post(comments, json={"body": "first"}).json
    head = alice.get("/events").json["last_id"]
    on_reply = uploaded(bob)
    reply = bob.post(
        comments,
        json={
            "body": "a **reply** to https://example.com/x",
            "parent_id": top["id"],
            "images": [{"id": on_reply["id"], "alt": "a cat"}, *[]],
        },
    )
    assert reply.status_code == 201
    thread = bob.get(comments).json["items"]
    assert [c["id"] for c in thread] == [top["id"], reply.json["id"]]
    assert _same_bytes(reply.json, thread[1])
    [event] = stream_after(head)
    assert event["type"] == "comment.created"
    assert (
        event["data"].pop("comment_count")
        == bob.get(f"/posts/{shown['id']}").json["comment_count"]
        == 2
    )
    assert _same_bytes(event["data"], shared(thread[1]))


def test_a_post_deleted_between_finding_it_and_writing_is_404_and_writes_nothing(app, alice):
    """The post is found before the write transaction (outside SQLite's write lock): one
    deleted meanwhile makes the comment or like a 404, never a 500 or a stray row."""
    from chatter import conversations
    from chatter.db import db
    from chatter.errors import ApiError
    from chatter.models import Comment, Event, PostLike, User

    post = alice.new_post("going away")
    with app.test_request_context():
        found = conversations.find_post(post["id"])
    assert alice.delete(f"/posts/{post['id']}").status_code == 204
    with app.test_request_context():
        author = db.session.get(User, alice.user["id"])
        events = db.session.scalar(db.select(db.func.count()).select_from(Event))
        for write in (
            lambda: conversations.create_comment(found, author, "too late"),
            lambda: conversations.set_post_like(found, author, True),
        ):
            with pytest.raises(ApiError) as refused:
                write()
            assert refused.value.status == 404
            db.session.rollback()
        for model in (Comment, PostLike):
            assert db.session.scalar(db.select(db.func.count()).select_from(model)) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(Event)) == events
