"""Self-policing in the pane: colleagues flag, a post turns into its placeholder in every open pane
without a reload, its author is told, a moderator reviews it, and everyone reads the log.

A module of its own: its server has a moderator (Carol), and must not share a database with another
module's server (on PostgreSQL a second server resets the one test database).
"""

import re

import pytest
from playwright.sync_api import expect

from chatter.demo import PEOPLE
from tests.conftest import Api

from .support import SCREENSHOTS
from .test_live import LIVE, SOCKETS, card, wait_until_live

PROJECT = "project:apollo"
HIDDEN = "Hidden after flags from 3 colleagues in 2 departments — waiting for review"


@pytest.fixture(scope="module")
def server(make_live_server):
    return make_live_server(CHATTER_MODERATORS="chatter-dev|carol")


@pytest.fixture
def person(browser, server):
    """person("alice"): a browser of Alice's on the project page, its pane open and live."""
    contexts = []

    def open_(sub, color_scheme="light"):
        context = browser.new_context(
            viewport={"width": 1280, "height": 800}, color_scheme=color_scheme
        )
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


PROFILES = {sub: profile for sub, *profile in PEOPLE}


def colleague(server, sub, name=None, department=None):
    """Someone using the API under their demo profile (or the one given): a session of their own."""
    name, title, department = PROFILES.get(sub) or (name, "Analyst", department)
    return Api(server.app.test_client(), sub, name=name, title=title, department=department)


