"""The pane signs in from every identity source the loader accepts, not only data-token-url."""

import pytest
from playwright.sync_api import expect

from .support import pane

TOKEN_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Token</title></head><body>
<main class="article"><h1>Signed in by {how}</h1></main>{script}</body></html>"""


@pytest.mark.parametrize("how", ["data-token", "configure", "preset"])
def test_other_identity_sources_still_sign_in(page, live_server, how):
    """Besides data-token-url: an inline token, Chatter.configure() after the tag, a preset."""
    client = live_server.app.test_client()
    token = client.get("/dev/identity-token?sub=erin&name=Erin").json["identity_token"]
    fetch = (
        "async () => (await (await fetch('/dev/identity-token?sub=erin&name=Erin'))"
        ".json()).identity_token"
    )
    script = {
        "data-token": f'<script src="/embed.js" data-token="{token}"></script>',
        "configure": '<script src="/embed.js"></script>'
        f"<script>Chatter.configure({{getIdentityToken: {fetch}}})</script>",
        "preset": f"<script>window.Chatter = {{getIdentityToken: {fetch}}}</script>"
        '<script src="/embed.js"></script>',
    }[how]
    url = f"{live_server.url}/examples/token-{how}.html"
    page.route(
        url,
        lambda route: route.fulfill(
            content_type="text/html", body=TOKEN_PAGE.format(how=how, script=script)
        ),
    )
    page.add_init_script("localStorage.setItem('chatter:pane-open', '1')")
    page.goto(url)
    view = pane(page)
    expect(view.locator(".me-inner")).to_have_attribute("title", "Signed in as Erin")
    view.get_by_label("Start a conversation").fill(f"Posted via {how}")
    view.get_by_role("button", name="Post").click()
    expect(view.locator("article.card", has_text=f"Posted via {how}")).to_be_visible()
