"""People in the pane: mentions and names open a people card, counts list who, the @ picker."""

import re

import pytest
from playwright.sync_api import expect

from chatter.demo import PEOPLE
from tests.conftest import Api

from .support import AXE, pane, screenshot

URL = "/examples/intranet.html"
KEYS = ("post_count", "comment_count", "likes_received", "follower_count")
LONG_TITLE = (
    "Principal Staff Engineer for Platform Reliability, Developer Experience and Internal Tools"
)


@pytest.fixture(scope="module")
def people(live_server):
    """The demo people (as the example pages sign them in), Boris, and the page's address."""
    client = live_server.app.test_client()
    found = {
        sub: Api(client, sub, name=name, title=title, department=dept)
        for sub, name, title, dept in PEOPLE[:4]
    }
    found["boris"] = Api(
        client, "boris", name="Boris Brown", title=LONG_TITLE, department="Platform"
    )
    found["here"] = f"{live_server.url}{URL}"
    return found


def open_pane(page, live_server, who="dan", scheme="light"):
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{live_server.url}{URL}?as={who}")
    return pane(page)


def card_of(view, post):
    return view.locator(f"article.card[data-id='{post['id']}']")


def person_card(view, name):
    return view.get_by_role("dialog", name=name)


def test_a_mention_opens_the_people_card_and_escape_returns(page, live_server, people):
    bob = people["bob"]
    post = people["alice"].new_post("Thanks @bob.baker for the new icons!", context=people["here"])
    bob.new_post("Icons are in the shared drive.", context=people["here"])
    view = open_pane(page, live_server)
    mention = card_of(view, post).get_by_role("button", name="@bob.baker")
    expect(mention).to_have_class("mention")
    mention.focus()
    page.keyboard.press("Enter")
    card = person_card(view, "Bob Baker")
    expect(card).to_be_visible()
    expect(card.get_by_text("@bob.baker", exact=True)).to_be_visible()
    expect(card.get_by_text("Product Designer")).to_be_visible()
    expect(card.get_by_text("Design", exact=True)).to_be_visible()
    counts = people["dan"].get(f"/people/{bob.user['id']}").json
    one = ["Conversation", "Comment", "Like received", "Follower"]
    many = ["Conversations", "Comments", "Likes received", "Followers"]
    expect(card.locator(".pc-stats dt")).to_have_text(
        [o if counts[k] == 1 else m for o, m, k in zip(one, many, KEYS, strict=True)]
    )
    expect(card.locator(".pc-stats dd")).to_have_text([str(counts[k]) for k in KEYS])
    assert counts["post_count"] >= 1
    expect(card.get_by_text(re.compile(r"^Joined \w+ \d{4}$"))).to_be_visible()
    expect(card.get_by_role("button", name="Follow", exact=True)).to_have_attribute(
        "aria-pressed", "false"
    )
    expect(card.get_by_role("button", name=re.compile("Icons are in the shared"))).to_be_visible()
    page.keyboard.press("Escape")
    expect(card).to_be_hidden()
    expect(mention).to_be_focused()
    # the pane stays open and the mention is still a mention
    expect(view.locator("article.card").first).to_be_visible()


