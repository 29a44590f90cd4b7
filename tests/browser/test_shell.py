"""The pane's shell, as a reader meets it: where a post goes, a failed sign-in in words, the
Promoted strip (whole cards, "See all", focus rings), plurals and contrast in both themes."""

import pytest
from playwright.sync_api import expect

from tests.conftest import Api

from .support import contrast_violations, pane, screenshot

TITLE = "Travel policy 2026 — Northwind Intranet"
# (author, body, promoted by) — three promoted conversations and one that is not
POSTS = [
    ("carol", "Rail-first for trips under five hours starts in March.", ["bob", "dan", "erin"]),
    ("bob", "Booking tool demo on Thursday: bring your questions.", ["carol"]),
    ("dan", "Receipts under 25 euros need no upload any more.", ["bob", "carol"]),
    ("erin", "Where do I find the per-diem table?", []),
]


@pytest.fixture(scope="module")
def seeded(live_server):
    """The intranet page with three promoted conversations (3, 1 and 2 promotions) and one other."""
    client = live_server.app.test_client()
    people = {sub: Api(client, sub) for sub in ("bob", "carol", "dan", "erin")}
    url = f"{live_server.url}/examples/intranet.html"
    where = {"context": url, "context_title": TITLE, "context_url": url}
    for author, body, backers in POSTS:
        post = people[author].new_post(body, **where)
        for who in backers:
            people[who].put(f"/posts/{post['id']}/promotion")
    return url


def open_pane(page, url, who="alice"):
    page.goto(f"{url}?as={who}")
    view = pane(page)
    expect(view.locator(".promo")).to_have_count(3)
    return view


PLACEHOLDER_CONTRAST = """el => {
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (c) => {
    const [r, g, b] = rgb(c).map((v) => (v /= 255) <= 0.03928
      ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const fg = lum(getComputedStyle(el, '::placeholder').color);
  const bg = lum(getComputedStyle(el.closest('.composer')).backgroundColor);
  return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
}"""


def test_composer_says_where_a_post_goes_on_both_tabs(page, seeded):
    view = open_pane(page, seeded)
    field = view.get_by_label("Start a conversation")
    where = view.locator(".composer .where")
    expect(where).to_have_text(f"Posting on {TITLE}")
    expect(field).to_have_accessible_description(f"Posting on {TITLE}")
    view.get_by_role("tab", name="Everyone").click()
    expect(view.locator(".feed[aria-busy=false]")).to_be_visible()
    expect(where).to_be_visible()
    expect(where).to_have_text(f"Posting on {TITLE}")
    field.fill("Posted from the Everyone tab")
    view.get_by_role("button", name="Post", exact=True).click()
    expect(view.locator(".toast")).to_have_text(f"Posted on {TITLE}.")
    card = view.locator("article.card", has_text="Posted from the Everyone tab")
    expect(card.locator(".context a")).to_have_text(TITLE)


def test_a_failed_sign_in_says_what_happened_and_retries(page, seeded):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.route("**/dev/identity-token*", lambda route: route.fulfill(status=500, body="oops"))
    page.goto(f"{seeded}?as=alice")
    chatter = page.locator("chatter-pane")
    alert = chatter.get_by_role("alert")
    expect(alert.locator(".state-title")).to_have_text("Chatter could not sign you in")
    expect(alert.locator(".state-text")).to_have_text(
        "This page did not provide your identity (the intranet answered 500). "
        "Try again, or reload the page."
    )
    expect(chatter.get_by_role("tab")).to_have_count(0)  # nothing to browse before signing in
    detail = alert.locator(".state-detail")
    expect(detail).to_contain_text("/dev/identity-token")
    # the technical line wraps inside the pane: nothing of it is cut at the pane's edge
    inside = detail.evaluate(
        "el => { const r = el.getBoundingClientRect();"
        " const p = el.closest('.pane').getBoundingClientRect();"
        " return el.scrollWidth <= el.clientWidth && r.left >= p.left && r.right <= p.right; }"
    )
    assert inside
    assert contrast_violations(page) == []
    page.unroute("**/dev/identity-token*")
    chatter.get_by_role("button", name="Try again").click()
    expect(chatter.locator(".feed[aria-busy=false] article.card").first).to_be_visible()
    expect(alert).to_have_count(0)
    expect(chatter.get_by_role("tab", name="Everyone")).to_be_visible()


