"""Two people talk through the pane: post, comment, like, promote, edit and delete their own."""

from playwright.sync_api import expect

from tests.conftest import Api

from .support import pane, promotions, reaction

HOSTILE = [
    '<img src=x onerror="alert(1)">',
    "<script>alert(1)</script>",
    '<a href="javascript:alert(1)">click</a>',
    "[click me](javascript:alert(1))",
    '<svg onload="alert(1)"><a xlink:href="javascript:alert(1)">x</a></svg>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<p style="background:url(javascript:alert(1))" onclick=alert(1)>x</p>',
]
DOM_AUDIT = """root => {
  const ALLOWED = /^(P|EM|STRONG|DEL|S|CODE|PRE|BLOCKQUOTE|UL|OL|LI|A|HR|BR|H[1-6])$/;
  const all = [...root.querySelectorAll('*')];
  return {
    scripts: all.filter(e => /^(SCRIPT|IFRAME|OBJECT|EMBED|IMG|STYLE)$/.test(e.tagName)).length,
    foreign: [...root.querySelectorAll('.body *')].filter(e => !ALLOWED.test(e.tagName)).length,
    handlers: all.filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
    styles: all.filter(e => e.hasAttribute('style')).length,
    js_links: all.filter(e => /^\\s*javascript:/i.test(e.getAttribute('href') || '')).length,
  };
}"""
CLEAN = {"scripts": 0, "foreign": 0, "handlers": 0, "styles": 0, "js_links": 0}


def card(view, text):
    return view.locator("article.card", has_text=text)


def post(view, text):
    view.get_by_label("Start a conversation").fill(text)
    view.get_by_label("Start a conversation").press("Control+Enter")
    expect(card(view, text)).to_be_visible()
    return card(view, text)


def test_two_people_see_each_others_activity(browser, live_server):
    alice_page = browser.new_context().new_page()
    alice_page.goto(f"{live_server.url}/examples/project.html?as=alice")
    alice = pane(alice_page)
    mine = post(alice, "Apollo beta opens to ten pilot customers in March")
    reaction(mine, "Like").click()
    expect(reaction(mine, "Like 1")).to_have_attribute("aria-pressed", "true")
    # Nobody promotes their own conversation (422 own_post): Carol does, through the API.
    carol = Api(live_server.app.test_client(), "carol", name="Carol")
    apollo = carol.get("/posts").json["items"][0]
    assert carol.put(f"/posts/{apollo['id']}/promotion").status_code == 200
    reaction(mine, "Comments").click()
    mine.get_by_label("Write a comment").fill("Pilot list is in the project folder")
    mine.get_by_role("button", name="Comment", exact=True).click()
    expect(mine.locator(".comment", has_text="Pilot list")).to_be_visible()
    expect(reaction(mine, "Comments 1")).to_be_visible()
    expect(reaction(mine, "Like 1")).to_have_attribute("aria-pressed", "true")

    bob_page = browser.new_context().new_page()
    bob_page.goto(f"{live_server.url}/examples/project.html?as=bob")
    bob = pane(bob_page)
    theirs = card(bob, "Apollo beta opens")
    expect(reaction(theirs, "Like 1")).to_have_attribute("aria-pressed", "false")
    expect(reaction(theirs, "Promote 1")).to_have_attribute("aria-pressed", "false")
    expect(reaction(theirs, "Comments 1")).to_be_visible()
    expect(theirs.get_by_role("button", name="Edit conversation")).to_have_count(0)
    expect(theirs.get_by_role("button", name="Delete conversation")).to_have_count(0)
    expect(bob.locator(".promoted .promo", has_text="Apollo beta opens")).to_be_visible()
    reaction(theirs, "Like 1").click()
    expect(reaction(theirs, "Like 2")).to_have_attribute("aria-pressed", "true")
    reaction(theirs, "Comments 1").click()
    pilot = theirs.locator(".comment", has_text="Pilot list")
    pilot.get_by_role("button", name="Reply").click()
    theirs.get_by_label("Reply to Alice Archer").fill("Thanks, adding two design partners")
    theirs.get_by_label("Reply to Alice Archer").press("Control+Enter")
    expect(pilot.locator(".replies .comment", has_text="design partners")).to_be_visible()

    alice_page.reload()
    mine = card(pane(alice_page), "Apollo beta opens")
    expect(reaction(mine, "Like 2")).to_have_attribute("aria-pressed", "true")
    # her own: the count, and no Promote (the server says can_promote: false)
    expect(promotions(mine)).to_have_text("1")
    expect(mine.get_by_role("button", name="Promote", exact=True)).to_have_count(0)
    expect(reaction(mine, "Comments 2")).to_be_visible()
    # Everyone shows it too, linked back to the page it came from
    pane(alice_page).get_by_role("tab", name="Everyone").click()
    link = card(pane(alice_page), "Apollo beta opens").locator(".context a")
    expect(link).to_have_text("Project Apollo")
    assert link.get_attribute("href").endswith("/examples/project.html")


