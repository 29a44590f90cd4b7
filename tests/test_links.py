"""Permalinks: a conversation's page with a fragment, or Chatter's own /c/{id}."""

import pytest

from chatter.links import comment_link, conversation_link, page_url, post_link

BASE = "https://chatter.example.com"
PAGE = "https://intranet.example.com/projects/apollo?tab=2"


def test_a_conversation_on_a_known_page_links_to_that_page():
    assert post_link(7, PAGE, base=BASE) == f"{PAGE}#chatter-post-7"
    assert comment_link(7, 31, PAGE, base=BASE) == f"{PAGE}#chatter-comment-31"


def test_the_page_fragment_is_replaced_not_doubled():
    page = "https://intranet.example.com/a#section-3"
    assert post_link(7, page, base=BASE) == "https://intranet.example.com/a#chatter-post-7"


@pytest.mark.parametrize(
    "context_url",
    [None, "", "javascript:alert(1)", "ftp://files.example.com/x", "/relative/page", "https://"],
)
def test_a_conversation_without_a_usable_page_opens_on_chatter(context_url):
    assert post_link(7, context_url, base=BASE) == f"{BASE}/c/7"
    assert comment_link(7, 31, context_url, base=BASE) == f"{BASE}/c/7#chatter-comment-31"


def test_a_trailing_slash_on_the_base_is_not_doubled():
    assert post_link(7, base=BASE + "/") == f"{BASE}/c/7"


def test_conversation_link_is_post_or_comment_link():
    assert conversation_link(7, PAGE, base=BASE) == post_link(7, PAGE, base=BASE)
    assert conversation_link(7, None, 31, base=BASE) == comment_link(7, 31, None, base=BASE)


def test_page_url_keeps_only_http_pages():
    assert page_url("HTTPS://intranet.example.com/x") == "https://intranet.example.com/x"
    assert page_url("data:text/html,hi") is None


def test_the_base_is_the_public_url_else_the_request_root(make_app):
    configured = make_app(CHATTER_PUBLIC_URL=BASE + "/")
    with configured.app_context():
        assert post_link(3) == f"{BASE}/c/3"
    plain = make_app()
    with plain.test_request_context("/api/v1/posts", base_url="http://127.0.0.1:5000"):
        assert post_link(3) == "http://127.0.0.1:5000/c/3"
    with plain.app_context(), pytest.raises(RuntimeError, match="CHATTER_PUBLIC_URL"):
        post_link(3)
