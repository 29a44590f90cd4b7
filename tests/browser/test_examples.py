"""Every example page mounts the pane cleanly; host page and pane cannot restyle each other."""

import importlib.util
import io
import json
import threading

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image
from playwright.sync_api import expect

from .support import ROOT, pane, screenshot

PAGES = ["intranet.html", "project.html", "strict-csp.html", "hostile-css.html", "team-room.html"]


@pytest.mark.parametrize("name", PAGES)
def test_example_mounts_without_errors(page, live_server, console_errors, name):
    page.goto(f"{live_server.url}/examples/{name}?as=alice")
    chatter = pane(page)
    assert page.locator("chatter-pane").count() == 1
    assert chatter.get_by_role("tab", name="This page").get_attribute("aria-selected") == "true"
    expect(chatter.get_by_text("Quiet so far")).to_be_visible()
    expect(chatter.locator(".badge")).to_have_text("DEV")
    page.wait_for_timeout(100)  # late console output
    assert console_errors == []
    globals_ = page.evaluate("Object.keys(window).filter(k => /chatter/i.test(k))")
    assert globals_ == ["Chatter"]


def test_strict_csp_page_is_really_strict(page, live_server, console_errors):
    response = page.goto(f"{live_server.url}/examples/strict-csp.html")
    csp = response.headers["content-security-policy"]
    assert "require-trusted-types-for 'script'" in csp and "unsafe-inline" not in csp
    chatter = pane(page)
    chatter.get_by_label("Start a conversation").fill("Posted under a **strict** CSP")
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    chatter.locator("input[type=file]").set_input_files(
        {"name": "p.png", "mimeType": "image/png", "buffer": buffer.getvalue()}
    )  # a blob: preview
    expect(chatter.locator(".tile")).to_contain_text("Ready")
    chatter.get_by_role("button", name="Post", exact=True).click()
    expect(chatter.locator(".card strong", has_text="strict")).to_be_visible()
    page.wait_for_function(
        "() => document.querySelector('chatter-pane').shadowRoot"
        ".querySelector('.card .pic img').naturalWidth > 0"
    )  # from /media/
    assert console_errors == []


def test_included_twice_mounts_once(page, live_server, console_errors):
    page.goto(f"{live_server.url}/examples/intranet.html")
    pane(page)
    page.add_script_tag(url=f"{live_server.url}/embed.js")
    page.wait_for_timeout(200)
    assert page.locator("chatter-pane").count() == 1
    assert console_errors == []


def test_host_css_cannot_hide_or_restyle_the_pane(page, live_server, console_errors):
    page.goto(f"{live_server.url}/examples/hostile-css.html")
    chatter = pane(page)
    box = page.locator("chatter-pane").bounding_box()
    # fills #chatter despite `chatter-pane { display: none !important }`
    assert box["width"] > 300 and box["height"] >= 600
    post = chatter.get_by_role("button", name="Post", exact=True)
    assert post.is_visible()  # despite `button { display: none !important }`
    style = post.evaluate("b => [getComputedStyle(b).textTransform, getComputedStyle(b).font]")
    assert style[0] == "none" and "ui-sans-serif" in style[1]
    assert chatter.get_by_role("tab", name="Everyone").is_visible()
    screenshot(page, "hostile-css-inline")
    assert console_errors == []


def test_pane_css_does_not_leak_into_the_host(page, live_server):
    page.goto(f"{live_server.url}/examples/intranet.html")
    read = """() => [...document.querySelectorAll('body *:not(chatter-pane)')].map(e => {
      const s = getComputedStyle(e);
      return [s.font, s.color, s.background, s.padding, s.border, s.display].join('|');
    })"""
    before = page.evaluate(read)
    pane(page)
    assert page.evaluate(read) == before
    assert page.evaluate("document.querySelectorAll('style').length") == 0
    # the one exception: an open pane docked beside the page makes room with the root's margin
    rules = "document.adoptedStyleSheets.map(s => [...s.cssRules].map(r => r.cssText))"
    margin = "@media (min-width: 1024px) {\n  html { margin-right: 380px !important; }\n}"
    assert page.evaluate(rules) == [[margin]]


@pytest.fixture(scope="module")
def host_server():
    path = ROOT / "examples" / "host_server.py"
    spec = importlib.util.spec_from_file_location("host_server", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    key = Ed25519PrivateKey.generate()
    server = module.make_server("http://unset", key)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.issuers = module.issuers_entry(key)
    server.port = server.server_address[1]
    yield server
    server.shutdown()
    server.server_close()


def test_cross_origin_page_signs_in_with_its_own_issuer(
    page, make_live_server, host_server, console_errors
):
    origin = f"http://127.0.0.1:{host_server.port}"
    chatter = make_live_server(CHATTER_ISSUERS=host_server.issuers, CHATTER_ALLOWED_ORIGINS=origin)
    host_server.chatter_url = chatter.url
    page.goto(f"{origin}/?as=frank")
    view = pane(page)
    expect(view.locator(".me [title='Signed in as Frank Fox']")).to_have_count(1)
    view.get_by_label("Start a conversation").fill("Hello from the finance intranet")
    view.get_by_role("button", name="Post", exact=True).click()
    card = view.locator(".card", has_text="Hello from the finance intranet")
    expect(card.locator(".meta")).to_have_text("Recruiter · People")
    assert json.loads(host_server.issuers)["northwind-intranet"]["keys"][0]["alg"] == "EdDSA"
    assert console_errors == []


def test_unlisted_origin_gets_a_clear_error(page, make_live_server, host_server, console_errors):
    chatter = make_live_server()  # allows no other origin
    host_server.chatter_url = chatter.url
    page.goto(f"http://localhost:{host_server.port}/")
    page.wait_for_function("() => window.Chatter")
    page.wait_for_timeout(500)
    assert any("CHATTER_ALLOWED_ORIGINS" in e for e in console_errors), console_errors
    assert page.locator("chatter-pane").count() == 0  # no empty element left in the page
