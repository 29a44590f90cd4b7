"""What a page load fetches: the loader and one widget module, both gzip-compressed."""

from .support import pane


def test_a_page_fetches_the_loader_and_one_compressed_module(page, live_server, console_errors):
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(f"{live_server.url}/examples/intranet.html")
    pane(page)
    scripts = {r.url.split("/")[-1]: r for r in responses if r.url.endswith(".js")}
    assert sorted(scripts) == ["chatter-pane.js", "embed.js"]
    for response in scripts.values():
        assert response.headers["content-encoding"] == "gzip"
        assert "Accept-Encoding" in response.headers["vary"]
    assert scripts["chatter-pane.js"].headers["cache-control"] == (
        "public, max-age=31536000, immutable")
    assert console_errors == []
