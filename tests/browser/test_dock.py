"""The docked pane beside the page: room made on wide screens, an overlay drawer on narrow ones."""

import pytest
from playwright.sync_api import expect

from .support import pane, screenshot

# The one constructed sheet the pane adopts into the host document (and nothing else).
ROOM = """() => document.adoptedStyleSheets.map(
  (s) => [...s.cssRules].map((r) => r.cssText).join(' '))"""
LAYOUT = """() => {
  const box = (selector) => {
    const r = document.querySelector(selector)?.getBoundingClientRect();
    return r && [r.left, r.top, r.right, r.bottom];
  };
  return {article: box('main.article'), sidebar: box('aside.sidebar'), pane: box('chatter-pane'),
          margin: getComputedStyle(document.documentElement).marginRight};
}"""
MARGIN_380 = "@media (min-width: 1024px) {\n  html { margin-right: 380px !important; }\n}"


def overlaps(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def open_page(browser, url, width, height, open_=True):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.add_init_script(f"localStorage.setItem('chatter:pane-open', '{int(open_)}')")
    page.goto(url)
    page.locator("chatter-pane .feed[aria-busy=false]").wait_for(state="attached")
    return page


@pytest.fixture
def intranet(live_server):
    return f"{live_server.url}/examples/intranet.html?as=alice"


@pytest.mark.parametrize(("width", "height"), [(1600, 900), (1280, 800)])
def test_open_pane_sits_beside_the_page_and_closing_restores_it(browser, intranet, width, height):
    page = open_page(browser, intranet, width, height, open_=False)
    chatter = page.locator("chatter-pane")
    expect(chatter.get_by_role("button", name="Open Chatter")).to_be_visible()
    before = page.evaluate(LAYOUT)
    assert page.evaluate(ROOM) == []
    screenshot(page, f"dock-{width}-closed")

    chatter.get_by_role("button", name="Open Chatter").click()
    expect(chatter.get_by_role("button", name="Collapse Chatter")).to_be_visible()
    opened = page.evaluate(LAYOUT)
    assert page.evaluate(ROOM) == [MARGIN_380]
    assert opened["margin"] == "380px"
    assert opened["pane"][2] - opened["pane"][0] == 380
    assert not overlaps(opened["article"], opened["pane"]), opened
    assert not overlaps(opened["sidebar"], opened["pane"]), opened
    assert opened["sidebar"][2] <= opened["pane"][0]
    screenshot(page, f"dock-{width}-open")

    chatter.get_by_role("button", name="Collapse Chatter").click()
    expect(chatter.get_by_role("button", name="Open Chatter")).to_be_visible()
    assert page.evaluate(ROOM) == []
    assert page.evaluate(LAYOUT) == before
    page.close()


def test_room_follows_width_resizes_and_removal(browser, intranet):
    page = open_page(browser, intranet, 1280, 800)
    opened = page.evaluate(LAYOUT)
    assert not overlaps(opened["article"], opened["pane"])
    page.evaluate("document.documentElement.style.setProperty('--chatter-width', '420px')")
    page.locator("chatter-pane").evaluate("el => el.setAttribute('dock', 'beside')")
    assert page.evaluate(LAYOUT)["margin"] == "420px"

    page.set_viewport_size({"width": 900, "height": 800})  # narrower: an overlay again
    assert page.evaluate(LAYOUT)["margin"] == "0px"
    page.set_viewport_size({"width": 1280, "height": 800})
    assert page.evaluate(LAYOUT)["margin"] == "420px"

    page.locator("chatter-pane").evaluate("el => el.remove()")
    assert page.evaluate(ROOM) == []
    assert page.evaluate(LAYOUT)["margin"] == "0px"
    page.close()


def test_narrow_screen_gets_an_overlay_drawer(browser, intranet):
    page = open_page(browser, intranet, 800, 900)
    layout = page.evaluate(LAYOUT)
    assert layout["margin"] == "0px"
    assert overlaps(layout["article"], layout["pane"])  # over the page, not beside it
    page.close()


def with_dock(page, url, value):
    """Serve the intranet example with data-dock="value" on its script tag."""

    def serve(route):
        response = route.fetch()
        tag = f'async data-dock="{value}" data-token-url'
        route.fulfill(response=response, body=response.text().replace("async data-token-url", tag))

    page.route(url, serve)


def test_overlay_opt_out_keeps_the_page_as_it_is(browser, intranet):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    with_dock(page, intranet, "overlay")
    page.add_init_script("localStorage.setItem('chatter:pane-open', '1')")
    page.goto(intranet)
    pane(page)
    layout = page.evaluate(LAYOUT)
    assert page.evaluate(ROOM) == []
    assert layout["margin"] == "0px"
    assert layout["pane"][0] < layout["sidebar"][2]  # over the page, as before data-dock existed
    page.close()


def test_invalid_dock_is_reported_and_docks_beside(page, intranet, console_errors):
    with_dock(page, intranet, "floating")
    page.goto(intranet)
    pane(page)
    assert page.locator("chatter-pane").get_attribute("dock") == "beside"
    assert [e for e in console_errors if "Chatter:" in e] == [
        'console: Chatter: data-dock must be one of beside,overlay, not "floating"; using beside.'
    ]
