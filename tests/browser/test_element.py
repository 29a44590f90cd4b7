"""<chatter-pane> used directly: its attributes, parts and events (README, "Using the element")."""

from playwright.sync_api import expect

from tests.conftest import Api

from .support import pane, screenshot
from .test_live import SOCKETS, wait_until_live

# The pane's events, as a host would listen to them.
HEARING = """window.heard = [];
for (const type of ['chatter:ready', 'chatter:unread']) document.addEventListener(type, (e) =>
  heard.push([type, type === 'chatter:ready' ? e.detail.user.name : e.detail.count]));"""
HEARD = "() => window.heard"


def test_a_host_drives_the_element_by_its_attributes(page, live_server, console_errors):
    """examples/team-room.html places the element itself, with attributes and a styled part."""
    page.add_init_script(HEARING)
    page.goto(f"{live_server.url}/examples/team-room.html?as=alice")
    view = pane(page)
    expect(view.locator(".me-inner")).to_have_attribute("title", "Signed in as Alice Archer")
    assert page.locator("chatter-pane").count() == 1  # the loader used the host's element
    # the host's attributes are kept; the loader filled in the rest
    assert view.evaluate(
        "el => [el.getAttribute('context'), el.getAttribute('theme'), "
        "el.getAttribute('mode'), el.getAttribute('api')]"
    ) == ["team:room", "dark", "inline", live_server.url]
    page.wait_for_function("() => heard.length > 0")
    assert page.evaluate(HEARD) == [["chatter:ready", "Alice Archer"]]
    expect(view.locator("[part=header]")).to_have_css("border-bottom-color", "rgb(245, 158, 11)")
    for part in ["pane", "tabs", "composer", "promoted", "feed", "launcher"]:
        assert view.locator(f"[part~={part}]").count() == 1, part

    view.get_by_label("Start a conversation").fill("Stand-up moves to 9:30")
    view.get_by_role("button", name="Post").click()
    expect(view.locator("article.card", has_text="Stand-up moves")).to_be_visible()
    reader = Api(live_server.app.test_client(), "frank")
    posts = reader.get("/posts", query_string={"context": "team:room"}).json["items"]
    assert [(p["body"], p["context"]["title"]) for p in posts] == [
        ("Stand-up moves to 9:30", "Team room")
    ]
    screenshot(page, "element-team-room")

    # a single-page host moves on: a new context shows its own conversations
    view.evaluate("el => el.setAttribute('context', 'team:other-room')")
    expect(view.get_by_text("Quiet so far")).to_be_visible()
    view.evaluate("el => el.setAttribute('context', 'team:room')")
    expect(view.locator("article.card", has_text="Stand-up moves")).to_be_visible()
    assert console_errors == []


def test_the_collapsed_pane_counts_what_is_new(browser, live_server):
    """The launcher counts unread notifications and conversations new on this page (chatter:unread);
    opening the pane clears the news, reading clears the notifications."""
    client = live_server.app.test_client()
    bob, dan = Api(client, "bob"), Api(client, "dan")
    here = {"context": f"{live_server.url}/examples/intranet.html"}
    mine = Api(client, "alice").new_post("Who has the projector adapter?", **here)
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.add_init_script("localStorage.setItem('chatter:pane-open', '0')")
    page.add_init_script(SOCKETS)
    page.add_init_script(
        "window.heard = []; document.addEventListener('chatter:unread', "
        "(e) => heard.push(e.detail.count))"
    )
    page.goto(f"{live_server.url}/examples/intranet.html?as=alice")
    chatter = page.locator("chatter-pane")
    chatter.locator(".feed[aria-busy=false]").wait_for(state="attached")
    wait_until_live(page)
    launcher = chatter.locator("[part=launcher]")
    expect(launcher).to_have_accessible_name("Open Chatter")

    bob.new_post("Printer on 3 is fixed", **here)
    dan.new_post("Elsewhere entirely", context="wiki:other")  # another page: not news here
    bob.post(f"/posts/{mine['id']}/comments", json={"body": "In the drawer by the window"})
    expect(launcher).to_have_accessible_name("Open Chatter (2 new)", timeout=5000)
    expect(chatter.locator("[part=unread]")).to_have_text("2")
    assert page.evaluate(HEARD) == [1, 2]
    screenshot(page, "element-launcher-unread-light")

    launcher.click()
    expect(chatter.get_by_role("button", name="Collapse Chatter")).to_be_visible()
    # Bob's comment on Alice's conversation is a notification: it stays until read
    page.wait_for_function("() => heard.at(-1) === 1")
    expect(chatter.locator("[part=bell]")).to_have_accessible_name("Notifications: 1 unread")
    chatter.get_by_role("button", name="Collapse Chatter").click()
    expect(launcher).to_have_accessible_name("Open Chatter (1 new)")
    launcher.click()
    chatter.locator("[part=bell]").click()
    chatter.get_by_role("button", name="Mark all as read").click()
    expect(chatter.locator("[part=bell]")).to_have_accessible_name("Notifications")
    chatter.get_by_role("button", name="Collapse Chatter").click()
    expect(launcher).to_have_accessible_name("Open Chatter")
    expect(chatter.locator("[part=unread]")).to_be_hidden()
    assert page.evaluate(HEARD) == [1, 2, 1, 0]
    page.close()
