"""Permalinks: a conversation's page with a fragment, or Chatter's own /c/{id}."""

import pytest

from chatter.links import comment_link, conversation_link, page_url, post_link

from .conftest import Api

BASE = "https://chatter.example.com"
PAGE = "https://intranet.example.com/projects/apollo?tab=2"


def test_a_conversation_on_a_known_page_links_to_that_page():
    assert post_link(7, PAGE, base=BASE) == f"{PAGE}#chatter-post-7"
    assert comment_link(7, 31, PAGE, base=BASE) == f"{PAGE}#chatter-comment-31"


def test_the_page_fragment_is_replaced_not_doubled():
    page = "https://intranet.example.com/a#section-3"
    assert post_link(7, page, base=BASE) == "https://intranet.example.com/a#chatter-post-7"


@pytest.mark.parametrize(
    "context_url",
    [None, "", "javascript:alert(1)", "ftp://files.example.com/x", "/relative/page", "https://"],
)
def test_a_conversation_without_a_usable_page_opens_on_chatter(context_url):
    assert post_link(7, context_url, base=BASE) == f"{BASE}/c/7"
    assert comment_link(7, 31, context_url, base=BASE) == f"{BASE}/c/7#chatter-comment-31"


def test_a_trailing_slash_on_the_base_is_not_doubled():
    assert post_link(7, base=BASE + "/") == f"{BASE}/c/7"


def test_conversation_link_is_post_or_comment_link():
    assert conversation_link(7, PAGE, base=BASE) == post_link(7, PAGE, base=BASE)
    assert conversation_link(7, None, 31, base=BASE) == comment_link(7, 31, None, base=BASE)


def test_page_url_keeps_only_http_pages():
    assert page_url("HTTPS://intranet.example.com/x") == "https://intranet.example.com/x"
    assert page_url("data:text/html,hi") is None


def test_the_base_is_the_public_url_else_the_request_root(make_app):
    configured = make_app(CHATTER_PUBLIC_URL=BASE + "/")
    with configured.app_context():
        assert post_link(3) == f"{BASE}/c/3"
    plain = make_app()
    with plain.test_request_context("/api/v1/posts", base_url="http://127.0.0.1:5000"):
        assert post_link(3) == "http://127.0.0.1:5000/c/3"
    with plain.app_context():  # the demo's seed: no request, no public address
        assert post_link(3) == "/c/3"


# ---- links in the API ----------------------------------------------------------------------


def _last_event(app, kind):
    from chatter.db import db
    from chatter.models import Event

    with app.app_context():
        query = db.select(Event).where(Event.type == kind).order_by(Event.id.desc())
        return db.session.scalars(query).first().data


def test_posts_and_comments_carry_their_permalink(app, alice, bob):
    page = "https://intranet.example.com/projects/apollo"
    on_page = alice.new_post("On the page", context="project:apollo", context_url=page)
    nowhere = alice.new_post("No page known", context="project:zeus")
    everyone = alice.new_post("No context at all")
    assert on_page["link"] == f"{page}#chatter-post-{on_page['id']}"
    assert nowhere["link"] == f"http://localhost/c/{nowhere['id']}"
    assert everyone["link"] == f"http://localhost/c/{everyone['id']}"
    # every reader, every read path: pages, one post, the live event
    links = {item["id"]: item["link"] for item in bob.get("/posts").json["items"]}
    assert links == {item["id"]: item["link"] for item in (on_page, nowhere, everyone)}
    assert bob.get(f"/posts/{on_page['id']}").json["link"] == on_page["link"]
    assert _last_event(app, "post.created")["link"] == everyone["link"]

    comment = bob.post(f"/posts/{on_page['id']}/comments", json={"body": "Nice"}).json
    reply = alice.post(
        f"/posts/{on_page['id']}/comments", json={"body": "Thanks", "parent_id": comment["id"]}
    ).json
    elsewhere = bob.post(f"/posts/{nowhere['id']}/comments", json={"body": "Hm"}).json
    assert comment["link"] == f"{page}#chatter-comment-{comment['id']}"
    assert reply["link"] == f"{page}#chatter-comment-{reply['id']}"
    assert (
        elsewhere["link"] == f"http://localhost/c/{nowhere['id']}#chatter-comment-{elsewhere['id']}"
    )
    for order in ("oldest", "latest"):
        thread = alice.get(f"/posts/{on_page['id']}/comments?order={order}").json["items"]
        assert [item["link"] for item in thread] == [comment["link"], reply["link"]]
    assert _last_event(app, "comment.created")["link"] == elsewhere["link"]
    bob.patch(f"/comments/{comment['id']}", json={"body": "Nice, edited"})
    assert _last_event(app, "comment.updated")["link"] == comment["link"]


def test_a_configured_public_address_is_the_base(make_app, user):
    app = make_app(CHATTER_PUBLIC_URL="https://chatter.example.com")
    alice = Api(app.test_client(), "alice")
    post = alice.new_post("Hello")
    assert post["link"] == f"https://chatter.example.com/c/{post['id']}"
    assert alice.get("/posts").json["items"][0]["link"] == post["link"]


def test_a_shared_page_built_for_one_address_is_not_served_to_another(app, alice, bob):
    """Without CHATTER_PUBLIC_URL the base is the address asked: a request naming another Host
    must not leave its links in the page every reader gets."""
    post = alice.new_post("Hello")
    forged = bob.get("/posts", headers={"Host": "evil.example.com"}).json["items"][0]
    assert forged["link"] == f"http://evil.example.com/c/{post['id']}"
    assert alice.get("/posts").json["items"][0]["link"] == f"http://localhost/c/{post['id']}"
    thread = f"/posts/{post['id']}/comments"
    bob.post(thread, json={"body": "Hi"})
    bob.get(thread, headers={"Host": "evil.example.com"})
    assert alice.get(thread).json["items"][0]["link"].startswith("http://localhost/c/")


def test_notifications_link_to_what_they_are_about(app, alice, bob):
    page = "https://intranet.example.com/apollo"
    post = alice.new_post("Who owns the release notes?", context="project:apollo", context_url=page)
    mention = bob.post(f"/posts/{post['id']}/comments", json={"body": "@alice.archer me?"}).json
    bob.put(f"/posts/{post['id']}/like")
    elsewhere = alice.new_post("No page")
    bob.put(f"/posts/{elsewhere['id']}/like")
    bob.put(f"/people/{alice.user['id']}/follow")
    links = {
        (item["kind"], item["post_id"]): item["link"]
        for item in alice.get("/notifications").json["items"]
    }
    assert links == {
        ("mention", post["id"]): mention["link"],
        ("like", post["id"]): post["link"],
        ("like", elsewhere["id"]): f"http://localhost/c/{elsewhere['id']}",
        ("follow", None): None,
    }
    assert _last_event(app, "notification")["shared"]["link"] is None  # live: the follow
    remark = bob.post(f"/posts/{elsewhere['id']}/comments", json={"body": "Where was this?"})
    [news] = [i for i in alice.get("/notifications").json["items"] if i["kind"] == "comment"]
    assert (
        news["link"] == f"http://localhost/c/{elsewhere['id']}#chatter-comment-{remark.json['id']}"
    )
