"""Live panes: what one person does shows up in another's pane without a reload, exactly once."""

import threading
import time

import pytest
from playwright.sync_api import expect

from tests.conftest import Api

from .support import pane, promotions, reaction, screenshot

# ms: generous on purpose. How fast a change travels is measured by bench/fanout; a test only
# asserts that it arrives, and a loaded machine must not turn that into a failure.
LIVE = 5000
# Each test has a page (a context) of its own: page -> context key
PAGES = {
    "project.html": "project:apollo",
    "strict-csp.html": "security:handbook",
    "hostile-css.html": "wiki:css-torture",
}
# Records the pane's WebSockets so a test can kill them, and can make new ones fail to connect.
SOCKETS = """(() => {
  const Native = WebSocket;
  const state = window.__sockets = { all: [], ready: 0, block: false };
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(state.block ? 'ws://127.0.0.1:9/' : url, protocols);
      state.all.push(this);
      this.addEventListener('message', (e) => { if (e.data.includes('"ready"')) state.ready++; });
    }
  };
})()"""
KILL = "() => window.__sockets.all.forEach((s) => s.close())"


@pytest.fixture
def open_pane(browser, live_server):
    """open_pane("alice", "project.html", transport="sse"): a browser context of one person's."""
    contexts = []

    def open_(sub, name, transport=None, init=None, requests=None):
        context = browser.new_context()
        contexts.append(context)
        page = context.new_page()
        if requests is not None:
            page.on("request", lambda r: requests.append(r.url))
            page.on("websocket", lambda ws: requests.append(ws.url))
        if transport:
            page.add_init_script(f"window.Chatter = {{ transport: '{transport}' }}")
        if init:
            page.add_init_script(init)
        page.goto(f"{live_server.url}/examples/{name}?as={sub}")
        view = pane(page)
        view.locator(".me [title^='Signed in as']").wait_for()
        return page, view

    yield open_
    for context in contexts:
        context.close()


def card(view, text):
    return view.locator("article.card", has_text=text)


def count(card_locator, name):
    """The count beside a toggle (a button listing who): hidden at 0."""
    return reaction(card_locator, name).locator("xpath=following-sibling::button[1]")


def write(view, label, text):
    view.get_by_label(label).first.fill(text)
    view.get_by_label(label).first.press("Control+Enter")


def api_for(live_server, sub):
    """Bob (say) writing through the API, as another server client would."""
    return Api(live_server.app.test_client(), sub, name=sub.title())


def wait_until_live(page, count=1):
    """The pane's stream is connected (the first `ready` frame arrived)."""
    page.wait_for_function(f"() => window.__sockets.ready >= {count}")


