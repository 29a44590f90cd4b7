"""People: handles, search, the people card and @mentions."""

import pytest


def test_handles_come_from_username_then_email_then_name(user):
    assert user("u1", preferred_username="Ana.Lopez").user["handle"] == "ana.lopez"
    assert user("u2", email="bo.berg@example.com").user["handle"] == "bo.berg"
    assert user("u3", name="Inès Moreau").user["handle"] == "ines.moreau"
    assert user("u4", name="李雷").user["handle"] == "person"


def test_taken_handles_get_a_number_and_stay_stable(user, client):
    from .conftest import Api

    first = user("a1", preferred_username="sam")
    second = user("a2", preferred_username="sam")
    third = user("a3", email="sam@example.com")
    assert [first.user["handle"], second.user["handle"], third.user["handle"]] == [
        "sam",
        "sam2",
        "sam3",
    ]
    again = Api(client, "a2", preferred_username="someone-else", name="Sam Two")
    assert again.user["handle"] == "sam2"


@pytest.mark.parametrize(
    ("wanted", "handle"),
    [
        ("<script>alert(1)</script>", "script-alert-1-script"),
        ("..--Ünïcödé--..", "unicode"),
        ("x" * 80, "x" * 30),
        ("a", "a1"),
        ("!!!", "person"),
    ],
)
def test_hostile_usernames_are_cleaned(user, wanted, handle):
    assert user(preferred_username=wanted, name="Ω").user["handle"] == handle


def test_search_by_prefix_of_name_words_handle_and_email_ignoring_case_and_accents(user):
    reader = user("r", name="Reader")
    ines = user("i", name="Inès Moreau", email="imoreau@example.com", title="Content")
    user("o", name="Oscar Ines-Free")
    found = reader.get("/people?q=INE").json["items"]
    assert [p["name"] for p in found] == ["Inès Moreau", "Oscar Ines-Free"]
    assert found[0] == {
        "id": ines.user["id"],
        "handle": "imoreau",
        "name": "Inès Moreau",
        "title": "Content",
        "department": None,
        "avatar_url": None,
    }
    assert [p["name"] for p in reader.get("/people?q=imor").json["items"]] == ["Inès Moreau"]
    assert [p["name"] for p in reader.get("/people?q=mo ine").json["items"]] == ["Inès Moreau"]
    assert reader.get("/people?q=zz").json["items"] == []


def test_search_ranks_people_the_reader_interacts_with_first(user):
    reader = user("r", name="Reader")
    user("a", name="Alex Able")
    busy = user("b", name="Alex Busy")
    post = busy.new_post("hello")
    reader.post(f"/posts/{post['id']}/comments", json={"body": "hi"})
    names = [p["name"] for p in reader.get("/people?q=alex").json["items"]]
    assert names == ["Alex Busy", "Alex Able"]
    assert [p["name"] for p in reader.get("/people?q=alex&limit=1").json["items"]] == ["Alex Busy"]


@pytest.mark.parametrize(
    "query", ["", "?q=", "?q=a&limit=0", "?q=a&limit=100000", "?q=a&limit=x", "?q=a&x=1"]
)
def test_bad_searches_are_422(alice, query):
    response = alice.get(f"/people{query}")
    assert response.status_code == 422, response.json
    assert response.json["status"] == 422


def test_the_people_card_counts_what_they_did(alice, bob):
    post = alice.new_post("hello")
    bob.put(f"/posts/{post['id']}/like")
    comment = alice.post(f"/posts/{post['id']}/comments", json={"body": "me"}).json
    bob.put(f"/comments/{comment['id']}/like")
    card = bob.get(f"/people/{alice.user['id']}").json
    assert card["handle"] == "alice.archer" and card["title"] == "Engineer"
    assert (card["post_count"], card["comment_count"], card["likes_received"]) == (1, 1, 2)
    assert card["joined_at"].endswith("Z") and card["followed_by_me"] is False


def test_an_unknown_person_is_404(alice):
    assert alice.get("/people/999999").status_code == 404
    assert alice.get("/people/99999999999999999999").status_code == 404


def test_mentions_link_people_who_exist(alice, bob):
    post = alice.new_post("Thanks @bob.baker and @nobody, cc @BOB.BAKER.")
    assert post["mentions"] == [{"id": bob.user["id"], "handle": "bob.baker", "name": "Bob Baker"}]
    assert f'<span data-mention="{bob.user["id"]}">@bob.baker</span>' in post["html"]
    assert "@nobody" in post["html"] and post["html"].count("data-mention") == 2
    assert bob.get(f"/posts/{post['id']}").json["mentions"] == post["mentions"]
    assert bob.get("/posts").json["items"][0]["mentions"] == post["mentions"]


@pytest.mark.parametrize(
    "body",
    [
        "`@bob.baker`",
        "```\n@bob.baker\n```",
        "text\n\n    @bob.baker indented code",
        "[@bob.baker](https://example.com)",
        "mail bob@bob.baker or x@bob.baker",
        "https://example.com/@bob.baker",
        "a/@bob.baker",
    ],
)
def test_no_mentions_in_code_links_or_addresses(alice, bob, body):
    post = alice.new_post(body)
    assert post["mentions"] == [] and "data-mention" not in post["html"]


def test_edits_add_and_remove_mentions_and_only_new_ones_count(app, alice, bob, user):
    from chatter.db import db
    from chatter.people.mentions import save_mentions

    carol = user("carol", name="Carol Chen")
    post = alice.new_post("hi @bob.baker")
    comments = f"/posts/{post['id']}/comments"
    comment = bob.post(comments, json={"body": "@alice.archer look"}).json
    assert [m["handle"] for m in comment["mentions"]] == ["alice.archer"]
    edited = alice.patch(f"/posts/{post['id']}", json={"body": "hi @carol.chen"}).json
    assert [m["handle"] for m in edited["mentions"]] == ["carol.chen"]
    edited = bob.patch(f"/comments/{comment['id']}", json={"body": "no one"}).json
    assert edited["mentions"] == []
    assert bob.get(comments).json["items"][0]["mentions"] == []
    with app.app_context():
        everyone = [{"id": u.user["id"]} for u in (alice, bob, carol)]
        new = save_mentions(post["id"], None, everyone, alice.user["id"], edit=True)
        assert new == {bob.user["id"]}  # carol was already mentioned, alice is the author
        db.session.rollback()


def test_names_and_handles_are_never_html(alice, user):
    evil = user("evil", name='<img src=x onerror="alert(1)">', preferred_username="<b>x</b>")
    post = alice.new_post(f"hey @{evil.user['handle']}")
    assert post["mentions"][0]["name"] == '<img src=x onerror="alert(1)">'
    assert "<img" not in post["html"] and "onerror" not in post["html"]