def shoot(page, name, **kwargs):
    """test-artifacts/screenshots/policing-NAME-light.png and -dark.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.screenshot(
            path=str(SCREENSHOTS / f"policing-{name}-{scheme}.png"), animations="disabled", **kwargs
        )
    page.emulate_media(color_scheme="light")


def flag_in_pane(view, text, reason, note=None):
    """Flag the card showing `text` through its Flag button and the sheet."""
    one = card(view, text)
    one.hover()
    one.get_by_role("button", name="Flag conversation").click()
    sheet = view.get_by_role("dialog", name="Flag this conversation")
    sheet.get_by_label(reason).check()
    if note:
        sheet.get_by_label("Note for the moderators (optional)").fill(note)
    sheet.get_by_role("button", name="Flag", exact=True).click()
    expect(sheet).to_have_count(0)
    expect(one.get_by_role("button", name="Withdraw flag")).to_have_attribute(
        "aria-pressed", "true"
    )


def open_menu(view, entry):
    view.locator("button.me").click()
    view.get_by_role("menuitem", name=entry).click()


def test_three_colleagues_in_two_departments_hide_a_post_in_every_open_pane(person, server):
    """Two flags from panes, a third from another session: every pane shows the placeholder live."""
    bob = colleague(server, "bob")
    post = bob.new_post("Who broke the build? Name and shame!", context=PROJECT)
    bob.new_post("Lunch at noon in the canteen", context=PROJECT)
    alice_page, alice = person("alice")  # Engineering
    dan_page, dan = person("dan")  # Sales
    bob_page, bob_view = person("bob")  # the author
    expect(
        card(bob_view, "Name and shame").get_by_role("button", name="Flag conversation")
    ).to_have_count(0)

    flag_in_pane(alice, "Name and shame", "Disrespectful", note="Blaming someone by name")
    flag_in_pane(dan, "Name and shame", "Disrespectful")
    # two flags, one department short of nothing: still shown everywhere
    expect(card(alice, "Name and shame").locator("footer.actions")).to_be_visible()
    hiro = colleague(server, "hiro")  # Engineering, like Alice
    assert hiro.post(f"/posts/{post['id']}/flags", json={"reason": "off_topic"}).status_code == 201

    # no reload: Alice's and Dan's cards are placeholders, without reactions or the text
    for view in (alice, dan):
        placeholder = view.locator(f"article.card[data-id='{post['id']}']")
        expect(placeholder.locator(".veil")).to_contain_text(HIDDEN, timeout=LIVE)
        expect(placeholder).not_to_contain_text("Name and shame", use_inner_text=True)
        expect(placeholder.get_by_role("button", name="Like")).to_have_count(0)
        expect(placeholder.get_by_role("button", name="Show anyway")).to_be_visible()
    expect(card(alice, "Lunch at noon").locator("footer.actions")).to_be_visible()
    shoot(alice_page, "placeholder")

    # the author still sees it, with the notice, and is told
    mine = bob_view.locator(f"article.card[data-id='{post['id']}']")
    expect(mine.locator(".veil")).to_contain_text(HIDDEN, timeout=LIVE)
    expect(mine).to_contain_text("Name and shame")
    expect(mine.get_by_role("button", name="Edit conversation")).to_have_count(1)
    # no reactions on it; its comments open as any other's
    expect(mine.locator("footer.actions").get_by_role("button")).to_have_accessible_name("Comments")
    shoot(bob_page, "author-notice")
    bell = bob_view.locator("[part=bell]")
    expect(bell).to_have_accessible_name("Notifications: 1 unread", timeout=LIVE)
    bell.click()
    expect(
        bob_view.get_by_role("button", name=re.compile("Your conversation was hidden after flags"))
    ).to_be_visible()

    # Show anyway: one click, the text without reactions, focus kept in the card
    alice_card = alice.locator(f"article.card[data-id='{post['id']}']")
    alice_card.get_by_role("button", name="Show anyway").click()
    expect(alice_card).to_contain_text("Name and shame")
    expect(alice_card.locator(".veil")).to_contain_text("You chose to show it.")
    expect(alice_card.get_by_role("button", name="Like")).to_have_count(0)
    expect(alice_card.locator(".veil")).to_be_focused()


def test_a_moderator_restores_a_post_and_the_log_tells_everyone(person, server):
    """Carol reviews the flags and restores it: live in Alice's pane; Dan reads the log."""
    bob = colleague(server, "bob")
    post = bob.new_post("The offsite agenda is in the wiki", context=PROJECT)
    for sub, name, department in [
        ("u1", "Uma One", "Finance"),
        ("u2", "Ugo Two", "Finance"),
        ("u3", "Una Three", "IT"),
    ]:
        flagger = colleague(server, sub, name, department)
        assert (
            flagger.post(
                f"/posts/{post['id']}/flags",
                json={"reason": "off_topic", "note": f"{name}: wrong page"},
            ).status_code
            == 201
        )
    alice_page, alice = person("alice")
    expect(alice.locator(f"article.card[data-id='{post['id']}'] .veil")).to_contain_text(HIDDEN)
    expect(alice.locator("button.me")).to_be_visible()
    alice.locator("button.me").click()
    # no Review for her
    expect(alice.get_by_role("menuitem")).to_have_text(["Your profile", "Moderation log"])
    alice_page.keyboard.press("Escape")
    expect(alice.locator("button.me")).to_be_focused()

    carol_page, carol = person("carol")
    open_menu(carol, "Review")
    review = carol.locator("[part=moderation-review]")
    item = review.locator("li.review", has_text="The offsite agenda is in the wiki")
    expect(item).to_contain_text(HIDDEN)
    expect(item.locator(".flag-line")).to_have_count(3)
    expect(item).to_contain_text("Uma One (Finance)")
    expect(item).to_contain_text("Una Three: wrong page")
    shoot(carol_page, "review")
    item.get_by_label("Note for the log (optional)").fill("Fits this project: it is our offsite.")
    item.get_by_role("button", name="Restore").click()
    expect(item).to_have_count(0)
    expect(carol.locator(".toast")).to_contain_text("Restored")

    # Alice's open pane: the conversation is back, with its reactions, without a reload
    back = alice.locator(f"article.card[data-id='{post['id']}']")
    expect(back.locator(".veil")).to_have_count(0, timeout=LIVE)
    expect(back).to_contain_text("The offsite agenda is in the wiki")
    expect(back.locator("footer.actions").get_by_role("button", name="Like")).to_be_visible()

    # Dan, an ordinary employee, reads who (as a kind) did what and why; flaggers are never named
    dan_page, dan = person("dan")
    open_menu(dan, "Moderation log")
    log = dan.locator("[part=moderation-log]")
    restored = log.locator("li.mod-entry", has_text="Restored by a moderator").filter(
        has_text="offsite agenda"
    )
    expect(restored).to_contain_text("Fits this project: it is our offsite.")
    expect(restored).to_contain_text("Off topic")
    hidden = log.locator("li.mod-entry", has_text="offsite agenda")
    expect(hidden.filter(has_text="Hidden by 3 colleagues in 2 departments")).to_have_count(1)
    expect(log).not_to_contain_text("Uma One")
    expect(log.get_by_role("heading", name="Moderation log")).to_be_focused()
    shoot(dan_page, "log")
    dan_page.keyboard.press("Escape")
    expect(dan.locator("button.me")).to_be_focused()
    expect(dan.get_by_role("tab", name="This page")).to_be_visible()


