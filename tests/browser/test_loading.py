"""What a page load fetches: the loader and one widget module, both gzip-compressed."""

from playwright.sync_api import expect

from .support import pane


def test_a_page_fetches_the_loader_and_one_compressed_module(page, live_server, console_errors):
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(f"{live_server.url}/examples/intranet.html")
    pane(page)
    # Modules under later/ may load when the browser is idle (the attention module does): they
    # are not the first load.
    scripts = {
        r.url.split("/")[-1]: r
        for r in responses
        if r.url.endswith(".js") and "/later/" not in r.url
    }
    assert sorted(scripts) == ["chatter-pane.js", "embed.js"]
    for response in scripts.values():
        assert response.headers["content-encoding"] == "gzip"
        assert "Accept-Encoding" in response.headers["vary"]
    assert scripts["chatter-pane.js"].headers["cache-control"] == (
        "public, max-age=31536000, immutable"
    )
    assert console_errors == []


def test_the_skeleton_shows_while_the_early_sign_in_is_on_its_way(page, live_server):
    held = []
    page.route("**/api/v1/session", lambda route: held.append(route))
    page.goto(f"{live_server.url}/examples/intranet.html")
    chatter = page.locator("chatter-pane")
    expect(chatter.locator(".feed .skeleton")).to_have_count(3)
    expect(chatter.get_by_label("Start a conversation")).to_be_visible()
    expect(chatter.get_by_text("Signing you in")).to_have_count(0)
    held[0].continue_()
    pane(page)
    expect(chatter.locator(".feed .skeleton")).to_have_count(0)
    expect(chatter.locator(".me [title^='Signed in as']")).to_have_count(1)
