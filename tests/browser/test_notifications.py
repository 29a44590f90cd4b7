"""Attention in the pane: a permalink opens a conversation at a comment; the bell, its list and the
count on the launcher follow notifications live; the Following tab lists what one follows."""

import re

import pytest
from playwright.sync_api import expect

from chatter.examples import DEMO_PEOPLE
from tests.conftest import Api

from .support import AXE, SCREENSHOTS
from .test_live import LIVE, api_for

PROJECT = "project:apollo"
# The pane's outward count, as a host would listen to it.
HEARING = """window.heard = [];
document.addEventListener('chatter:unread', (e) => heard.push(e.detail.count));"""
HEADER = {"x": 900, "y": 0, "width": 380, "height": 100}


def shoot(page, name, **kwargs):
    """test-artifacts/screenshots/NAME-light.png and NAME-dark.png, the page's scheme flipped."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        path = SCREENSHOTS / f"{name}-{scheme}.png"
        page.screenshot(path=str(path), animations="disabled", **kwargs)
    page.emulate_media(color_scheme="light")


@pytest.fixture
def person(browser, live_server):
    """person("alice", "#chatter-post-4", open=False): a page of one person's, and its pane."""
    contexts = []

    def open_(sub, hash="", open=True, context=None, color_scheme="light", server=live_server):
        if context is None:
            size = {"width": 1280, "height": 800}
            context = browser.new_context(viewport=size, color_scheme=color_scheme)
            contexts.append(context)
        page = context.new_page()
        page.add_init_script(f"localStorage.setItem('chatter:pane-open', '{int(open)}')")
        page.goto(f"{server.url}/examples/project.html?as={sub}{hash}")
        page.locator("chatter-pane .feed[aria-busy=false]").wait_for(state="attached")
        return page, page.locator("chatter-pane")

    yield open_
    for context in contexts:
        context.close()


def test_a_permalink_opens_its_conversation_at_the_comment(person, live_server):
    """Even a conversation of another page, a comment far down its thread, marked and focused."""
    bob = api_for(live_server, "bob")
    post = bob.new_post("Where do the Lyon slides live?", context="wiki:elsewhere")
    comments = [
        bob.post(f"/posts/{post['id']}/comments", json={"body": f"Thread {n}"}).json
        for n in range(9)
    ]
    page, view = person("alice", f"#chatter-comment-{comments[1]['id']}", open=False)
    one = view.locator("article.card")
    expect(one).to_have_count(1, timeout=LIVE)
    expect(one).to_contain_text("Where do the Lyon slides live?")
    target = one.locator(f"li.comment[data-id='{comments[1]['id']}']")
    expect(target).to_be_focused()
    expect(target).to_be_in_viewport()
    expect(view.get_by_role("button", name="Collapse Chatter")).to_be_visible()  # the pane opened

    # a link to the conversation itself, then one to a conversation deleted since
    page.evaluate(f"location.hash = '#chatter-post-{post['id']}'")
    expect(one).to_have_count(1)
    gone = bob.new_post("Soon gone")
    bob.delete(f"/posts/{gone['id']}")
    page.evaluate(f"location.hash = '#chatter-post-{gone['id']}'")
    expect(view.get_by_role("alert")).to_contain_text("This conversation was deleted")
    page.evaluate("location.hash = '#chatter-comment-999999'")
    expect(view.get_by_role("alert")).to_contain_text("This comment was deleted")
    view.get_by_role("button", name="All conversations").click()
    expect(view.locator("article.card", has_text="Lyon slides")).to_have_count(0)  # not this page's


def profile(live_server, sub):
    """Someone writing through the API under the name the example pages give them."""
    name, title, department = DEMO_PEOPLE[sub]
    client = live_server.app.test_client()
    return Api(client, sub, name=name, title=title, department=department, preferred_username=sub)


def serious_violations(page):
    """axe-core's serious and critical findings for the page, as (rule, targets)."""
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        (v["id"], [(n["target"], n["failureSummary"], n["html"]) for n in v["nodes"]][:3])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def launcher(view):
    return view.locator("[part=launcher]")


