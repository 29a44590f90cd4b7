"""Self-policing as one reader sees it: their mutes hold in their open pane, Promote only where the
server says they may, their own people card from the pane's menu, and a hidden conversation's
comments after "Show anyway".

A module of its own: a mute outlives a test, so its people must not meet another module's.
"""

import re

import pytest
from playwright.sync_api import expect

from .support import SCREENSHOTS, promotions
from .test_live import LIVE, SOCKETS, card, wait_until_live, write
from .test_policing import colleague, open_menu

PROJECT = "project:apollo"


@pytest.fixture(scope="module")
def server(make_live_server):
    return make_live_server()


@pytest.fixture
def person(browser, server):
    """person("alice"): a browser of Alice's on the project page, its pane open and live."""
    contexts = []

    def open_(sub):
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        contexts.append(context)
        page = context.new_page()
        page.add_init_script(SOCKETS)
        page.add_init_script("localStorage.setItem('chatter:pane-open', '1')")
        page.goto(f"{server.url}/examples/project.html?as={sub}")
        page.locator("chatter-pane .feed[aria-busy=false]").wait_for()
        wait_until_live(page)
        return page, page.locator("chatter-pane")

    yield open_
    for context in contexts:
        context.close()


def shoot(page, name):
    """test-artifacts/screenshots/reader-NAME-light.png and -dark.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        path = SCREENSHOTS / f"reader-{name}-{scheme}.png"
        page.screenshot(path=str(path), animations="disabled")
    page.emulate_media(color_scheme="light")


def set_mute(page, view, opener, name, label):
    """Open `name`'s card from `opener` (a name or mention), press Mute or Unmute (`label`),
    close the card."""
    opener.click()
    dialog = view.get_by_role("dialog", name=name)
    with page.expect_response(lambda r: r.url.endswith("/mute") and r.ok):
        dialog.get_by_role("button", name=label, exact=True).click()
    now = "Mute" if label == "Unmute" else "Unmute"
    expect(dialog.get_by_role("button", name=now, exact=True)).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)


def test_a_mute_holds_in_the_muters_open_pane_and_nowhere_else(person, server):
    """Alice mutes Bob in his card: his new post and comment never show in her open panes (her
    other tab hears of the mute live), while Carol's shows both; unmuted, his next post reaches
    her again."""
    bob, dan = colleague(server, "bob"), colleague(server, "dan")
    kickoff = colleague(server, "carol").new_post("Kick-off notes are in the wiki", context=PROJECT)
    bob.new_post("Bob's first thought on the kick-off", context=PROJECT)
    alice_page, alice = person("alice")
    _, carol = person("carol")
    _, other_tab = person("alice")
    byline = card(alice, "Bob's first thought").locator(".byline .name")
    set_mute(alice_page, alice, byline, "Bob Baker", "Mute")
    expect(card(alice, "Bob's first thought")).to_have_count(0)  # the feed is read again
    expect(card(other_tab, "Bob's first thought")).to_have_count(0, timeout=LIVE)  # and there
    for view in (alice, carol):
        card(view, "Kick-off notes").get_by_role("button", name="Comments").click()
        expect(card(view, "Kick-off notes").locator(".thread-status")).to_have_text(
            "No comments yet. Be the first to reply."
        )

    bob.new_post("Bob's live take on the budget", context=PROJECT)
    bob.post(f"/posts/{kickoff['id']}/comments", json={"body": "Bob chimes in"})
    # Dan's come after Bob's: once they are in Alice's pane, Bob's have been and gone.
    dan.new_post("Dan's live note on the budget, cc @bob.baker", context=PROJECT)
    dan.post(f"/posts/{kickoff['id']}/comments", json={"body": "Dan agrees"})

    expect(carol.get_by_role("button", name="2 new posts")).to_be_visible(timeout=LIVE)
    thread = card(carol, "Kick-off notes").locator("li.comment")
    expect(thread).to_have_text(
        [re.compile("Bob chimes in"), re.compile("Dan agrees")], timeout=LIVE
    )
    alices = card(alice, "Kick-off notes").locator("li.comment")
    expect(alices).to_have_count(1, timeout=LIVE)
    expect(alices).to_contain_text("Dan agrees")
    pill = alice.get_by_role("button", name="1 new post")
    expect(pill).to_be_visible(timeout=LIVE)
    pill.click()
    expect(card(alice, "Dan's live note")).to_be_visible()
    expect(card(alice, "Bob's live take")).to_have_count(0)
    expect(alice.get_by_role("button", name="1 new post")).to_be_hidden()
    other_tab.get_by_role("button", name="1 new post").click()
    expect(card(other_tab, "Dan's live note")).to_be_visible()
    expect(card(other_tab, "Bob's live take")).to_have_count(0)
    shoot(alice_page, "muted")

    # unmuted in his card (a mention opens it): the feed has him again, and so does the stream
    mention = card(alice, "Dan's live note").get_by_role("button", name="@bob.baker")
    set_mute(alice_page, alice, mention, "Bob Baker", "Unmute")
    expect(card(alice, "Bob's live take")).to_be_visible()
    expect(card(other_tab, "Bob's live take")).to_be_visible(timeout=LIVE)
    bob.new_post("Bob is back with numbers", context=PROJECT)
    for view in (alice, other_tab):
        view.get_by_role("button", name="1 new post").click()
        expect(card(view, "Bob is back with numbers")).to_be_visible(timeout=LIVE)


def test_promote_is_offered_only_where_the_server_says(person, server):
    """Not on one's own conversation, made here or arriving live; its count still shows there."""
    page, alice = person("alice")
    _, bob_view = person("bob")
    write(alice, "Start a conversation", "Alice's plan for the demo day")
    mine = card(alice, "plan for the demo day")
    expect(mine.get_by_role("button", name="Like", exact=True)).to_be_visible()
    expect(mine.get_by_role("button", name="Promote", exact=True)).to_have_count(0)
    expect(promotions(mine)).to_be_hidden()

    # Bob gets it live (behind the pill): his card, read for him, offers Promote
    bob_view.get_by_role("button", name="1 new post").click()
    theirs = card(bob_view, "plan for the demo day")
    promote = theirs.get_by_role("button", name="Promote", exact=True)
    promote.click()
    expect(promote).to_have_attribute("aria-pressed", "true")
    expect(promotions(theirs)).to_have_text("1")

    # Alice's card hears of it and of her own edit from elsewhere: the count, never Promote
    expect(promotions(mine)).to_have_text("1", timeout=LIVE)
    post_id = mine.get_attribute("data-id")
    mine = alice.locator(f"article.card[data-id='{post_id}']")  # its text changes
    colleague(server, "alice").patch(f"/posts/{post_id}", json={"body": "Alice's plan, v2"})
    body = mine.locator(":scope > .content > .body")
    expect(body).to_have_text("Alice's plan, v2", timeout=LIVE)
    expect(mine.get_by_role("button", name="Promote", exact=True)).to_have_count(0)
    expect(promotions(mine)).to_have_text("1")
    mine.scroll_into_view_if_needed()
    shoot(page, "own-post")


