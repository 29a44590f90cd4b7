"""Whether the reader follows a page: the state "Follow this page" shows."""


def test_a_page_is_followed_only_by_who_followed_it(alice, bob):
    page = {"query_string": {"context": "wiki:lyon"}}
    assert alice.get("/pages/follow", **page).json == {"followed_by_me": False}  # unknown page
    assert alice.put("/pages/follow", **page).json == {"followed_by_me": True}
    assert alice.get("/pages/follow", **page).json == {"followed_by_me": True}
    assert bob.get("/pages/follow", **page).json == {"followed_by_me": False}
    alice.delete("/pages/follow", **page)
    assert alice.get("/pages/follow", **page).json == {"followed_by_me": False}


def test_the_page_is_required(alice):
    answer = alice.get("/pages/follow")
    assert answer.status_code == 422
    assert "context" in answer.json["errors"]