def bell(view):
    return view.locator("[part=bell]")


def test_a_mention_reaches_the_collapsed_launcher_the_bell_and_a_second_tab(person, live_server):
    """Bob mentions Alice: her launcher counts it live, her bell lists it, opening it reads it."""
    writer = profile(live_server, "alice")
    post = writer.new_post("Who has the Lyon slides?", context=PROJECT)
    alice_page, alice = person("alice", open=False)
    alice_page.evaluate(HEARING)
    second_page, second = person("alice", open=False, context=alice_page.context)
    bob_page, bob = person("bob")
    for view in (alice, second):
        expect(launcher(view)).to_have_accessible_name("Open Chatter")

    mine = bob.locator("article.card", has_text="Lyon slides")
    mine.get_by_role("button", name="Comments").click()
    said = f"@{writer.user['handle']} they are in the shared drive, under Sales"
    mine.get_by_label("Write a comment").fill(said)
    mine.get_by_label("Write a comment").press("Control+Enter")
    comment = mine.locator("li.comment", has_text="shared drive")
    expect(comment).to_be_visible()

    # no reload: both of Alice's tabs count it on the collapsed launcher
    for view in (alice, second):
        expect(launcher(view)).to_have_accessible_name("Open Chatter (1 new)", timeout=LIVE)
        expect(view.locator("[part=unread]")).to_have_text("1")
    assert alice_page.evaluate("() => window.heard") == [1]
    expect(alice.locator(".said", has_text="Bob Baker mentioned you")).to_have_count(1)
    shoot(alice_page, "notify-launcher")

    launcher(alice).click()
    expect(bell(alice)).to_have_accessible_name("Notifications: 1 unread")
    shoot(alice_page, "notify-bell", clip=HEADER)
    bell(alice).click()
    item = alice.get_by_role("button", name=re.compile("Bob Baker mentioned you"))
    expect(item).to_be_visible()
    expect(item).to_contain_text("they are in the shared drive")
    expect(item).to_have_class(re.compile("unread"))
    expect(alice.get_by_role("button", name="Mark all as read")).to_be_visible()
    shoot(alice_page, "notify-list")

    item.click()
    comment_id = comment.get_attribute("data-id")
    target = alice.locator(f"li.comment[data-id='{comment_id}']")
    expect(target).to_be_focused()
    expect(alice.locator("article.card")).to_have_count(1)
    expect(bell(alice)).to_have_accessible_name("Notifications", timeout=LIVE)
    expect(launcher(second)).to_have_accessible_name("Open Chatter", timeout=LIVE)
    expect(second.locator("[part=unread]")).to_be_hidden()
    assert alice_page.evaluate("() => window.heard") == [1, 0]

    # the list says it is read now; Escape goes back to the conversations
    bell(alice).click()
    expect(item).not_to_have_class(re.compile("unread"))
    expect(alice.get_by_role("button", name="Mark all as read")).to_be_hidden()
    alice_page.keyboard.press("Escape")
    expect(bell(alice)).to_be_focused()
    expect(alice.get_by_role("tab", name="This page")).to_be_visible()
    assert alice.locator("article.card", has_text="Lyon slides").get_attribute("data-id") == str(
        post["id"]
    )