def test_names_and_avatars_open_cards_and_recent_conversations_lead_to_them(
    page, live_server, people
):
    boris = people["boris"]
    older = boris.new_post("An older note about the build farm.", context="elsewhere:wiki")
    newer = boris.new_post("Deploys are frozen on Friday.\n\nMore below.", context=people["here"])
    view = open_pane(page, live_server)
    byline = card_of(view, newer).locator(".byline")
    byline.get_by_role("button", name="Boris Brown").click()
    card = person_card(view, "Boris Brown")
    expect(card.get_by_text(LONG_TITLE)).to_be_visible()
    # a long title wraps inside the card: readable whole, never wider than it
    title_box = card.get_by_text(LONG_TITLE).bounding_box()
    card_box = card.bounding_box()
    assert title_box["height"] > 20
    assert title_box["x"] + title_box["width"] <= card_box["x"] + card_box["width"]
    recent = card.locator(".pc-posts li")
    expect(recent).to_have_count(2)
    expect(recent.first).to_contain_text("Deploys are frozen on Friday.")
    expect(recent.first).not_to_contain_text("More below")
    recent.first.get_by_role("button").click()
    expect(card).to_be_hidden()
    expect(card_of(view, newer)).to_be_focused()
    # the avatar opens it too; a conversation not in the feed opens on its own
    card_of(view, newer).locator(".byline .avatar").click()
    expect(card).to_be_visible()
    card.get_by_role("button", name=re.compile("An older note")).click()
    expect(card_of(view, older)).to_be_visible()
    expect(view.get_by_role("button", name="All conversations")).to_be_visible()


def test_follow_from_the_card(page, live_server, people):
    carol = people["carol"]
    post = carol.new_post("Board meeting notes are out.", context=people["here"])
    before = carol.get(f"/people/{carol.user['id']}").json["follower_count"]
    view = open_pane(page, live_server)
    card_of(view, post).get_by_role("button", name="Carol Chen").click()
    card = person_card(view, "Carol Chen")
    follow = card.get_by_role("button", name="Follow", exact=True)
    expect(follow).to_have_attribute("aria-pressed", "false")
    follow.click()
    following = card.get_by_role("button", name="Following")
    expect(following).to_have_attribute("aria-pressed", "true")
    followers = card.locator(".pc-stats div", has=page.locator("dt", has_text="Follower"))
    expect(followers.locator("dd")).to_have_text(str(before + 1))
    assert people["dan"].get(f"/people/{carol.user['id']}").json["followed_by_me"] is True
    # opened again, the card says so; unfollowing takes it back
    page.keyboard.press("Escape")
    card_of(view, post).get_by_role("button", name="Carol Chen").click()
    following.click()
    expect(card.get_by_role("button", name="Follow", exact=True)).to_have_attribute(
        "aria-pressed", "false"
    )
    expect(followers.locator("dd")).to_have_text(str(before))
    assert people["dan"].get(f"/people/{carol.user['id']}").json["followed_by_me"] is False


def test_a_card_that_cannot_load_says_so_and_tries_again(page, live_server, people):
    post = people["bob"].new_post("Offline check with @carol.chen", context=people["here"])
    view = open_pane(page, live_server)
    item = card_of(view, post)
    item.get_by_role("button", name="Bob Baker").click()  # the card's code is here now
    expect(person_card(view, "Bob Baker")).to_be_visible()
    page.keyboard.press("Escape")
    page.context.set_offline(True)
    item.get_by_role("button", name="@carol.chen").click()
    card = view.locator("dialog.person-card")
    expect(card.get_by_role("alert")).to_contain_text("This card could not be loaded")
    page.context.set_offline(False)
    card.get_by_role("button", name="Try again").click()
    expect(person_card(view, "Carol Chen")).to_be_visible()


def test_your_own_card_has_no_follow_button(page, live_server, people):
    post = people["dan"].new_post("Quarter closed, thanks all.", context=people["here"])
    view = open_pane(page, live_server)
    card_of(view, post).get_by_role("button", name="Dan Diaz").click()
    card = person_card(view, "Dan Diaz")
    expect(card.get_by_text("@dan.diaz")).to_be_visible()
    expect(card.get_by_role("button", name="Follow", exact=True)).to_have_count(0)
    card.get_by_role("button", name="Close", exact=True).click()
    expect(card_of(view, post).get_by_role("button", name="Dan Diaz")).to_be_focused()


