"""Pictures through the pane: attach by picker, drop and paste, upload, post, see and open them."""

import base64
import io
import re

from PIL import Image, ImageDraw
from playwright.sync_api import expect

from .support import pane, screenshot

TEXT = "Off-site prep with the pitch team"
LOADED = """n => {
  const root = document.querySelector('chatter-pane').shadowRoot;
  const imgs = [...root.querySelectorAll('article .pics img')];
  return imgs.length === n && imgs.every(i => i.complete && i.naturalWidth > 0);
}"""
SUNRISE = ((1200, 800), "#f4a261", "#264653")
HARBOUR = ((900, 900), "#8ecae6", "#023047", "PNG")
DUSK = ((800, 1000), "#cdb4db", "#6d597a", "PNG")
TRANSFER = """([name, type, b64]) => {
  const dt = new DataTransfer();
  dt.items.add(new File([Uint8Array.from(atob(b64), c => c.charCodeAt(0))], name, {type}));
  return dt;
}"""
PASTE = (
    "(el, dt) => el.dispatchEvent(new ClipboardEvent('paste', "
    "{clipboardData: dt, bubbles: true, cancelable: true, composed: true}))"
)


def picture(size, sky, ground, fmt="JPEG"):
    """A small landscape: a gradient sky, a sun and a hill, so screenshots look like photos."""
    w, h = size
    image = Image.composite(
        Image.new("RGB", size, ground),
        Image.new("RGB", size, sky),
        Image.linear_gradient("L").resize(size),
    )
    draw = ImageDraw.Draw(image)
    draw.ellipse((w * 0.62, h * 0.18, w * 0.78, h * 0.18 + w * 0.16), fill="#ffd166")
    draw.ellipse((-w * 0.3, h * 0.62, w * 0.9, h * 1.6), fill=ground)
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def file(name, mime, data):
    return {"name": name, "mimeType": mime, "buffer": data}


def transfer(page, name, mime, data):
    return page.evaluate_handle(TRANSFER, [name, mime, base64.b64encode(data).decode()])