def test_a_follower_hears_of_the_next_comment_and_marks_all_read(person, live_server):
    """Bob commented, so he follows: Carol's comment reaches his bell; muted, the next does not."""
    post = profile(live_server, "dan").new_post("Offsite in Lyon: who is in?", context=PROJECT)
    bob_page, bob = person("bob")
    card = bob.locator("article.card", has_text="Offsite in Lyon")
    card.get_by_role("button", name="Comments").click()
    card.get_by_label("Write a comment").fill("Count me in")
    card.get_by_label("Write a comment").press("Control+Enter")
    expect(card.locator("li.comment", has_text="Count me in")).to_be_visible()
    mine = card.locator("li.comment", has_text="Count me in").get_attribute("data-id")
    card.get_by_role("button", name="Comments 1").click()  # closed: opening would read it

    # two likes of his comment: one notification, grouped while unread and counted once
    for who in ("dan", "alice"):
        profile(live_server, who).put(f"/comments/{mine}/like")
    carol = profile(live_server, "carol")
    carol.post(f"/posts/{post['id']}/comments", json={"body": "Me too, if it is before June"})
    said = "Carol Chen commented on a conversation you follow"
    expect(bob.locator(".said", has_text=said)).to_have_count(1, timeout=LIVE)
    expect(bell(bob)).to_have_accessible_name("Notifications: 2 unread")  # frames came in order
    bob_page.reload()  # the count comes with the sign-in too
    expect(bell(bob)).to_have_accessible_name("Notifications: 2 unread")
    bell(bob).click()
    liked = "Alice Archer and Dan Diaz liked your comment"
    grouped = bob.get_by_role("button", name=re.compile(liked))
    expect(grouped).to_contain_text("Count me in")
    item = bob.get_by_role("button", name=re.compile(said))
    expect(item).to_contain_text("Me too, if it is before June")
    expect(bob.locator(".note")).to_have_count(2)
    shoot(bob_page, "notify-list-grouped")
    for scheme in ("light", "dark"):
        bob_page.emulate_media(color_scheme=scheme)
        assert serious_violations(bob_page) == [], scheme
    bob_page.emulate_media(color_scheme="light")
    bob.get_by_role("button", name="Mark all as read").click()
    expect(bell(bob)).to_have_accessible_name("Notifications")
    expect(item).not_to_have_class(re.compile("unread"))
    expect(bell(bob)).to_have_attribute("aria-expanded", "true")
    bell(bob).click()  # the bell closes what it opened
    expect(bell(bob)).to_have_attribute("aria-expanded", "false")
    expect(bob.get_by_role("tab", name="This page")).to_be_visible()

    # muted: the next comment tells him nothing (its notification would have come before it)
    bob_page.reload()
    follow = card.get_by_role("button", name="Follow")
    expect(follow).to_have_attribute("aria-pressed", "true")  # he follows what he commented on
    follow.click()
    expect(follow).to_have_attribute("aria-pressed", "false")
    carol.post(f"/posts/{post['id']}/comments", json={"body": "And the hotel?"})
    expect(card.get_by_role("button", name="Comments 3")).to_be_visible(timeout=LIVE)
    expect(bell(bob)).to_have_accessible_name("Notifications")

    # a like taken back takes its unread notification with it
    carol.put(f"/comments/{mine}/like")
    expect(bell(bob)).to_have_accessible_name("Notifications: 1 unread", timeout=LIVE)
    carol.delete(f"/comments/{mine}/like")
    expect(bell(bob)).to_have_accessible_name("Notifications", timeout=LIVE)


def test_the_following_tab_lists_what_one_follows(person, make_live_server):
    """Empty at first; a conversation followed on its card shows up there, then the page's."""
    server = make_live_server()  # nobody follows anything yet
    carol = profile(server, "carol")
    carol.new_post("Quarterly numbers are in the finance wiki", context="wiki:finance")
    carol.new_post("Apollo stand-up moves to 9:30", context=PROJECT)
    carol.new_post("Apollo beta: ten pilot customers signed", context=PROJECT)
    page, dan = person("dan", server=server)
    dan.get_by_role("tab", name="Following").click()
    empty = "Follow people, pages and conversations to see them here."
    expect(dan.get_by_text(empty)).to_be_visible()
    expect(dan.get_by_label("Sort conversations")).to_be_hidden()

    dan.get_by_role("tab", name="Everyone").click()
    card = dan.locator("article.card", has_text="Apollo beta")
    card.get_by_role("button", name="Follow").click()
    expect(card.get_by_role("button", name="Follow")).to_have_attribute("aria-pressed", "true")
    dan.get_by_role("tab", name="Following").click()
    expect(dan.locator("article.card")).to_have_count(1)
    expect(dan.locator("article.card")).to_contain_text("Apollo beta")

    # following the page brings its other conversations, not another page's
    dan.get_by_role("button", name="Follow this page").click()
    expect(dan.get_by_role("button", name="Following this page")).to_be_visible()
    dan.get_by_role("tab", name="Everyone").click()
    dan.get_by_role("tab", name="Following").click()
    expect(dan.locator("article.card")).to_have_count(2)
    expect(dan.locator("article.card", has_text="stand-up")).to_have_count(1)
    expect(dan.locator("article.card", has_text="finance wiki")).to_have_count(0)
    shoot(page, "notify-following")
    page.reload()
    expect(dan.get_by_role("button", name="Following this page")).to_be_visible()


