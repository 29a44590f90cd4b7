"""Search in the pane: a colleague from three letters of their name; a comment from two words,
highlighted, opened at its place in its conversation; from: and on:; the hints, the error and Try
again; Escape back to where one was. Against the real endpoint, on the test's own server."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import Api

from .support import SCREENSHOTS
from .test_notifications import serious_violations

PAGE = "project:apollo"  # examples/project.html
RAIL = "The rail booking tool moved to the travel portal last week, logins are the same."


@pytest.fixture(scope="module")
def corpus(live_server):
    """People and conversations to find: {name: Api} and the comment remembered."""
    client = live_server.app.test_client()
    people = {
        "grace": Api(
            client, "grace", name="Grace Okafor", title="Finance Lead", department="Finance"
        ),
        "bob": Api(client, "bob", name="Bob Baker", title="Product Designer", department="Design"),
        "alice": Api(client, "alice", name="Alice Archer"),
    }
    bob, grace, alice = people["bob"], people["grace"], people["alice"]
    post = bob.new_post("Which travel tools do we use now?", context=PAGE)
    # the comment is beyond the latest five threads the conversation opens at
    grace.post(
        f"/posts/{post['id']}/comments", json={"body": "Expenses still go through the old form."}
    )
    rail = grace.post(f"/posts/{post['id']}/comments", json={"body": RAIL}).json
    for n in range(6):
        bob.post(f"/posts/{post['id']}/comments", json={"body": f"Thanks, noted ({n})."})
    alice.new_post("Quarterly budget review: the notes are in the wiki.", context=PAGE)
    bob.new_post("Budget review for the design team, first draft.", context="wiki:design")
    # enough conversations for the feed to scroll
    for n in range(8):
        alice.new_post(f"Stand-up {n}\n\n" + "Yesterday, today, blockers.\n\n" * 4, context=PAGE)
    return {"people": people, "rail": rail, "post": post}


@pytest.fixture
def open_pane(browser, live_server, corpus):
    """open_pane("alice", color_scheme="dark", requests=[...]): the project page and its pane."""
    contexts = []

    def open_(sub="alice", color_scheme="light", requests=None):
        context = browser.new_context(
            viewport={"width": 1280, "height": 800}, color_scheme=color_scheme
        )
        contexts.append(context)
        page = context.new_page()
        if requests is not None:
            page.on("request", lambda r: requests.append(r.url))
        page.add_init_script("localStorage.setItem('chatter:pane-open', '1')")
        page.goto(f"{live_server.url}/examples/project.html?as={sub}")
        page.locator("chatter-pane .feed[aria-busy=false]").wait_for()
        return page, page.locator("chatter-pane")

    yield open_
    for context in contexts:
        context.close()


def field(view):
    return view.get_by_role("combobox", name="Search Chatter")


def results(view):
    return view.get_by_role("listbox", name="Search results")


def group(view, name):
    return results(view).get_by_role("group", name=name)


def search(page, view, text):
    """Focus the field with / from the pane, type `text` as a person does."""
    view.get_by_role("tab", name="This page").focus()
    page.keyboard.press("/")
    expect(field(view)).to_be_focused()
    field(view).press_sequentially(text, delay=30)


def test_three_letters_of_a_name_find_the_colleague(open_pane, corpus):
    requests = []
    page, view = open_pane(requests=requests)
    # the search code is not in the first load: it comes with the field's first focus
    assert not [url for url in requests if url.endswith("/later/search.js")]
    search(page, view, "gra")
    assert [url for url in requests if url.endswith("/later/search.js")]
    grace = group(view, "People").get_by_role("option", name=re.compile("Grace Okafor"))
    expect(grace).to_be_visible()
    expect(grace).to_contain_text("Finance Lead")
    # the results stand where the conversations were
    expect(view.locator("[part=feed]")).to_be_hidden()
    page.keyboard.press("ArrowDown")
    expect(grace).to_have_attribute("aria-selected", "true")
    expect(field(view)).to_have_attribute("aria-activedescendant", grace.get_attribute("id"))
    page.keyboard.press("Enter")
    card = view.get_by_role("dialog", name="Grace Okafor")
    expect(card.get_by_text("@grace.okafor", exact=True)).to_be_visible()
    page.keyboard.press("Escape")
    expect(card).to_be_hidden()
    expect(field(view)).to_be_focused()


def test_two_words_find_the_comment_highlighted_and_enter_opens_it_there(open_pane, corpus):
    page, view = open_pane()
    search(page, view, "rail booking")
    hit = group(view, "Comments").get_by_role("option").filter(has_text="travel portal")
    expect(hit).to_be_visible()
    expect(hit).to_contain_text("Grace Okafor")
    expect(hit).to_contain_text("on “Which travel tools do we use now?”")
    marks = hit.locator(".hit-text mark")
    expect(marks).to_have_text([re.compile("^rail$", re.I), re.compile("^booking$", re.I)])
    # the highlight is text and <mark> only
    assert hit.locator(".hit-text *:not(mark)").count() == 0
    options = results(view).get_by_role("option")
    for _ in range(options.count()):
        page.keyboard.press("ArrowDown")
        if hit.get_attribute("aria-selected") == "true":
            break
    expect(hit).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    comment = view.locator(f"li.comment[data-id='{corpus['rail']['id']}']")
    expect(comment).to_be_focused()
    expect(comment).to_contain_text("logins are the same")
    expect(view.get_by_role("button", name="All conversations")).to_be_visible()
    expect(results(view)).to_be_hidden()


def test_from_and_on_narrow_the_results(open_pane, corpus):
    page, view = open_pane()
    conversations = group(view, "Conversations").get_by_role("option")
    handle = corpus["people"]["bob"].user["handle"]
    search(page, view, f"budget from:{handle}")
    expect(conversations).to_have_count(1)
    expect(conversations).to_contain_text("design team")
    field(view).fill("budget")
    expect(conversations).to_have_count(2)
    only = view.get_by_role("button", name="Only on this page")
    expect(only).to_have_attribute("aria-pressed", "false")
    only.click()
    expect(field(view)).to_have_value(f"budget on:{PAGE}")
    expect(only).to_have_attribute("aria-pressed", "true")
    expect(conversations).to_have_count(1)
    expect(conversations).to_contain_text("Quarterly budget review")
    only.click()
    expect(field(view)).to_have_value("budget")
    expect(conversations).to_have_count(2)


def test_hints_when_nothing_matches_an_error_with_try_again_and_escape_back(open_pane, corpus):
    page, view = open_pane()
    # what comes at idle is there (it would move what the feed shows)
    expect(view.get_by_role("button", name="Follow this page")).to_be_visible()
    panel = view.locator("#panel")
    panel.evaluate("(el) => { el.scrollTop = 300; }")
    like = view.locator("article.card").nth(3).get_by_role("button", name="Like")
    like.focus()
    scrolled = panel.evaluate("(el) => el.scrollTop")
    assert scrolled > 0
    page.keyboard.press("/")
    expect(field(view)).to_be_focused()
    field(view).press_sequentially("zebracrossing", delay=30)
    state = view.locator("[part=search-view] .state")
    expect(state.locator(".state-title")).to_have_text("Nothing matches “zebracrossing”")
    hints = state.locator("dl.hints")
    for example in (
        '"rail booking"',
        "-draft",
        "from:handle",
        f"on:{PAGE}",
        "has:picture",
        "is:promoted",
    ):
        expect(hints.get_by_text(example, exact=True)).to_be_visible()
    # only operators: the server's sentence, with the hints
    field(view).fill("from:me")
    expect(state.locator(".state-title")).not_to_have_text(re.compile("Nothing matches"))
    expect(hints).to_be_visible()
    # the server out of reach: said, with Try again
    page.route("**/api/v1/search?*", lambda route: route.abort())
    field(view).fill("budget")
    alert = view.locator("[part=search-view]").get_by_role("alert")
    expect(alert).to_contain_text("Search is not available right now")
    page.unroute("**/api/v1/search?*")
    alert.get_by_role("button", name="Try again").click()
    expect(group(view, "Conversations").get_by_role("option").first).to_be_visible()
    expect(field(view)).to_be_focused()
    # Escape: back to the conversations, the focus and the scroll where they were
    page.keyboard.press("Escape")
    expect(results(view)).to_be_hidden()
    expect(like).to_be_focused()
    assert panel.evaluate("(el) => el.scrollTop") == scrolled
    expect(field(view)).to_have_value("")


def test_states_are_accessible_and_look_right_light_and_dark(open_pane, corpus):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    clip = {"x": 900, "y": 0, "width": 380, "height": 800}
    for scheme in ("light", "dark"):
        page, view = open_pane(color_scheme=scheme)
        search(page, view, "travel")
        expect(group(view, "Comments").get_by_role("option").first).to_be_visible()
        page.keyboard.press("ArrowDown")
        assert serious_violations(page) == []
        page.screenshot(
            path=str(SCREENSHOTS / f"search-results-{scheme}.png"), clip=clip, animations="disabled"
        )
        field(view).fill("zebracrossing")
        expect(view.locator("dl.hints")).to_be_visible()
        assert serious_violations(page) == []
        page.screenshot(
            path=str(SCREENSHOTS / f"search-empty-{scheme}.png"), clip=clip, animations="disabled"
        )
        page.route("**/api/v1/search?*", lambda route: route.abort())
        field(view).fill("travel tools")
        expect(view.get_by_role("button", name="Try again")).to_be_visible()
        assert serious_violations(page) == []
        page.screenshot(
            path=str(SCREENSHOTS / f"search-error-{scheme}.png"), clip=clip, animations="disabled"
        )


def test_a_highlight_keeps_only_its_marks(open_pane, corpus):
    """Whatever else a highlight holds (a proxy's, a bug's) is shown as text, never run."""
    post = corpus["people"]["bob"].get(f"/posts/{corpus['post']['id']}").json
    hostile = (
        '<img src=x onerror="window.ran=1"><mark>travel</mark> <b>tools</b> &amp; &lt;more&gt;'
    )
    answer = {"items": [{"type": "post", **post, "highlight": hostile}], "next_cursor": None}
    page, view = open_pane()
    page.route(
        "**/api/v1/search?*", lambda route: route.fulfill(json={**answer, "total_estimate": 1})
    )
    search(page, view, "travel")
    text = group(view, "Conversations").get_by_role("option").locator(".hit-text")
    expect(text).to_have_text('<img src=x onerror="window.ran=1">travel <b>tools</b> & <more>')
    expect(text.locator("mark")).to_have_text(["travel"])
    assert text.locator("*:not(mark)").count() == 0
    assert page.evaluate("window.ran") is None


def test_the_bell_takes_the_results_place_and_closing_it_shows_the_conversations(open_pane, corpus):
    page, view = open_pane()
    search(page, view, "budget")
    expect(results(view)).to_be_visible()
    view.locator("[part=bell]").click()
    expect(view.get_by_role("heading", name="Notifications")).to_be_visible()
    expect(results(view)).to_be_hidden()
    expect(view.locator("[part=feed]")).to_be_hidden()
    expect(view.get_by_role("tab", name="This page")).to_be_hidden()
    expect(field(view)).to_have_value("")
    view.locator("[part=bell]").click()
    expect(view.get_by_role("heading", name="Notifications")).to_be_hidden()
    expect(view.locator("[part=feed]")).to_be_visible()
    expect(results(view)).to_be_hidden()


def test_signing_out_while_searching_leaves_only_the_signed_out_state(open_pane, corpus):
    page, view = open_pane()
    search(page, view, "budget")
    expect(results(view)).to_be_visible()
    page.evaluate("Chatter.logout()")
    expect(view.get_by_text("You are signed out of Chatter.")).to_be_visible()
    expect(results(view)).to_be_hidden()
    expect(field(view)).to_be_hidden()
    view.get_by_role("button", name="Sign in").click()
    expect(view.locator("[part=feed]")).to_be_visible()
    expect(results(view)).to_be_hidden()
    expect(field(view)).to_have_value("")