def test_two_people_see_each_change_live(open_pane, live_server):
    api_for(live_server, "carol").new_post("Kick-off notes in the wiki", context="project:apollo")
    alice_page, alice = open_pane("alice", "project.html")
    bob_page, bob = open_pane("bob", "project.html")
    # Bob posts: Alice gets a pill (no reflow), announced politely; clicking it shows the post
    write(bob, "Start a conversation", "Are trains to Lyon covered by the rail-first rule?")
    pill = alice.get_by_role("button", name="1 new post")
    expect(pill).to_be_visible(timeout=LIVE)
    expect(alice.locator(".sr[role=status]")).to_have_text("1 new post")
    expect(card(alice, "trains to Lyon")).to_have_count(0)
    screenshot(alice_page, "live-new-post-pill")
    pill.click()
    expect(card(alice, "trains to Lyon")).to_be_visible()
    selector = f"article.card[data-id='{card(alice, 'trains to Lyon').get_attribute('data-id')}']"
    theirs = alice.locator(selector)
    expect(pill).to_be_hidden()
    expect(alice.locator("article.card").first).to_contain_text("trains to Lyon")
    expect(theirs.get_by_role("button", name="Edit conversation")).to_have_count(0)

    # Alice likes, promotes and comments; Bob sees counts, the Promoted strip and the comment
    mine = bob.locator(selector)
    reaction(mine, "Comments").click()  # Bob's thread is open
    expect(mine.locator(".thread-status")).to_have_text("No comments yet. Be the first to reply.")
    reaction(theirs, "Like").click()
    expect(reaction(mine, "Like 1")).to_have_attribute("aria-pressed", "false", timeout=LIVE)
    reaction(theirs, "Promote").click()
    expect(promotions(mine)).to_have_text("1", timeout=LIVE)
    expect(mine.get_by_role("button", name="Promote", exact=True)).to_have_count(0)  # his own
    expect(bob.locator(".promoted .promo", has_text="trains to Lyon")).to_be_visible(timeout=LIVE)
    reaction(theirs, "Comments").click()
    write(theirs, "Write a comment", "Yes, Lyon is under six hours from here")
    expect(mine.locator("li.comment", has_text="under six hours")).to_be_visible(timeout=LIVE)
    expect(reaction(mine, "Comments 1")).to_be_visible()
    # Alice's own actions are not doubled by their events
    expect(reaction(theirs, "Like 1")).to_have_attribute("aria-pressed", "true")
    expect(reaction(theirs, "Comments 1")).to_be_visible()
    expect(theirs.locator("li.comment")).to_have_count(1)

    # Bob edits and likes the comment; Alice sees both; Alice withdraws: the strip empties.
    mine.hover()
    mine.get_by_role("button", name="Edit conversation").click()
    mine.get_by_role("textbox", name="Edit conversation").fill("Are night trains to Lyon covered?")
    mine.get_by_role("button", name="Save").click()
    edited = theirs.locator(":scope > .content > .body")
    expect(edited).to_have_text("Are night trains to Lyon covered?", timeout=LIVE)
    mine.locator("li.comment").get_by_role("button", name="Like").click()
    comment_like = theirs.locator("li.comment").get_by_role("button", name="Like", exact=True)
    comment_likes = comment_like.locator("xpath=following-sibling::button[1]")
    expect(comment_likes).to_have_text("1", timeout=LIVE)
    expect(comment_like).to_have_attribute("aria-pressed", "false")
    reaction(theirs, "Promote 1").click()
    expect(bob.locator(".promoted")).to_be_hidden(timeout=LIVE)
    expect(promotions(mine)).to_be_hidden()

    # A second tab of Alice's: her like there shows as pressed here.
    other = alice_page.context.new_page()
    other.goto(alice_page.url)
    reaction(card(pane(other), "night trains"), "Like 1").click()
    expect(reaction(theirs, "Like")).to_have_attribute("aria-pressed", "false", timeout=LIVE)
    expect(count(theirs, "Like")).to_be_hidden()
    other.close()

    # Bob deletes his post: gone from Alice's pane.
    mine.get_by_role("button", name="Delete conversation").click()
    mine.get_by_role("button", name="Delete", exact=True).click()
    expect(card(alice, "night trains")).to_have_count(0, timeout=LIVE)
    expect(alice.locator("article.card")).to_have_count(1)
    assert bob_page.locator("chatter-pane").count() == 1


def test_own_post_is_not_doubled(open_pane):
    _, carol = open_pane("carol", "strict-csp.html")
    _, dan = open_pane("dan", "strict-csp.html")
    write(carol, "Start a conversation", "Booking tool tip: filter by CO2")
    # an empty feed shows it directly
    expect(card(dan, "Booking tool tip")).to_have_count(1, timeout=LIVE)
    write(carol, "Start a conversation", "Second tip: rail passes count")
    expect(dan.get_by_role("button", name="1 new post")).to_be_visible(timeout=LIVE)
    # by now Carol's pane has had both events too
    expect(card(carol, "Booking tool tip")).to_have_count(1)
    expect(card(carol, "rail passes")).to_have_count(1)
    expect(carol.locator("article.card")).to_have_count(2)
    expect(carol.get_by_role("button", name="new post")).to_be_hidden()


@pytest.mark.parametrize("transport", ["sse", "poll"])
def test_fallback_transports_deliver_live(open_pane, live_server, transport):
    bob = api_for(live_server, "bob")
    where = {"context": "wiki:css-torture"}
    bob.new_post(f"Over {transport}: the first", **where)
    requests = []
    page, view = open_pane("dan", "hostile-css.html", transport=transport, requests=requests)
    expect(card(view, f"Over {transport}: the first")).to_be_visible()
    post = bob.new_post(f"Over {transport}: the second", **where)
    expect(view.get_by_role("button", name="1 new post")).to_be_visible(timeout=LIVE)
    bob.put(f"/posts/{post['id']}/like")
    view.get_by_role("button", name="1 new post").click()
    second = card(view, f"Over {transport}: the second")
    expect(reaction(second, "Like 1")).to_be_visible(timeout=LIVE)
    path = "/api/v1/stream/sse" if transport == "sse" else "/api/v1/events?after="
    assert any(path in url for url in requests), requests
    assert not any(url.startswith("ws") for url in requests), requests