def test_the_list_says_when_it_cannot_load_and_when_it_is_empty(person, make_live_server):
    """Offline: an error with Try again; back online: the empty state, and Escape returns."""
    server = make_live_server()
    page, dan = person("dan", server=server)
    page.route("**/api/v1/notifications?*", lambda route: route.abort())
    page.route("**/api/v1/notifications", lambda route: route.abort())
    bell(dan).click()
    error = dan.get_by_role("alert").filter(has_text="Notifications could not be loaded")
    expect(error).to_be_visible()
    page.unroute("**/api/v1/notifications?*")
    page.unroute("**/api/v1/notifications")
    error.get_by_role("button", name="Try again").click()
    expect(dan.get_by_text("Nothing yet")).to_be_visible()
    expect(dan.get_by_text("When someone mentions you, replies or likes what")).to_be_visible()
    expect(dan.get_by_role("button", name="Mark all as read")).to_be_hidden()
    shoot(page, "notify-empty")
    page.keyboard.press("Escape")
    expect(bell(dan)).to_be_focused()
    expect(dan.get_by_text("Nothing yet")).to_be_hidden()


def test_comments_on_a_followed_conversation_are_one_notification(person, make_live_server):
    """However many comment, a followed conversation is one unread notification, counted once,
    also when it was unread before the page was opened."""
    server = make_live_server()
    post = profile(server, "carol").new_post("Lyon hotel options?", context=PROJECT)
    profile(server, "alice").put(f"/posts/{post['id']}/follow")
    dan, bob = profile(server, "dan"), profile(server, "bob")
    comments = f"/posts/{post['id']}/comments"
    first = dan.post(comments, json={"body": "The Ibis by the station"}).json
    page, alice = person("alice", server=server)
    expect(bell(alice)).to_have_accessible_name("Notifications: 1 unread")

    bob.post(comments, json={"body": "Or the one by the river"})
    said = "Bob Baker commented on a conversation you follow"
    expect(alice.locator(".said", has_text=said)).to_have_count(1, timeout=LIVE)
    expect(bell(alice)).to_have_accessible_name("Notifications: 1 unread")
    dan.post(comments, json={"body": "The river one has no lift"})
    said = "Dan Diaz commented on a conversation you follow"
    expect(alice.locator(".said", has_text=said)).to_have_count(1, timeout=LIVE)
    expect(bell(alice)).to_have_accessible_name("Notifications: 1 unread")

    bell(alice).click()
    both = "Dan Diaz and Bob Baker commented on a conversation you follow"
    item = alice.get_by_role("button", name=re.compile(both))
    expect(item).to_contain_text("The river one has no lift")
    expect(alice.locator(".note")).to_have_count(1)
    item.click()  # it opens where there is something to read: the first unread comment
    expect(alice.locator(f"li.comment[data-id='{first['id']}']")).to_be_focused()
    expect(bell(alice)).to_have_accessible_name("Notifications", timeout=LIVE)


