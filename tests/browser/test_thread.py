"""The conversation thread: the latest comments first, focus that stays put, drafts, replies."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import Api

from .support import pane
from .test_pictures import SUNRISE, file, picture

URL = "/examples/intranet.html"


@pytest.fixture
def people(live_server):
    client = live_server.app.test_client()
    people = {sub: Api(client, sub, name=f"{sub.title()} Tester") for sub in ("ann", "ben", "cy")}
    people["here"] = f"{live_server.url}{URL}"
    return people


def conversation(people, text, comments=0):
    """A post on the example page with `comments` top-level comments, numbered from 1."""
    post = people["ann"].new_post(text, context=people["here"])
    writers = [people[sub] for sub in ("ann", "ben", "cy")]
    for n in range(1, comments + 1):
        body = {"body": f"Comment number {n}"}
        response = writers[n % 3].post(f"/posts/{post['id']}/comments", json=body)
        assert response.status_code == 201, response.json
    return post


def open_thread(page, live_server, post, who="dan"):
    page.goto(f"{live_server.url}{URL}?as={who}")
    view = pane(page)
    card = view.locator(f"article.card[data-id='{post['id']}']")
    card.locator("footer.actions").get_by_role("button", name="Comments").click()
    return view, card


def write(box, scope, item, *texts):
    """Post each of `texts` from `box`, waiting for it as an `item` (a selector) in `scope`."""
    for text in texts:
        box.fill(text)
        box.press("Control+Enter")
        expect(scope.locator(item, has_text=text)).to_be_visible()


def delete(item, what):
    """Delete `item` with its own Delete button and the confirmation."""
    item.hover()
    item.get_by_role("button", name=f"Delete {what}").click()
    item.get_by_role("button", name="Delete", exact=True).click()


def test_long_conversation_opens_at_the_latest_with_earlier_ones_above(page, live_server, people):
    post = conversation(people, "Which rail pass do we book for the Lyon trip?", comments=12)
    third = _comment_id(people, post, "Comment number 3")
    reply = people["ann"].post(
        f"/posts/{post['id']}/comments", json={"body": "Reply to number 3", "parent_id": third}
    )
    assert reply.status_code == 201
    page.set_viewport_size({"width": 1280, "height": 700})
    _, card = open_thread(page, live_server, post)
    comments = card.locator(".comments > .comment")
    expect(comments).to_have_count(5)
    expect(comments.first).to_contain_text("Comment number 8")
    expect(comments.last).to_contain_text("Comment number 12")
    earlier = card.get_by_role("button", name="View earlier comments")
    # above the comments, not below them
    assert earlier.bounding_box()["y"] < comments.first.bounding_box()["y"]

    anchor = card.locator("li.comment", has_text="Comment number 8")
    anchor.scroll_into_view_if_needed()
    before = anchor.bounding_box()["y"]
    earlier.click()
    expect(comments).to_have_count(12)
    expect(comments.first).to_contain_text("Comment number 1")
    third = card.locator(".comments > .comment", has_text="Comment number 3")
    expect(third.locator(".replies li.comment")).to_have_text(re.compile("Reply to number 3"))
    # what the reader was looking at stays where it was, and focus stays in the thread
    assert anchor.bounding_box()["y"] == pytest.approx(before, abs=1)
    expect(earlier).to_be_hidden()
    expect(card.locator("li.comment", has_text="Comment number 7")).to_be_focused()


def _comment_id(people, post, text):
    items = people["ann"].get(f"/posts/{post['id']}/comments").json["items"]
    return next(c["id"] for c in items if c["body"] == text)


def test_focus_stays_put_after_escape_edit_and_delete(page, live_server, people):
    post = conversation(people, "Who keeps the spare badge for visitors?", comments=1)
    view, card = open_thread(page, live_server, post, who="bob")
    first = card.locator("li.comment", has_text="Comment number 1")
    # a reply box closed with Escape keeps its text: Reply says so and brings it back
    first.get_by_role("button", name="Reply").click()
    box = card.get_by_label("Reply to Ben Tester")
    box.fill("The front desk has it")
    box.press("Escape")
    expect(box).to_have_count(0)
    reply_button = first.get_by_role("button", name="Reply · draft")
    expect(reply_button).to_be_focused()
    reply_button.click()
    expect(box).to_have_value("The front desk has it")
    box.press("Escape")

    # the viewer's own comments
    writer = card.get_by_label("Write a comment")
    write(writer, card, "li.comment", "Mine, first", "Mine, second")
    mine = card.locator("li.comment", has_text="Mine, first")
    mine.hover()
    mine.get_by_role("button", name="Edit comment").click()
    card.get_by_role("textbox", name="Edit comment").press("Escape")
    expect(mine.get_by_role("button", name="Edit comment")).to_be_focused()

    mine.get_by_role("button", name="Delete comment").click()
    mine.get_by_role("button", name="Keep").click()
    expect(mine.get_by_role("button", name="Delete comment")).to_be_focused()
    delete(mine, "comment")
    expect(card.locator("li.comment", has_text="Mine, first")).to_have_count(0)
    expect(card.locator("li.comment", has_text="Mine, second")).to_be_focused()

    # the last one standing: focus goes to the comment box
    people["ben"].delete(f"/comments/{_comment_id(people, post, 'Comment number 1')}")
    expect(card.locator("li.comment", has_text="Comment number 1")).to_have_count(0)
    delete(card.locator("li.comment", has_text="Mine, second"), "comment")
    expect(card.locator("li.comment")).to_have_count(0)
    expect(writer).to_be_focused()


def test_escape_in_a_reply_box_on_a_phone_closes_the_box_not_the_pane(page, live_server, people):
    post = conversation(people, "Is there a bike shed at the Lyon office?", comments=1)
    page.set_viewport_size({"width": 390, "height": 844})
    page.add_init_script("localStorage.setItem('chatter:pane-open', '1')")
    view, card = open_thread(page, live_server, post)
    card.get_by_role("button", name="Reply").click()
    card.get_by_label("Reply to Ben Tester").fill("Behind building B")
    card.get_by_label("Reply to Ben Tester").press("Escape")
    expect(card.get_by_role("button", name="Reply · draft")).to_be_focused()
    expect(view.locator("[part=pane]")).to_be_visible()


def test_drafts_survive_switching_tab_and_sort(page, live_server, people):
    post = conversation(people, "Can interns claim the rail-first allowance?", comments=1)
    view, card = open_thread(page, live_server, post, who="carol")
    card.get_by_label("Write a comment").fill("Half a thought about interns")
    first = card.locator("li.comment", has_text="Comment number 1")
    first.get_by_role("button", name="Reply").click()
    card.get_by_label("Reply to Ben Tester").fill("Half a reply")

    view.get_by_role("tab", name="Everyone").click()
    again = view.locator(f"article.card[data-id='{post['id']}']")
    expect(again.get_by_label("Write a comment")).to_have_value("Half a thought about interns")
    expect(again.get_by_label("Reply to Ben Tester")).to_have_value("Half a reply")

    view.get_by_label("Sort conversations").select_option("active")
    again.get_by_label("Write a comment").fill("Interns: yes, from day one")
    view.get_by_role("tab", name="This page").click()
    expect(again.get_by_label("Write a comment")).to_have_value("Interns: yes, from day one")
    again.get_by_label("Write a comment").press("Control+Enter")
    expect(again.locator("li.comment", has_text="from day one")).to_be_visible()
    # posted: the draft is gone, and the box stays empty when the conversation comes back
    view.get_by_role("tab", name="Everyone").click()
    expect(again.get_by_label("Reply to Ben Tester")).to_have_value("Half a reply")
    expect(again.get_by_label("Write a comment")).to_have_value("")


def post_uncovered(box, card, text, said):
    """Post `text` from `box`: the comment shows, no toast covers it, a live region says `said`."""
    box.fill(text)
    box.press("Control+Enter")
    posted = card.locator("li.comment", has_text=text).last
    expect(posted).to_be_visible()
    assert posted.evaluate(
        """(item) => {
          const toast = item.getRootNode().querySelector('.toast');
          const [a, b] = [item.getBoundingClientRect(), toast.getBoundingClientRect()];
          const apart = a.bottom <= b.top || b.bottom <= a.top
            || a.right <= b.left || b.right <= a.left;
          return apart || !toast.classList.contains('show');
        }"""
    ), f"a toast covers “{text}”"
    expect(card.get_by_role("status").filter(has_text=said)).to_have_count(1)
    return posted


def test_the_comment_just_posted_is_not_covered(page, live_server, people):
    post = conversation(people, "Where do we park on the Lyon site?", comments=3)
    page.set_viewport_size({"width": 1280, "height": 560})
    _, card = open_thread(page, live_server, post)
    writer = card.get_by_label("Write a comment")
    writer.scroll_into_view_if_needed()
    posted = post_uncovered(writer, card, "Level -2 is for visitors", "Comment posted.")

    # a reply posted from a box at the bottom edge of the pane
    posted.get_by_role("button", name="Reply").click()
    box = card.get_by_label("Reply to Dan Diaz")
    box.evaluate("el => el.closest('form').scrollIntoView({block: 'end'})")
    post_uncovered(box, card, "And the barrier needs your badge", "Reply posted.")
    # posted: no draft left behind
    reply_button = posted.locator(".actions").get_by_role("button", name="Reply", exact=True)
    expect(reply_button).to_be_visible()


def test_replies_carry_pictures(page, live_server, people):
    post = conversation(people, "Photos of the new bike racks?", comments=1)
    _, card = open_thread(page, live_server, post)
    first = card.locator("li.comment", has_text="Comment number 1")
    first.get_by_role("button", name="Reply").click()
    reply_box = first.locator("form.composer")
    reply_box.locator("input[type=file]").set_input_files(
        [file("racks.jpg", "image/jpeg", picture(*SUNRISE))]
    )
    expect(reply_box.locator(".tile .status")).to_contain_text("Ready")
    card.get_by_label("Reply to Ben Tester").fill("Here they are")
    # closed and opened again, the box still has its text and its picture
    card.get_by_label("Reply to Ben Tester").press("Escape")
    first.get_by_role("button", name="Reply · draft").click()
    expect(reply_box.locator(".tile")).to_have_count(1)
    card.get_by_role("button", name="Reply", exact=True).last.click()
    reply = first.locator(".replies li.comment", has_text="Here they are")
    expect(reply.locator(".pics img")).to_have_count(1)
    assert people["ann"].get(f"/posts/{post['id']}/comments").json["items"][1]["images"]


def test_live_comments_land_in_their_threads(page, live_server, people):
    post = conversation(people, "Does the Lyon office have showers?", comments=7)
    _, card = open_thread(page, live_server, post)
    comments = card.locator(".comments > li.comment")
    expect(comments).to_have_count(5)
    card.get_by_role("button", name="View earlier comments").click()
    expect(comments).to_have_count(7)
    first = _comment_id(people, post, "Comment number 1")
    people["ben"].post(
        f"/posts/{post['id']}/comments", json={"body": "Yes, level 1", "parent_id": first}
    )
    people["cy"].post(f"/posts/{post['id']}/comments", json={"body": "And lockers"})
    expect(comments.first.locator(".replies li.comment")).to_have_text(re.compile("Yes, level 1"))
    expect(comments).to_have_count(8)
    expect(comments.last).to_contain_text("And lockers")


def test_focus_after_deleting_a_conversation(page, live_server, people):
    page.goto(f"{live_server.url}{URL}?as=carol")
    view = pane(page)
    start = view.get_by_label("Start a conversation")
    write(start, view, "article.card", "Older: lunch order", "Newer: who brings the projector?")
    newer = view.locator("article.card", has_text="Newer: who brings")
    delete(newer, "conversation")
    expect(newer).to_have_count(0)
    expect(view.locator("article.card").first).to_be_focused()
