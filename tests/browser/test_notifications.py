"""Attention in the pane: a permalink opens a conversation at a comment; the bell, its list and the
count on the launcher follow notifications live; the Following tab lists what one follows."""

import pytest
from playwright.sync_api import expect

from .test_live import LIVE, api_for

PROJECT = "project:apollo"


@pytest.fixture
def person(browser, live_server):
    """person("alice", "#chatter-post-4", open=False): a page of one person's, and its pane."""
    contexts = []

    def open_(sub, hash="", open=True, context=None, color_scheme="light"):
        if context is None:
            size = {"width": 1280, "height": 800}
            context = browser.new_context(viewport=size, color_scheme=color_scheme)
            contexts.append(context)
        page = context.new_page()
        page.add_init_script(f"localStorage.setItem('chatter:pane-open', '{int(open)}')")
        page.goto(f"{live_server.url}/examples/project.html?as={sub}{hash}")
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
    view.get_by_role("button", name="All conversations").click()
    expect(view.locator("article.card", has_text="Lyon slides")).to_have_count(0)  # not this page's