def test_a_comment_in_the_thread_one_is_reading_is_read_as_it_comes(person, make_live_server):
    """Alice has her conversation open: Bob's comment shows there and never reaches her bell;
    her other tab, collapsed, hears of it and then that it was read."""
    server = make_live_server()
    post = profile(server, "alice").new_post("Who books the Lyon train?", context=PROJECT)
    page, alice = person("alice", server=server)
    other_page, other = person("alice", open=False, context=page.context, server=server)
    card = alice.locator("article.card", has_text="Lyon train")
    card.get_by_role("button", name="Comments").click()
    expect(card.locator(".thread-status")).to_have_text("No comments yet. Be the first to reply.")

    profile(server, "bob").post(f"/posts/{post['id']}/comments", json={"body": "I will, today"})
    expect(card.locator("li.comment", has_text="I will, today")).to_be_visible(timeout=LIVE)
    said = "Bob Baker commented on a conversation you follow"
    expect(other.locator(".said", has_text=said)).to_have_count(1, timeout=LIVE)
    expect(launcher(other)).to_have_accessible_name("Open Chatter", timeout=LIVE)
    expect(bell(alice)).to_have_accessible_name("Notifications")
    expect(alice.locator(".said", has_text=said)).to_have_count(0)


def test_commenting_follows_a_conversation_on_its_card_unless_it_was_muted(
    person, make_live_server
):
    """The Follow toggle says what the server did: commenting follows, a mute stays a mute."""
    server = make_live_server()
    carol = profile(server, "carol")
    carol.new_post("Who has the spare projector?", context=PROJECT)
    muted = carol.new_post("Parking rota for December", context=PROJECT)
    profile(server, "dan").delete(f"/posts/{muted['id']}/follow")
    page, dan = person("dan", server=server)

    for text, followed in (("spare projector", "true"), ("Parking rota", "false")):
        card = dan.locator("article.card", has_text=text)
        follow = card.get_by_role("button", name="Follow")
        expect(follow).to_have_attribute("aria-pressed", "false")
        card.get_by_role("button", name="Comments").click()
        box = card.get_by_label("Write a comment")
        box.fill("Count me in")
        with page.expect_response(lambda r: r.request.method == "POST" and "/comments" in r.url):
            box.press("Control+Enter")
        expect(card.locator("li.comment", has_text="Count me in")).to_be_visible()
        expect(follow).to_have_attribute("aria-pressed", followed)


def test_a_follow_notification_opens_the_followers_card(person, make_live_server):
    server = make_live_server()
    dan_id = profile(server, "dan").user["id"]
    profile(server, "carol").put(f"/people/{dan_id}/follow")
    page, dan = person("dan", server=server)
    bell(dan).click()
    note = dan.get_by_role("button", name=re.compile("Carol Chen followed you"))
    with page.expect_response(lambda r: re.search(r"/people/\d+$", r.url) is not None):
        note.click()
    card = dan.get_by_role("dialog", name="Carol Chen")
    expect(card).to_contain_text("Chief Operating Officer")
    expect(card.get_by_role("button", name="Follow", exact=True)).to_be_visible()
    page.keyboard.press("Escape")
    expect(note).to_be_focused()


def test_the_following_tab_hears_of_new_posts_it_would_list(person, make_live_server):
    """Dan follows Carol: her new post waits behind his Following tab's pill; Bob's does not."""
    server = make_live_server()
    carol, bob = profile(server, "carol"), profile(server, "bob")
    carol.new_post("Apollo retro notes", context=PROJECT)
    profile(server, "dan").put(f"/people/{carol.user['id']}/follow")
    page, dan = person("dan", server=server)
    dan.get_by_role("tab", name="Following").click()
    expect(dan.locator("article.card")).to_have_count(1)
    bob.new_post("Bob's unrelated question", context="wiki:other")
    carol.new_post("Apollo demo moved to Friday", context="wiki:other")
    pill = dan.get_by_role("button", name="1 new post")
    expect(pill).to_be_visible(timeout=LIVE)
    pill.click()
    expect(dan.locator("article.card")).to_have_count(2)
    expect(dan.locator("article.card").first).to_contain_text("Apollo demo moved to Friday")
    expect(dan.locator("article.card", has_text="unrelated")).to_have_count(0)