def test_counts_list_who_liked_and_who_promoted(page, live_server, people):
    post = people["carol"].new_post("Offsite agenda is up.", context=people["here"])
    for sub in ("alice", "bob", "boris", "carol"):
        people[sub].put(f"/posts/{post['id']}/like")
    for sub in ("alice", "bob", "boris"):
        people[sub].put(f"/posts/{post['id']}/promotion")
    view = open_pane(page, live_server)
    actions = card_of(view, post).locator("footer.actions")
    likes = actions.get_by_role("button", name="See who: 4")
    likes.click()
    who = view.get_by_role("dialog", name="Liked by Carol Chen, Boris Brown and 2 others")
    expect(who).to_be_visible()
    expect(who.locator(".who-name")).to_have_text(
        ["Carol Chen", "Boris Brown", "Bob Baker", "Alice Archer"]
    )
    page.keyboard.press("Escape")
    expect(who).to_be_hidden()
    expect(likes).to_be_focused()
    # Dan likes it too: he is "you", first (the count moves at once; the list is read once the
    # like is stored)
    with page.expect_response(lambda r: r.url.endswith(f"/posts/{post['id']}/like")):
        actions.get_by_role("button", name="Like", exact=True).click()
    expect(actions.get_by_role("button", name="See who: 5")).to_be_visible()
    actions.get_by_role("button", name="See who: 5").click()
    expect(view.get_by_role("dialog", name="Liked by you, Carol Chen and 3 others")).to_be_visible()
    actions.get_by_role("button", name="See who: 3").click()
    promoted = view.get_by_role("dialog", name="Promoted by 3 people in 3 departments")
    expect(promoted).to_be_visible()
    expect(promoted.locator(".who-dept")).to_have_text(["Platform", "Design", "Engineering"])
    # a name there opens that person's card; closing it returns to the count
    promoted.get_by_role("button", name=re.compile("Bob Baker")).click()
    card = person_card(view, "Bob Baker")
    expect(card).to_be_visible()
    expect(promoted).to_be_hidden()
    page.keyboard.press("Escape")
    expect(actions.get_by_role("button", name="See who: 3")).to_be_focused()


def test_comment_likes_list_who(page, live_server, people):
    post = people["alice"].new_post("Lunch order?", context=people["here"])
    comment = people["bob"].post(f"/posts/{post['id']}/comments", json={"body": "Pizza"}).json
    people["carol"].put(f"/comments/{comment['id']}/like")
    view = open_pane(page, live_server)
    card_of(view, post).get_by_role("button", name="Comments").click()
    item = view.locator(f"li.comment[data-id='{comment['id']}']")
    item.get_by_role("button", name="See who: 1").click()
    expect(view.get_by_role("dialog", name="Liked by Carol Chen")).to_be_visible()


def pick(box, page, typed):
    box.click()
    box.press_sequentially(typed)
    return page.locator("chatter-pane").get_by_role("listbox", name="People to mention")