def test_attach_post_see_and_open_pictures(browser, live_server):
    url = f"{live_server.url}/examples/project.html"
    bob_page = browser.new_context(viewport={"width": 1280, "height": 860}).new_page()
    bob_errors = []
    bob_page.on("console", lambda m: bob_errors.append(m.text) if m.type == "error" else None)
    bob_page.goto(f"{url}?as=bob", wait_until="commit")  # both load at once
    page = browser.new_context(viewport={"width": 1280, "height": 860}).new_page()
    page.goto(f"{url}?as=alice")
    alice = pane(page)
    bob = pane(bob_page)
    composer = alice.locator("form.composer").first
    tiles = composer.locator(".tile")

    # refused in the browser (not a picture type) and by the server (text named .png), with reasons
    composer.locator("input[type=file]").set_input_files(
        [
            file("notes.txt", "text/plain", b"minutes"),
            file("fake.png", "image/png", b"<html>not a picture</html>"),
        ]
    )
    expect(composer.locator(".error")).to_contain_text(
        "“notes.txt” is not a JPEG, PNG, GIF or WebP picture."
    )
    expect(tiles.first).to_have_class(re.compile(r"\bfailed\b"))
    expect(tiles.first).to_contain_text("This file is not a picture we accept")
    expect(tiles.first.get_by_role("button", name="Retry uploading picture 1")).to_be_visible()
    composer.get_by_role("button", name="Remove picture 1").click()
    expect(tiles).to_have_count(0)

    # the first upload is lost on the way; its retry reuses the key. The last one is held back.
    keys, held = [], []

    def uploads(route):
        keys.append(route.request.headers["idempotency-key"])
        if len(keys) == 1:
            route.abort()
        elif len(keys) == 4:
            held.append(route)
        else:
            route.continue_()

    page.route("**/api/v1/uploads", uploads)
    with page.expect_file_chooser() as chooser:
        composer.get_by_role("button", name="Attach pictures").click()
    chooser.value.set_files(file("sunrise.jpg", "image/jpeg", picture(*SUNRISE)))
    expect(tiles.first).to_contain_text("cannot be reached")
    tiles.first.get_by_role("button", name="Retry uploading picture 1").click()
    expect(tiles.first).to_contain_text("Ready · 1200 × 800")
    assert keys[0] == keys[1]

    dropped = transfer(page, "harbour.png", "image/png", picture(*HARBOUR))
    composer.dispatch_event("dragenter", {"dataTransfer": dropped})
    expect(composer).to_have_class(re.compile(r"\bdropping\b"))
    composer.dispatch_event("drop", {"dataTransfer": dropped})
    expect(composer).not_to_have_class(re.compile(r"\bdropping\b"))
    expect(tiles.nth(1)).to_contain_text("Ready · 900 × 900")

    pasted = transfer(page, "image.png", "image/png", picture(*DUSK))
    composer.get_by_label("Start a conversation").evaluate(PASTE, pasted)
    expect(tiles).to_have_count(3)
    composer.get_by_label("Describe picture 1 of 3 (optional)").fill("Sunrise over the harbour")
    composer.get_by_label("Start a conversation").fill(TEXT)
    screenshot(page, "pictures-composer")

    # Post waits for the upload still running
    composer.get_by_role("button", name="Post").click()
    expect(composer.locator("button[type=submit]")).to_have_text("Uploading…")
    expect(alice.locator("article.card")).to_have_count(0)
    held[0].continue_()
    mine = alice.locator("article.card", has_text=TEXT)
    expect(mine.locator(".pics.n3 img")).to_have_count(3)
    expect(tiles).to_have_count(0)

    # Bob sees them live, loaded, with alt text from Alice or a default
    theirs = bob.locator("article.card", has_text=TEXT)
    thumbs = theirs.locator(".pic")
    expect(thumbs).to_have_count(3)
    bob_page.wait_for_function(LOADED, arg=3)
    images = theirs.locator(".pic img")
    expect(images.nth(0)).to_have_attribute("alt", "Sunrise over the harbour")
    expect(images.nth(1)).to_have_attribute("alt", "Picture 2 of 3 posted by Alice Archer")
    expect(images.nth(0)).to_have_attribute("width", "480")
    expect(images.nth(0)).to_have_attribute("loading", "lazy")
    assert "1200w" in images.nth(0).get_attribute("srcset")
    screenshot(bob_page, "pictures-card")

    # the lightbox: arrows move (and wrap), Tab stays inside, Esc closes and focus returns
    thumbs.nth(0).click()
    dialog = bob.get_by_role("dialog", name="Pictures")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".lb-count")).to_have_text("1 / 3")
    bob_page.wait_for_function("""() => {
      const img = document.querySelector('chatter-pane').shadowRoot.querySelector('dialog img');
      return img.complete && img.naturalWidth === 1200;
    }""")
    expect(dialog.locator("figcaption")).to_have_text("Sunrise over the harbour")
    screenshot(bob_page, "pictures-lightbox")
    bob_page.keyboard.press("ArrowRight")
    expect(dialog.locator(".lb-count")).to_have_text("2 / 3")
    bob_page.keyboard.press("ArrowLeft")
    bob_page.keyboard.press("ArrowLeft")
    expect(dialog.locator(".lb-count")).to_have_text("3 / 3")
    for _ in range(4):
        bob_page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Previous picture")).to_be_focused()
    bob_page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(thumbs.nth(2)).to_be_focused()

    # a comment with a picture
    theirs.get_by_role("button", name="Comments").click()
    writer = theirs.locator(".thread form.composer")
    writer.locator("input[type=file]").set_input_files(
        file("coffee.jpg", "image/jpeg", picture((640, 480), "#ddb892", "#7f5539"))
    )
    expect(writer.locator(".tile")).to_contain_text("Ready")
    writer.get_by_label("Write a comment").fill("Coffee first")
    writer.get_by_role("button", name="Comment", exact=True).click()
    comment = theirs.locator(".comment", has_text="Coffee first")
    expect(comment.locator(".pics.n1 img")).to_have_attribute("alt", "Picture posted by Bob Baker")
    assert bob_errors == []


def test_several_pictures_picked_at_once_all_upload(browser, live_server):
    # The server decodes one picture per person at a time: the pane sends them in turn.
    page = browser.new_context(viewport={"width": 1280, "height": 860}).new_page()
    page.goto(f"{live_server.url}/examples/project.html?as=alice")
    composer = pane(page).locator("form.composer").first
    scenes = [SUNRISE, HARBOUR, DUSK, ((640, 480), "#ffb4a2", "#6d6875")]
    composer.locator("input[type=file]").set_input_files(
        [
            file(f"scene{n}.png", "image/png", picture(*scene[:3], "PNG"))
            for n, scene in enumerate(scenes)
        ]
    )
    tiles = composer.locator(".tile")
    expect(tiles).to_have_count(4)
    for n, (size, *_) in enumerate(scenes):
        expect(tiles.nth(n)).to_contain_text(f"Ready · {size[0]} × {size[1]}", timeout=15_000)
    expect(composer.locator(".tile.failed")).to_have_count(0)