def test_reconnects_and_shows_every_post_once(open_pane, live_server):
    page, view = open_pane("alice", "intranet.html", transport="ws", init=SOCKETS)
    wait_until_live(page)
    bob = api_for(live_server, "bob")
    where = {"context": f"{live_server.url}/examples/intranet.html"}
    bob.new_post("Catch-up 0", **where)  # an empty feed shows the first one directly
    expect(card(view, "Catch-up 0")).to_be_visible(timeout=LIVE)

    # Offline for a while: the quiet indicator appears after ~3 s; posts written meanwhile.
    page.evaluate("() => { window.__sockets.block = true; }")
    page.evaluate(KILL)
    for n in range(1, 4):
        bob.new_post(f"Catch-up {n}", **where)
    reconnecting = view.get_by_role("status").filter(has_text="Reconnecting…")
    expect(reconnecting).to_be_visible(timeout=6000)
    screenshot(page, "live-reconnecting")
    ready = page.evaluate("window.__sockets.ready")
    page.evaluate("() => { window.__sockets.block = false; dispatchEvent(new Event('online')); }")
    wait_until_live(page, ready + 1)
    expect(reconnecting).to_have_count(0)
    expect(view.get_by_role("button", name="3 new posts")).to_be_visible(timeout=LIVE)

    # Killed repeatedly while another thread keeps writing.
    def writer():
        for n in range(4, 12):
            bob.new_post(f"Catch-up {n}", **where)
            time.sleep(0.15)

    thread = threading.Thread(target=writer)
    thread.start()
    for _ in range(3):
        ready = page.evaluate("window.__sockets.ready")
        page.evaluate(KILL)
        wait_until_live(page, ready + 1)
    thread.join()
    pill = view.get_by_role("button", name="11 new posts")
    expect(pill).to_be_visible(timeout=LIVE)
    pill.click()
    # the cards come from the server's answers for this reader (GET /posts/{id}), in order
    expect(view.locator("article.card .body")).to_have_text(
        [f"Catch-up {n}" for n in range(11, -1, -1)]
    )


def test_a_profile_change_reaches_cards_and_comments(open_pane, live_server):
    bob = api_for(live_server, "bob")
    post = bob.new_post("Who owns the launch checklist?", context="project:apollo")
    bob.post(f"/posts/{post['id']}/comments", json={"body": "I can take it"})
    page, view = open_pane("carol", "project.html", init=SOCKETS)
    wait_until_live(page)
    theirs = card(view, "launch checklist")
    reaction(theirs, "Comments").click()
    expect(theirs.locator("li.comment", has_text="I can take it")).to_be_visible()
    # Bob signs in somewhere with a newer profile: an open pane shows it in place
    profile = {"name": "Robert Baker", "title": "Design Lead", "department": "Studio"}
    Api(live_server.app.test_client(), "bob", **profile)
    expect(theirs.locator(":scope > .head .name")).to_have_text("Robert Baker", timeout=LIVE)
    expect(theirs.locator(":scope > .head .meta")).to_have_text("Design Lead · Studio")
    comment = theirs.locator("li.comment", has_text="I can take it")
    expect(comment.locator(".name")).to_have_text("Robert Baker")
    expect(comment.locator(".meta")).to_have_text("Design Lead · Studio")
    expect(view.locator(".avatar").first).to_be_visible()
    screenshot(page, "live-profile-updated")


def test_new_posts_raise_the_pill_while_a_promoted_conversation_is_open(open_pane, live_server):
    bob = api_for(live_server, "bob")
    where = {"context": "wiki:css-torture"}
    promoted = bob.new_post("Dark mode contrast is fixed", **where)
    api_for(live_server, "carol").put(f"/posts/{promoted['id']}/promotion")  # not his own
    page, view = open_pane("alice", "hostile-css.html", init=SOCKETS)
    wait_until_live(page)
    view.locator(".promoted .promo", has_text="Dark mode contrast").click()
    back = view.get_by_role("button", name="All conversations")
    expect(back).to_be_visible()
    bob.new_post("Release notes are out", **where)
    pill = view.get_by_role("button", name="1 new post")
    expect(pill).to_be_visible(timeout=LIVE)
    screenshot(page, "live-pill-over-promoted")
    pill.click()
    expect(back).to_have_count(0)
    expect(view.locator("article.card").first).to_contain_text("Release notes are out")
    expect(card(view, "Dark mode contrast")).to_have_count(1)
