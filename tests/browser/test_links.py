"""Permalinks in a real browser: Copy link on cards and comments, and Chatter's own /c/{id}."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import Api

from .support import pane

SHOTS = Path("/work/notes/shots")


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(300)  # the toast's fade-in
    page.screenshot(path=str(SHOTS / f"links-{name}.png"))


@pytest.fixture(scope="module")
def talk(live_server):
    """A conversation on the project page with a comment, and one whose page is unknown."""
    client = live_server.app.test_client()
    alice, bob = Api(client, "alice", name="Alice Archer"), Api(client, "bob", name="Bob Baker")
    url = f"{live_server.url}/examples/project.html"
    post = alice.new_post(
        "Launch checklist: who owns the **release notes**?",
        context="project:apollo",
        context_title="Project Apollo",
        context_url=url,
    )
    comment = bob.post(f"/posts/{post['id']}/comments", json={"body": "I can take them."}).json
    lost = bob.new_post("Notes from the offsite, page gone", context="offsite:2026")
    bob.post(f"/posts/{lost['id']}/comments", json={"body": "Slides to follow."})
    return {"url": url, "post": post, "comment": comment, "lost": lost}


def clipboard_page(browser, live_server, scheme="light"):
    context = browser.new_context(viewport={"width": 1280, "height": 860}, color_scheme=scheme)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    return context.new_page()


def clipboard(page):
    return page.evaluate("navigator.clipboard.readText()")


def test_copy_link_on_a_card_and_on_a_comment(browser, live_server, talk, console_errors):
    page = clipboard_page(browser, live_server)
    page.on("pageerror", lambda e: console_errors.append(f"pageerror: {e}"))
    page.goto(f"{talk['url']}?as=carol")
    chatter = pane(page)
    card = chatter.locator("article.card", has_text="Launch checklist")
    # keyboard: the link button is reached by Tab like any other action of the card
    card.get_by_role("button", name="Like").focus()
    page.keyboard.press("Shift+Tab")
    expect(card.get_by_role("button", name="Flag conversation")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    copy = card.get_by_role("button", name="Copy link to this conversation")
    expect(copy).to_be_focused()
    page.keyboard.press("Enter")
    expect(chatter.locator(".toast")).to_have_text("Link copied")
    assert clipboard(page) == f"{talk['url']}#chatter-post-{talk['post']['id']}"
    shot(page, "card-copied-light")

    card.get_by_role("button", name="Comments").click()
    comment = card.locator("li.comment", has_text="I can take them.")
    comment.hover()
    comment.get_by_role("button", name="Copy link to this comment").click()
    expect(chatter.locator(".toast")).to_have_text("Link copied")
    assert clipboard(page) == f"{talk['url']}#chatter-comment-{talk['comment']['id']}"
    comment.hover()
    shot(page, "comment-copied-light")
    page.close()


def test_copy_link_without_the_clipboard_api(browser, live_server, talk):
    """Plain-http intranets have no navigator.clipboard: a selected text box is copied instead."""
    page = clipboard_page(browser, live_server, "dark")
    page.add_init_script("navigator.clipboard.writeText = () => Promise.reject(new Error('no'))")
    page.goto(f"{talk['url']}?as=carol")
    card = pane(page).locator("article.card", has_text="Launch checklist")
    card.hover()
    card.get_by_role("button", name="Copy link to this conversation").click()
    expect(page.locator("chatter-pane .toast")).to_have_text("Link copied")
    assert clipboard(page) == f"{talk['url']}#chatter-post-{talk['post']['id']}"
    expect(card.get_by_role("button", name="Copy link to this conversation")).to_be_focused()
    shot(page, "card-copied-dark")
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_chatters_own_page_opens_the_conversation(browser, live_server, talk, scheme):
    lost = talk["lost"]
    page = clipboard_page(browser, live_server, scheme)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/c/{lost['id']}?as=dan")
    assert page.url.endswith(f"/c/{lost['id']}?as=dan#chatter-post-{lost['id']}")
    chatter = pane(page)
    assert chatter.get_attribute("context") == "offsite:2026"
    card = chatter.locator("article.card", has_text="Notes from the offsite")
    expect(card).to_be_visible()
    expect(chatter.get_by_role("tab", name="This page")).to_have_attribute("aria-selected", "true")
    card.hover()
    card.get_by_role("button", name="Copy link to this conversation").click()
    expect(chatter.locator(".toast")).to_have_text("Link copied")
    assert clipboard(page) == f"{live_server.url}/c/{lost['id']}"
    page.wait_for_timeout(100)  # late console output (CSP violations among them)
    assert errors == []
    shot(page, f"page-{scheme}")
    page.close()


def test_a_comment_link_keeps_its_fragment_and_unknown_ids_are_a_page(browser, live_server, talk):
    page = browser.new_page()
    lost = talk["lost"]
    page.goto(f"{live_server.url}/c/{lost['id']}#chatter-comment-99")
    assert page.url.endswith("#chatter-comment-99")
    pane(page)
    response = page.goto(f"{live_server.url}/c/987654")
    assert response.status == 404
    expect(page.get_by_role("heading", name="This conversation is not here")).to_be_visible()
    shot(page, "missing")
    page.close()