RING = """el => {
  const cs = getComputedStyle(el), list = el.closest('.promo-list');
  const grow = parseFloat(cs.outlineOffset) + parseFloat(cs.outlineWidth);
  const r = el.getBoundingClientRect(), l = list.getBoundingClientRect();
  // the list's padding box: what its overflow clips to
  const box = {left: l.left + list.clientLeft, top: l.top + list.clientTop};
  box.right = box.left + list.clientWidth;
  box.bottom = box.top + list.clientHeight;
  return cs.outlineStyle !== 'none'
    && r.left - grow >= box.left - 0.5 && r.right + grow <= box.right + 0.5
    && r.top - grow >= box.top - 0.5 && r.bottom + grow <= box.bottom + 0.5;
}"""

CUT = """list => {
  const l = list.getBoundingClientRect();
  return [...list.querySelectorAll('.promo')].filter((el) => {
    const r = el.getBoundingClientRect();
    const seen = r.right > l.left + 1 && r.left < l.right - 1;
    return seen && (r.left < l.left - 1 || r.right > l.right + 1);
  }).length;
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_promoted_strip_shows_whole_cards_rings_and_see_all(page, seeded, width):
    page.set_viewport_size({"width": width, "height": 844})
    page.add_init_script("localStorage.setItem('chatter:pane-open', '1')")
    view = open_pane(page, seeded)
    strip = view.locator(".promo-list")
    promos = view.locator(".promo")
    # most promoted first; no card is cut in half, at the start or scrolled to any card
    expect(promos.first).to_contain_text("Rail-first")
    assert strip.evaluate(CUT) == 0
    promos.first.focus()
    page.keyboard.press("Tab")  # to the second card, then back: the keyboard shows the ring
    page.keyboard.press("Shift+Tab")
    for i in range(3):
        if i:
            page.keyboard.press("Tab")
        card = promos.nth(i)
        expect(card).to_be_focused()
        # the list scrolls (and snaps) to the focused card: then its ring and every card are whole
        whole = f"el => ({RING})(el) && ({CUT})(el.closest('.promo-list')) === 0"
        page.wait_for_function(whole, arg=card.element_handle(), timeout=5000)
    view.get_by_role("button", name="See all promoted conversations").click()
    expect(view.get_by_role("heading", name="Promoted conversations")).to_be_visible()
    expect(strip).to_be_hidden()  # the list replaces the strip while it is shown
    cards = view.locator(".feed[aria-busy=false] article.card")
    expect(cards).to_have_count(3)
    expect(cards.first).to_contain_text("Rail-first")
    expect(view.locator("article.card", has_text="per-diem")).to_have_count(0)
    back = view.get_by_role("button", name="All conversations")
    expect(back).to_be_focused()
    back.click()
    expect(view.locator("article.card", has_text="per-diem")).to_be_visible()
    expect(view.get_by_role("heading", name="Promoted conversations")).to_be_hidden()
    expect(view.get_by_role("button", name="See all promoted conversations")).to_be_focused()


def test_promotion_counts_say_person_and_people(page, seeded):
    view = open_pane(page, seeded)
    promote = view.locator("article.card", has_text="Rail-first").get_by_role(
        "button", name="Promote"
    )
    expect(promote).to_have_attribute("title", "Promoted by 3 people")
    promote = view.locator("article.card", has_text="Booking tool").get_by_role(
        "button", name="Promote"
    )
    expect(promote).to_have_attribute("title", "Promoted by 1 person")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_text_reaches_4_5_to_1(page, seeded, scheme):
    page.emulate_media(color_scheme=scheme)
    view = open_pane(page, seeded)
    field = view.get_by_label("Start a conversation")
    assert field.evaluate(PLACEHOLDER_CONTRAST) >= 4.5
    field.fill("A draft: the Ctrl ↵ hint shows now")
    expect(view.locator(".composer .hint").first).to_be_visible()
    assert contrast_violations(page) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots_of_the_shell(browser, seeded, scheme, width):
    page = browser.new_page(viewport={"width": width, "height": 844}, color_scheme=scheme)
    page.add_init_script("localStorage.setItem('chatter:pane-open', '1')")
    view = open_pane(page, seeded)
    name = f"shell-{scheme}-{width}"
    screenshot(page, f"{name}-strip")
    view.get_by_role("tab", name="Everyone").click()
    view.get_by_label("Start a conversation").fill("Where does this go?")
    expect(view.locator(".composer .hint").first).to_be_visible()
    screenshot(page, f"{name}-everyone-composer")
    view.get_by_role("tab", name="This page").click()
    view.get_by_role("button", name="See all promoted conversations").click()
    expect(view.locator(".feed[aria-busy=false] article.card")).to_have_count(3)
    screenshot(page, f"{name}-see-all")
    page.route("**/dev/identity-token*", lambda route: route.fulfill(status=500, body="oops"))
    page.reload()
    expect(view.get_by_role("alert")).to_be_visible()
    screenshot(page, f"{name}-sign-in-failed")
    page.close()
