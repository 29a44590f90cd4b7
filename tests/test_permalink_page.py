"""Chatter's own page for one conversation, /c/{id}: where permalinks of page-less talk lead."""

import re
from datetime import datetime

import pytest

from chatter.config import ConfigError, load_config


def _csp(response):
    return response.headers["Content-Security-Policy"]


def test_the_page_mounts_the_pane_on_the_conversations_context(client, alice):
    post = alice.new_post("Where does this go?", context="project:zeus", context_title="Zeus")
    response = client.get(post["link"])  # http://localhost/c/{id}: its permalink
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.text
    assert '<chatter-pane context="project:zeus" context-title="Zeus"' in html
    assert f'data-fragment="chatter-post-{post["id"]}"' in html
    assert html.index("<chatter-pane") < html.index('src="/embed.js"')  # the loader finds it
    assert "<title>Zeus — Chatter</title>" in html
    # in dev mode it signs in through the dev issuer, as the example pages do
    token_url = re.search(r'data-token-url="([^"]+)"', html).group(1)
    assert token_url.startswith("/dev/identity-token?") and "sub=alice" in token_url
    assert "sub=bob" in client.get(f"{post['link']}?as=bob").text


def test_the_page_is_strict_unframable_and_not_sniffed(client, alice):
    post = alice.new_post("Hi")
    response = client.get(f"/c/{post['id']}")
    csp = _csp(response)
    for directive in (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "frame-ancestors 'none'",
        "require-trusted-types-for 'script'",
        "trusted-types chatter",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp and "<style" not in response.text
    assert not re.search(r"<script>|<script(?![^>]*\bsrc=)[^>]*>", response.text)  # no inline
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    for name in ("page.css", "page.js"):
        asset = client.get(f"/c/{name}")
        assert asset.status_code == 200 and asset.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/c/page.css").mimetype == "text/css"
    assert client.get("/c/page.js").mimetype == "text/javascript"


def test_a_page_of_its_own_links_back_to_where_it_belongs(client, alice):
    page = "https://intranet.example.com/zeus"
    post = alice.new_post("On a page", context="project:zeus", context_url=page)
    html = client.get(f"/c/{post['id']}").text
    assert f'<a class="elsewhere" href="{page}">Open its page</a>' in html


def test_hostile_context_titles_are_text(client, alice):
    title = '"><script>alert(1)</script>'
    post = alice.new_post("Hi", context="x:1", context_title=title)
    html = client.get(f"/c/{post['id']}").text
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("post_id", ["999999", "9223372036854775807"])
def test_an_unknown_conversation_is_a_friendly_404(client, post_id):
    response = client.get(f"/c/{post_id}")
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "This conversation is not here" in response.text
    assert "frame-ancestors 'none'" in _csp(response)


def _post_without_dev_mode(app):
    from chatter.db import db
    from chatter.models import Post, User

    with app.app_context():
        now = datetime(2026, 1, 1)
        author = User(
            issuer="https://id.example.com",
            subject="a",
            name="A",
            handle="a",
            profile_issued_at=now,
        )
        post = Post(
            author=author, body="Hi", html="<p>Hi</p>", created_at=now, last_activity_at=now
        )
        db.session.add(post)
        db.session.commit()
        return post.id


def test_without_a_token_url_outside_dev_mode_it_says_it_cannot_sign_in(make_app):
    app = make_app(CHATTER_DEV_MODE="0")
    response = app.test_client().get(f"/c/{_post_without_dev_mode(app)}")
    assert response.status_code == 200
    assert "Chatter cannot sign you in on this page" in response.text
    assert "CHATTER_PAGE_TOKEN_URL" in response.text
    assert "embed.js" not in response.text and "/dev/" not in response.text


def test_a_configured_token_url_signs_the_pane_in(make_app):
    app = make_app(CHATTER_DEV_MODE="0", CHATTER_PAGE_TOKEN_URL="/sso/chatter-token")
    html = app.test_client().get(f"/c/{_post_without_dev_mode(app)}").text
    assert 'data-token-url="/sso/chatter-token"' in html and "Viewing as" not in html


@pytest.mark.parametrize(
    "value", ["https://intranet.example.com/token", "//intranet.example.com/token", "token"]
)
def test_the_token_url_must_be_on_chatters_own_origin(value):
    with pytest.raises(ConfigError, match="CHATTER_PAGE_TOKEN_URL"):
        load_config({"CHATTER_PAGE_TOKEN_URL": value, "CHATTER_SECRET_KEY": "k" * 40})
