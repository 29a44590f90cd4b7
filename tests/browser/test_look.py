"""Accessibility (axe-core), keyboard use and screenshots of the pane: light, dark, narrow."""

import pytest
from playwright.sync_api import expect

from tests.conftest import Api

from .support import AXE, pane, screenshot

SEED = [
    (
        "carol",
        "Carol Chen",
        "Chief Operating Officer",
        "Leadership",
        "Heads-up: the **new travel tool** goes live on Monday. Managers get a briefing pack — "
        "questions welcome right here.",
    ),
    (
        "bob",
        "Bob Baker",
        "Product Designer",
        "Design",
        "Does the rail-first rule apply to client visits too? Some of ours are 5h+ by train:\n\n"
        "- Berlin → Munich\n- Hamburg → Zurich",
    ),
    (
        "dan",
        "Dan Diaz",
        "Account Executive",
        "Sales",
        "Sales team is happy with the receipts change. `< €25` with no upload saves us hours.",
    ),
]


@pytest.fixture(scope="module")
def seeded(live_server):
    """The intranet page with a few conversations, a promotion, likes and a reply thread."""
    client = live_server.app.test_client()
    people = {
        sub: Api(client, sub, name=name, title=title, department=dept)
        for sub, name, title, dept, _ in SEED
    }
    url = f"{live_server.url}/examples/intranet.html"
    where = {"context": url, "context_title": "Travel policy 2026", "context_url": url}
    posts = [people[sub].new_post(body, **where) for sub, *_, body in SEED]
    for who in ("bob", "dan"):
        people[who].put(f"/posts/{posts[0]['id']}/promotion")
        people[who].put(f"/posts/{posts[0]['id']}/like")
    people["carol"].put(f"/posts/{posts[1]['id']}/like")
    thread = f"/posts/{posts[1]['id']}/comments"
    comment = people["carol"].post(thread, json={"body": "Yes — unless flying is shorter overall."})
    reply = {"body": "Thanks, that helps!", "parent_id": comment.json["id"]}
    people["bob"].post(thread, json=reply)
    return url


def open_pane(page, url):
    page.goto(f"{url}?as=alice")
    view = pane(page)
    expect(view.locator("article.card")).to_have_count(len(SEED))
    expect(view.locator(".promo")).to_have_count(1)
    return view


def open_thread(view):
    card = view.locator("article.card", has_text="rail-first")
    card.get_by_role("button", name="Comments").click()
    expect(view.locator(".replies .comment", has_text="Thanks, that helps")).to_be_visible()


def test_axe_finds_no_serious_violations(page, seeded):
    open_thread(open_pane(page, seeded))
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


def test_keyboard_reaches_tabs_and_composer(page, live_server):
    page.goto(f"{live_server.url}/examples/project.html?as=dan")
    view = pane(page)
    view.get_by_role("tab", name="This page").focus()
    page.keyboard.press("ArrowRight")
    expect(view.get_by_role("tab", name="Everyone")).to_have_attribute("aria-selected", "true")
    expect(view.get_by_role("tab", name="Everyone")).to_be_focused()
    view.get_by_label("Start a conversation").focus()
    page.keyboard.type("Typed with the keyboard only")
    page.keyboard.press("Control+Enter")
    expect(view.locator("article.card", has_text="Typed with the keyboard only")).to_be_visible()


def test_screenshots_light_dark_narrow(browser, seeded):
    light = browser.new_page(viewport={"width": 1440, "height": 900}, color_scheme="light")
    open_pane(light, seeded)
    light.wait_for_timeout(200)
    screenshot(light, "light-docked")
    chatter = light.locator("chatter-pane")
    chatter.get_by_role("button", name="Collapse Chatter").click()
    expect(chatter.get_by_role("button", name="Open Chatter")).to_be_visible()
    screenshot(light, "light-collapsed")
    light.reload()  # the closed state is remembered
    expect(chatter.get_by_role("button", name="Open Chatter")).to_be_visible()
    chatter.get_by_role("button", name="Open Chatter").click()
    light.close()

    dark = browser.new_page(viewport={"width": 1440, "height": 900}, color_scheme="dark")
    open_thread(open_pane(dark, seeded))
    dark.wait_for_timeout(200)
    screenshot(dark, "dark-docked")
    dark.close()

    narrow = browser.new_page(viewport={"width": 390, "height": 844}, color_scheme="light")
    narrow.goto(f"{seeded}?as=alice")
    handle = narrow.locator("chatter-pane").get_by_role("button", name="Open Chatter")
    expect(handle).to_be_visible()  # closed by default on a phone
    screenshot(narrow, "narrow-closed")
    handle.click()
    expect(narrow.locator("chatter-pane article.card")).to_have_count(len(SEED))
    narrow.wait_for_timeout(200)
    screenshot(narrow, "narrow-drawer")
    narrow.keyboard.press("Escape")
    expect(handle).to_be_visible()
    narrow.close()