def test_your_profile_in_the_menu_opens_ones_own_people_card(person):
    page, alice = person("alice")
    open_menu(alice, "Your profile")
    dialog = alice.get_by_role("dialog", name="Alice Archer")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_text("Staff Engineer")).to_be_visible()
    # one's own card: no Follow or Mute
    expect(dialog.get_by_role("button", name="Mute")).to_have_count(0)
    expect(dialog.get_by_role("button", name="Follow")).to_have_count(0)
    shoot(page, "own-profile")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(alice.locator("button.me")).to_be_focused()


def test_a_hidden_conversations_comments_open_after_show_anyway(person, server):
    """Its thread opens like any other, read-only: a hidden conversation takes no comments."""
    bob = colleague(server, "bob")
    post = bob.new_post("Everyone's bonus figures, leaked early", context=PROJECT)
    colleague(server, "carol").post(
        f"/posts/{post['id']}/comments", json={"body": "Please take this down"}
    )
    quiet = bob.new_post("Nobody's salary, in a table", context=PROJECT)
    for sub, name, department in [
        ("v1", "Vi One", "Finance"),
        ("v2", "Vi Two", "Finance"),
        ("v3", "Vi Three", "Legal"),
    ]:
        flagger = colleague(server, sub, name, department)
        for one in (post, quiet):
            answer = flagger.post(f"/posts/{one['id']}/flags", json={"reason": "disrespectful"})
            assert answer.status_code == 201
    page, dan = person("dan")
    hidden = dan.locator(f"article.card[data-id='{post['id']}']")
    expect(hidden.get_by_role("button", name="Comments")).to_be_hidden()  # a placeholder first
    hidden.get_by_role("button", name="Show anyway").click()
    comments = hidden.get_by_role("button", name="Comments")
    comments.click()
    expect(comments).to_have_attribute("aria-expanded", "true")
    expect(hidden.locator("li.comment")).to_contain_text("Please take this down")
    expect(hidden.locator(".closed-note")).to_have_text(
        "Comments and replies are closed while this conversation is hidden."
    )
    expect(hidden.get_by_label("Write a comment")).to_be_hidden()
    expect(hidden.locator("li.comment").get_by_role("button", name="Reply")).to_be_hidden()
    expect(hidden.get_by_role("button", name="Like", exact=True)).to_have_count(1)  # the comment's
    hidden.scroll_into_view_if_needed()
    shoot(page, "hidden-thread")

    # one without comments does not invite a first one
    alone = dan.locator(f"article.card[data-id='{quiet['id']}']")
    alone.get_by_role("button", name="Show anyway").click()
    alone.get_by_role("button", name="Comments").click()
    expect(alone.locator(".thread-status")).to_have_text("No comments yet.")
