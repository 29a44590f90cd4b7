"""Cards: bylines on one line, cut names and titles readable, long posts collapsed."""

import pytest
from playwright.sync_api import expect

from tests.conftest import Api

from .support import contrast_violations, pane

LONG_NAME = "Maximiliane Alexandra von Featherstonehaugh-Worthington"
LONG_TITLE = "Senior Principal Director of Global Procurement Operations"
PARAGRAPH = (
    "Here is everything we learned from the travel tool pilot, team by team, with the numbers "
    "behind each change and what we would do differently next time. "
) * 4
LONG_POST = "\n\n".join([PARAGRAPH.strip()] * 8)[:4460]
WIDTHS = [(1280, 800), (390, 844)]


@pytest.fixture(scope="module")
def seeded(live_server):
    return seed(live_server)


def seed(live_server):
    """Carol's own conversation and comment, a colleague with a long name, a long post."""
    client = live_server.app.test_client()
    carol = Api(client, "carol", name="Carol Chen")
    max_ = Api(client, "max", name=LONG_NAME, title=LONG_TITLE, department="Procurement")
    url = f"{live_server.url}/examples/intranet.html"
    where = {"context": url, "context_title": "Travel policy 2026", "context_url": url}
    theirs = max_.new_post("Who is joining the supplier day in March?", **where)
    carol.post(f"/posts/{theirs['id']}/comments", json={"body": "Count me in."})
    carol.new_post("Reminder: submit your receipts by Friday.", **where)
    max_.new_post(LONG_POST, **where)
    return url


@pytest.fixture(params=WIDTHS, ids=["desk", "phone"])
def carol(browser, seeded, request):
    """Carol's pane, open, at a desk's or a phone's width."""
    width, height = request.param
    page = browser.new_page(viewport={"width": width, "height": height})
    page.add_init_script("localStorage.setItem('chatter:pane-open', '1')")
    page.goto(f"{seeded}?as=carol")
    pane(page)
    yield page
    page.close()


def card(page, text):
    return page.locator("chatter-pane article.card", has_text=text)


def box(locator):
    return locator.evaluate(
        """el => { const r = el.getBoundingClientRect();
        return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height,
                line: parseFloat(getComputedStyle(el).lineHeight)}; }"""
    )


def assert_one_line(byline):
    """The name and the time sit side by side, each one line high."""
    name, when = box(byline.locator(".name")), box(byline.locator(".when"))
    assert name["height"] <= name["line"] + 1, name
    assert when["height"] <= when["line"] + 1, when
    assert when["top"] < name["bottom"] and name["top"] < when["bottom"], (name, when)
    assert when["left"] >= name["right"], (name, when)


def test_delete_question_leaves_the_byline_on_one_line(carol):
    mine = card(carol, "submit your receipts")
    mine.hover()
    mine.get_by_role("button", name="Delete conversation").click()
    question = mine.get_by_role("group", name="Delete this conversation?")
    expect(question).to_be_visible()
    byline = mine.locator(":scope > .head .byline")
    assert_one_line(byline)
    assert box(question)["top"] >= box(byline)["bottom"]
    assert box(question)["right"] <= box(mine)["right"]

    mine.get_by_role("button", name="Keep").click()
    expect(question).to_have_count(0)
    assert_one_line(byline)


def test_own_comment_byline_gets_the_full_width(carol):
    theirs = card(carol, "supplier day")
    theirs.get_by_role("button", name="Comments").click()
    comment = theirs.locator(".comment", has_text="Count me in")
    expect(comment.get_by_role("button", name="Edit comment")).to_be_attached()
    byline, head = comment.locator(".byline"), comment.locator(".head")
    assert_one_line(byline)
    # the hidden edit and delete buttons take no width: the name and title reach the edge
    assert abs(box(byline.locator(".who"))["right"] - box(head)["right"]) <= 1
    comment.locator(".byline").hover()
    expect(comment.get_by_role("button", name="Edit comment")).to_be_visible()
    assert_one_line(byline)


def test_cut_names_and_titles_have_a_tooltip(carol):
    byline = card(carol, "supplier day").locator(":scope > .head .byline")
    name, meta = byline.locator(".name"), byline.locator(".meta")
    assert name.evaluate("el => el.scrollWidth > el.clientWidth")  # cut with an ellipsis
    expect(name).to_have_attribute("title", LONG_NAME)
    expect(meta).to_have_attribute("title", f"{LONG_TITLE} · Procurement")
    assert_one_line(byline)


def test_long_posts_collapse_with_show_more(carol):
    long = card(carol, "travel tool pilot")
    more = long.get_by_role("button", name="Show more")
    expect(more).to_have_attribute("aria-expanded", "false")
    text = long.locator(".body")
    assert box(text)["height"] <= 11 * box(text)["line"]
    assert text.evaluate("el => el.scrollHeight > el.clientHeight")

    more.focus()
    carol.keyboard.press("Enter")
    less = long.get_by_role("button", name="Show less")
    expect(less).to_have_attribute("aria-expanded", "true")
    expect(less).to_be_focused()
    assert text.evaluate("el => el.scrollHeight <= el.clientHeight")
    assert box(text)["height"] > 20 * box(text)["line"]

    carol.keyboard.press("Enter")
    expect(more).to_be_focused()
    expect(more).to_be_in_viewport()
    assert box(text)["height"] <= 11 * box(text)["line"]

    # a post that fits is never cut and offers nothing to expand
    short = card(carol, "submit your receipts")
    expect(short.locator(".body")).to_be_visible()
    expect(short.get_by_role("button", name="Show more")).to_have_count(0)
    assert short.locator(".body").evaluate("el => el.scrollHeight <= el.clientHeight")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_delete_question_is_readable_in_both_themes(browser, seeded, scheme):
    page = browser.new_page(viewport={"width": 1280, "height": 800}, color_scheme=scheme)
    page.add_init_script("localStorage.setItem('chatter:pane-open', '1')")
    page.goto(f"{seeded}?as=carol")
    pane(page)
    mine = card(page, "submit your receipts")
    mine.hover()
    mine.get_by_role("button", name="Delete conversation").click()
    expect(mine.get_by_role("group", name="Delete this conversation?")).to_be_visible()
    page.mouse.move(0, 0)  # no hover colours: the question as it sits
    found = [v for v in contrast_violations(page) if "danger" in str(v) or "Delete" in str(v)]
    assert found == [], found
    page.close()