def test_the_picker_by_keyboard_puts_a_mention_in_a_comment(page, live_server, people):
    post = people["alice"].new_post("Who owns the release notes?", context=people["here"])
    view = open_pane(page, live_server)
    card_of(view, post).get_by_role("button", name="Comments").click()
    box = (
        card_of(view, post)
        .get_by_role("combobox", name="Write a comment")
        .or_(card_of(view, post).get_by_role("textbox", name="Write a comment"))
    )
    listbox = pick(box, page, "I think @bo")
    expect(listbox.get_by_role("option")).to_have_count(2)
    expect(listbox.get_by_role("option").first).to_contain_text("Bob Baker")
    expect(listbox.get_by_role("option").first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("ArrowDown")
    boris = listbox.get_by_role("option", name=re.compile("Boris Brown"))
    expect(boris).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", boris.get_attribute("id"))
    box.press("Enter")
    expect(listbox).to_be_hidden()
    expect(box).to_have_value("I think @boris.brown ")
    box.press_sequentially("does.")
    box.press("Control+Enter")
    comment = card_of(view, post).locator("li.comment", has_text="does.")
    expect(comment.get_by_role("button", name="@boris.brown")).to_have_class("mention")


def test_the_picker_says_when_no_one_matches_and_escape_keeps_the_reply_box(
    page, live_server, people
):
    post = people["alice"].new_post("Picker edge cases", context=people["here"])
    comment = people["bob"].post(f"/posts/{post['id']}/comments", json={"body": "First"}).json
    view = open_pane(page, live_server)
    card_of(view, post).get_by_role("button", name="Comments").click()
    item = view.locator(f"li.comment[data-id='{comment['id']}']")
    item.get_by_role("button", name="Reply").click()
    box = item.get_by_label("Reply to Bob Baker")
    listbox = pick(box, page, "hey @zzzq")
    expect(listbox).to_have_text("No one matches")
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_be_visible()
    expect(box).to_be_focused()
    # the mouse works too
    box.fill("")
    listbox = pick(box, page, "cc @ali")
    listbox.get_by_role("option", name=re.compile("Alice Archer")).click()
    expect(box).to_have_value("cc @alice.archer ")
    expect(box).to_be_focused()
    box.press("Escape")
    expect(box).to_be_hidden()


def serious_violations(page):
    """axe-core's serious and critical findings for the page as it is now."""
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_card_the_list_and_the_picker_pass_axe_and_are_photographed(
    browser, live_server, people, scheme
):
    page = browser.new_page(viewport={"width": 1280, "height": 860}, color_scheme=scheme)
    post = people["boris"].new_post(
        f"Reliability review ({scheme}) with @carol.chen and @bob.baker: notes below.",
        context=people["here"],
    )
    for sub in ("alice", "bob", "carol"):
        people[sub].put(f"/posts/{post['id']}/like")
    view = open_pane(page, live_server, scheme=scheme)
    card_of(view, post).get_by_role("button", name="Boris Brown").click()
    card = person_card(view, "Boris Brown")
    expect(card.locator(".pc-posts li").first).to_be_visible()
    assert serious_violations(page) == []
    screenshot(page, f"people-card-{scheme}")
    page.keyboard.press("Escape")
    card_of(view, post).get_by_role("button", name="See who: 3").click()
    expect(view.get_by_role("dialog", name=re.compile("^Liked by"))).to_be_visible()
    assert serious_violations(page) == []
    screenshot(page, f"people-likes-{scheme}")
    page.keyboard.press("Escape")
    card_of(view, post).get_by_role("button", name="Comments").click()
    listbox = pick(card_of(view, post).get_by_label("Write a comment"), page, "Thanks @b")
    expect(listbox.get_by_role("option")).to_have_count(2)
    assert serious_violations(page) == []
    screenshot(page, f"people-picker-{scheme}")
    page.close()


def test_the_card_in_an_inline_pane_and_on_a_phone(browser, live_server, people):
    post = people["bob"].new_post("Standup moved to 9:30 @alice.archer", context="team:room")
    page = browser.new_page(viewport={"width": 1100, "height": 800})
    page.goto(f"{live_server.url}/examples/team-room.html?as=dan")
    view = pane(page)
    card_of(view, post).get_by_role("button", name="@alice.archer").click()
    card = person_card(view, "Alice Archer")
    expect(card).to_be_in_viewport()
    screenshot(page, "people-card-inline")
    page.keyboard.press("Escape")
    expect(card_of(view, post).get_by_role("button", name="@alice.archer")).to_be_focused()
    page.close()
    # a phone's drawer: Escape closes the card, not the pane
    page = browser.new_page(viewport={"width": 390, "height": 844})
    post = people["bob"].new_post("On a phone, @carol.chen?", context=people["here"])
    page.goto(f"{people['here']}?as=dan")
    page.locator("chatter-pane").get_by_role("button", name="Open Chatter").click()
    view = pane(page)
    card_of(view, post).get_by_role("button", name="@carol.chen").click()
    card = person_card(view, "Carol Chen")
    expect(card).to_be_in_viewport(ratio=1)
    screenshot(page, "people-card-narrow")
    page.keyboard.press("Escape")
    expect(card).to_be_hidden()
    expect(card_of(view, post)).to_be_visible()
    page.close()