def test_a_confidential_flag_withholds_the_text_until_review(person, server):
    bob = colleague(server, "bob")
    post = bob.new_post("Draft salary bands for 2027: see attached", context=PROJECT)
    for sub, name, department in [
        ("c1", "Cy One", "Finance"),
        ("c2", "Cy Two", "People"),
        ("c3", "Cy Three", "People"),
    ]:
        flagger = colleague(server, sub, name, department)
        assert (
            flagger.post(f"/posts/{post['id']}/flags", json={"reason": "confidential"}).status_code
            == 201
        )
    dan_page, dan = person("dan")
    withheld = dan.locator(f"article.card[data-id='{post['id']}']")
    expect(withheld.locator(".veil")).to_contain_text(
        "Its text is withheld until a moderator has reviewed it."
    )
    expect(withheld.get_by_role("button", name="Show anyway")).to_have_count(0)
    assert "salary" not in dan.evaluate("el => el.shadowRoot.textContent")

    _, author = person("bob")
    expect(author.locator(f"article.card[data-id='{post['id']}']")).to_contain_text(
        "Draft salary bands"
    )
    _, carol = person("carol")
    open_menu(carol, "Review")
    item = carol.locator("li.review", has_text="Draft salary bands")
    expect(item).to_contain_text("Confidential")

    # removal is asked twice; then the text is gone for everyone, live
    remove = item.get_by_role("button", name="Remove")
    remove.click()
    expect(remove).to_have_text("Remove for good?")
    remove.click()
    expect(item).to_have_count(0)
    expect(withheld.locator(".veil")).to_have_text("Removed by a moderator", timeout=LIVE)
    mine = author.locator(f"article.card[data-id='{post['id']}']")
    expect(mine.locator(".veil")).to_have_text("Removed by a moderator", timeout=LIVE)
    expect(mine).not_to_contain_text("salary")


def test_a_flag_is_given_and_withdrawn_by_keyboard(person, server):
    """Tab to Flag, choose a reason with the arrows, send; focus comes back; Withdraw flag."""
    bob = colleague(server, "bob")
    bob.new_post("Shall we move stand-up to 9:30?", context=PROJECT)
    page, alice = person("alice")
    one = card(alice, "stand-up to 9:30")
    one.get_by_role("button", name="Copy link to this conversation").focus()
    page.keyboard.press("Tab")
    flag = one.get_by_role("button", name="Flag conversation")
    expect(flag).to_be_focused()
    page.keyboard.press("Enter")
    sheet = alice.get_by_role("dialog", name="Flag this conversation")
    expect(sheet.get_by_label("Disrespectful")).to_be_focused()
    shoot(page, "flag-sheet")
    page.keyboard.press("ArrowDown")  # Off topic
    expect(sheet.get_by_label("Off topic")).to_be_checked()
    page.keyboard.press("Escape")  # changed her mind: nothing sent
    expect(sheet).to_have_count(0)
    expect(flag).to_be_focused()
    expect(flag).to_have_attribute("aria-pressed", "false")

    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("Not about Apollo")
    page.keyboard.press("Enter")  # a new line in the note
    sheet.get_by_role("button", name="Flag", exact=True).focus()
    page.keyboard.press("Enter")
    expect(sheet).to_have_count(0)
    withdraw = one.get_by_role("button", name="Withdraw flag")
    expect(withdraw).to_be_focused()
    expect(alice.locator(".toast")).to_contain_text("Flagged")
    page.keyboard.press("Enter")
    expect(one.get_by_role("button", name="Flag conversation")).to_be_focused()
    expect(alice.locator(".toast")).to_contain_text("Flag withdrawn")