def test_edit_and_delete_only_your_own(browser, live_server):
    bob_page = browser.new_context().new_page()
    bob_page.goto(f"{live_server.url}/examples/intranet.html?as=bob")
    bob = pane(bob_page)
    mine = post(bob, "Is the rail-first rule for client visits too?")
    mine = bob.locator(f"article.card[data-id='{mine.get_attribute('data-id')}']")
    mine.hover()
    mine.get_by_role("button", name="Edit conversation").click()
    editor = mine.get_by_role("textbox", name="Edit conversation")
    editor.fill("Does the rail-first rule apply to client visits?")
    mine.get_by_role("button", name="Save").click()
    edited = card(bob, "apply to client visits")
    expect(edited.locator(".edited")).to_be_visible()

    carol_page = browser.new_context().new_page()
    carol_page.goto(f"{live_server.url}/examples/intranet.html?as=carol")
    theirs = card(pane(carol_page), "apply to client visits")
    expect(theirs.locator(".own button")).to_have_count(2)  # no edit or delete: Copy link, Flag
    expect(theirs.get_by_role("button", name="Copy link to this conversation")).to_have_count(1)
    expect(theirs.get_by_role("button", name="Flag conversation")).to_have_count(1)

    edited.get_by_role("button", name="Delete conversation").click()
    edited.get_by_role("button", name="Delete", exact=True).click()
    expect(card(bob, "apply to client visits")).to_have_count(0)
    carol_page.reload()
    expect(card(pane(carol_page), "apply to client visits")).to_have_count(0)


def test_failed_post_keeps_the_draft_and_shows_why(page, live_server):
    page.goto(f"{live_server.url}/examples/intranet.html?as=dan")
    view = pane(page)
    box = view.get_by_label("Start a conversation")
    box.fill("x" * 4990)
    expect(view.locator(".composer .count").first).to_have_text("10")
    page.route(
        "**/api/v1/posts",
        lambda route: (
            route.fulfill(
                status=503,
                content_type="application/problem+json",
                body='{"title":"Unavailable","status":503,"detail":"Chatter is restarting."}',
            )
            if route.request.method == "POST"
            else route.continue_()
        ),
    )
    box.fill("Draft that must survive")
    box.press("Control+Enter")
    expect(view.get_by_role("alert").filter(has_text="Chatter is restarting.")).to_be_visible()
    expect(box).to_have_value("Draft that must survive")
    keys = []
    page.unroute("**/api/v1/posts")
    page.on(
        "request",
        lambda r: (
            keys.append(r.headers.get("idempotency-key"))
            if r.method == "POST" and r.url.endswith("/api/v1/posts")
            else None
        ),
    )
    view.get_by_role("button", name="Post", exact=True).click()
    expect(card(view, "Draft that must survive")).to_be_visible()
    assert len(keys) == 1 and keys[0]


def test_hostile_posts_are_inert(page, live_server):
    author = Api(live_server.app.test_client(), "mallory", name="Mallory <b>Evil</b>")
    for payload in HOSTILE:
        author.new_post(f"hostile: {payload}")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{live_server.url}/examples/intranet.html?as=alice")
    view = pane(page)
    view.get_by_role("tab", name="Everyone").click()
    expect(card(view, "hostile:")).to_have_count(len(HOSTILE))
    assert page.locator("chatter-pane").evaluate(f"el => ({DOM_AUDIT})(el.shadowRoot)") == CLEAN
    assert dialogs == []


def test_browser_sanitizer_rebuilds_only_allowed_markup(page, live_server):
    """The second line of defence, fed hostile HTML directly (as if the server had failed)."""
    # The widget stays unloaded: text.js on its own must be the one to create the page's only
    # Trusted Types policy, which the strict CSP allows once.
    page.route("**/chatter-pane.js", lambda route: route.abort())
    page.goto(f"{live_server.url}/examples/strict-csp.html")
    result = page.evaluate(
        """async ([payloads, audit]) => {
          const loader = await (await fetch('/embed.js')).text();
          const folder = loader.match(/widget\\/\\w+\\//)[0];
          const { renderHtml } = await import('/' + folder + 'text.js');
          const box = document.createElement('div');
          box.className = 'body';
          const ok = '<p><a href="https://ok.example/">ok</a></p>';
          for (const html of payloads) box.append(renderHtml(html + ok, ''));
          const links = box.querySelectorAll('a[href^="https:"][rel~=noopener]').length;
          return [eval(audit)(box), links];
        }""".replace("eval(audit)", f"({DOM_AUDIT})"),
        [HOSTILE, ""],
    )
    assert result == [CLEAN, len(HOSTILE)]