def test_comments_are_flagged_and_hidden_in_place(person, server):
    bob = colleague(server, "bob")
    post = bob.new_post("Retro notes for sprint 12", context=PROJECT)
    rude = (
        colleague(server, "liam")
        .post(f"/posts/{post['id']}/comments", json={"body": "What a useless retro"})
        .json
    )
    page, alice = person("alice")
    one = card(alice, "Retro notes for sprint 12")
    one.get_by_role("button", name="Comments").click()
    comment = alice.locator(f"li.comment[data-id='{rude['id']}']")
    comment.hover()
    comment.get_by_role("button", name="Flag comment").click()
    sheet = alice.get_by_role("dialog", name="Flag this comment")
    sheet.get_by_label("Disrespectful").check()
    sheet.get_by_role("button", name="Flag", exact=True).click()
    expect(comment.get_by_role("button", name="Withdraw flag")).to_be_visible()
    for sub, name, department in [("k1", "Kim One", "Finance"), ("k2", "Kim Two", "Finance")]:
        flagger = colleague(server, sub, name, department)
        assert (
            flagger.post(
                f"/comments/{rude['id']}/flags", json={"reason": "disrespectful"}
            ).status_code
            == 201
        )
    expect(comment.locator(".veil")).to_contain_text(HIDDEN, timeout=LIVE)
    expect(comment).not_to_contain_text("useless", use_inner_text=True)
    comment.get_by_role("button", name="Show anyway").click()
    expect(comment).to_contain_text("What a useless retro")
    expect(comment.get_by_role("button", name="Like")).to_have_count(0)


def test_the_author_is_not_offered_promote_on_their_own_conversation(person, server):
    """The server says can_promote: false (it would refuse with 422 own_post): no button."""
    colleague(server, "bob").new_post("Bob's idea: a demo day", context=PROJECT)
    _, bob = person("bob")
    own = card(bob, "a demo day").locator("footer.actions")
    expect(own.get_by_role("button", name="Like", exact=True)).to_be_visible()
    expect(own.get_by_role("button", name="Promote", exact=True)).to_have_count(0)
    _, dan = person("dan")
    theirs = card(dan, "a demo day").locator("footer.actions")
    expect(theirs.get_by_role("button", name="Promote", exact=True)).to_be_visible()


def test_muting_someone_leaves_their_posts_out_of_ones_feed(person, server):
    colleague(server, "liam").new_post("BUY MY COURSE on growth hacking", context=PROJECT)
    colleague(server, "bob").new_post("Design review at 3", context=PROJECT)
    page, alice = person("alice")
    one = card(alice, "BUY MY COURSE")
    one.locator(".byline .name").click()
    dialog = alice.locator("dialog.person-card")
    dialog.get_by_role("button", name="Mute").click()
    expect(dialog.get_by_role("button", name="Unmute")).to_have_attribute("aria-pressed", "true")
    expect(dialog).to_contain_text("Only you know")
    page.keyboard.press("Escape")
    expect(card(alice, "BUY MY COURSE")).to_have_count(0)
    expect(card(alice, "Design review at 3")).to_have_count(1)


def test_the_edit_history_opens_from_edited(person, server):
    bob = colleague(server, "bob")
    post = bob.new_post("Release on Tuesday", context=PROJECT)
    bob.patch(f"/posts/{post['id']}", json={"body": "Release on Wednesday"})
    bob.patch(f"/posts/{post['id']}", json={"body": "Release on Thursday, for real"})
    page, alice = person("alice")
    one = card(alice, "Release on Thursday")
    edited = one.get_by_role("button", name="· edited")
    edited.click()
    sheet = alice.get_by_role("dialog", name="Edit history")
    expect(sheet.locator(".revision")).to_have_text(
        [re.compile("Release on Wednesday"), re.compile("Release on Tuesday")]
    )
    expect(sheet).to_contain_text("2 earlier versions")
    page.keyboard.press("Escape")
    expect(sheet).to_have_count(0)
    expect(edited).to_be_focused()


def test_signing_out_closes_the_moderation_log(person, server):
    page, dan = person("dan")
    open_menu(dan, "Moderation log")
    expect(dan.locator("[part=moderation-log]")).to_be_visible()
    page.evaluate("document.querySelector('chatter-pane').logout()")
    expect(dan.get_by_text("You are signed out of Chatter.")).to_be_visible()
    expect(dan.locator("[part=moderation-log]")).to_have_count(0)
