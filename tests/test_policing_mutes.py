"""Personal mutes: a reader's own filter over shared pages, comments and notifications."""

from chatter.policing.models import PersonMute

from .policing_support import count, events_after, head, inbox_kinds


def test_a_muted_persons_posts_and_comments_leave_only_the_muters_view(app, alice, bob, user):
    carol = user("carol", name="Carol Chen", department="Finance")
    loud = bob.new_post("Bob's hot take")
    calm = carol.new_post("Carol's note")
    bob.post(f"/posts/{calm['id']}/comments", json={"body": "Bob chimes in"})
    carol.post(f"/posts/{calm['id']}/comments", json={"body": "Carol answers"})
    carol.get("/posts")  # the shared page is built (and cached) before the mute
    assert alice.put(f"/people/{bob.user['id']}/mute").json == {"muted": True}

    assert [p["id"] for p in alice.get("/posts").json["items"]] == [calm["id"]]
    thread = alice.get(f"/posts/{calm['id']}/comments").json["items"]
    assert [c["body"] for c in thread] == ["Carol answers"]
    # Everyone else's view is unchanged, and Bob is not told.
    assert [p["id"] for p in carol.get("/posts").json["items"]] == [calm["id"], loud["id"]]
    assert len(carol.get(f"/posts/{calm['id']}/comments").json["items"]) == 2
    assert bob.get(f"/people/{alice.user['id']}").json["muted_by_me"] is False
    assert alice.get(f"/people/{bob.user['id']}").json["muted_by_me"] is True

    assert alice.delete(f"/people/{bob.user['id']}/mute").json == {"muted": False}
    assert len(alice.get("/posts").json["items"]) == 2


def test_a_muted_person_does_not_reach_the_muter_with_notifications(alice, bob):
    post = alice.new_post("Ideas welcome")
    alice.put(f"/people/{bob.user['id']}/mute")
    bob.put(f"/posts/{post['id']}/like")
    bob.post(f"/posts/{post['id']}/comments", json={"body": "Hey @alice.archer"})
    bob.put(f"/people/{alice.user['id']}/follow")
    assert inbox_kinds(alice) == []


def test_the_following_feed_leaves_muted_authors_out(alice, bob):
    alice.put(f"/people/{bob.user['id']}/follow")
    bob.new_post("followed, then muted")
    assert len(alice.get("/posts?following=true").json["items"]) == 1
    alice.put(f"/people/{bob.user['id']}/mute")
    assert alice.get("/posts?following=true").json["items"] == []


def test_hostile_mutes_are_clear_4xx_and_change_nothing(app, alice):
    me = alice.put(f"/people/{alice.user['id']}/mute")
    assert (me.status_code, me.json["code"]) == (422, "own_person")
    nobody = alice.put("/people/999999/mute")
    assert (nobody.status_code, nobody.json["code"]) == (404, "not_found")
    assert alice.delete("/people/999999/mute").status_code == 404
    assert count(app, PersonMute) == 0


def test_sign_in_and_me_say_whom_the_reader_muted_so_live_items_can_be_left_out(alice, bob, user):
    carol = user("carol", name="Carol Chen", department="Finance")
    assert alice.get("/me").json["muted_people"] == []
    alice.put(f"/people/{carol.user['id']}/mute")
    alice.put(f"/people/{bob.user['id']}/mute")
    muted = sorted([bob.user["id"], carol.user["id"]])
    assert alice.get("/me").json["muted_people"] == muted
    again = user("alice", name="Alice Archer")  # signs in anew: the answer's user says it too
    assert again.session["user"]["muted_people"] == muted
    assert bob.get("/me").json["muted_people"] == []  # one's own, nobody else's
    alice.delete(f"/people/{bob.user['id']}/mute")
    assert alice.get("/me").json["muted_people"] == [carol.user["id"]]


def test_search_leaves_the_muted_peoples_posts_and_comments_out(alice, bob, user):
    carol = user("carol", name="Carol Chen", department="Finance")
    loud = bob.new_post("Harbour closures: my hot take")
    calm = carol.new_post("Harbour closures next week")
    bob_says = bob.post(f"/posts/{calm['id']}/comments", json={"body": "harbour, again"}).json
    carol_says = carol.post(f"/posts/{loud['id']}/comments", json={"body": "harbour facts"}).json

    def found(reader, q="harbour", kind="all"):
        page = reader.get(f"/search?q={q}&type={kind}").json
        return {(i["type"], i["id"]) for i in page["items"]}, page["total_estimate"]

    everything = {
        ("post", loud["id"]),
        ("post", calm["id"]),
        ("comment", bob_says["id"]),
        ("comment", carol_says["id"]),
    }
    assert found(alice) == (everything, 4)
    alice.put(f"/people/{bob.user['id']}/mute")
    # Bob's post and comment leave; Carol's comment on Bob's post stays (it is hers).
    assert found(alice) == ({("post", calm["id"]), ("comment", carol_says["id"])}, 2)
    assert found(alice, kind="posts") == ({("post", calm["id"])}, 1)
    assert found(alice, "from:bob.baker harbour") == (set(), 0)
    # Bob himself is still found among people (his card is where he is unmuted).
    people = alice.get("/search?q=bob&type=people").json["items"]
    assert [p["id"] for p in people] == [bob.user["id"]]
    assert found(carol) == (everything, 4)  # nobody else's search changes
    alice.delete(f"/people/{bob.user['id']}/mute")
    assert found(alice) == (everything, 4)


def test_the_muters_other_panes_are_told_live_and_nobody_else(alice, bob, user):
    carol = user("carol", name="Carol Chen", department="Finance")
    before = head(alice)
    alice.put(f"/people/{bob.user['id']}/mute")
    alice.put(f"/people/{carol.user['id']}/mute")
    alice.delete(f"/people/{bob.user['id']}/mute")
    told = [f["data"] for f in events_after(alice, before) if f["type"] == "mutes.changed"]
    lists = [[bob.user["id"]], sorted([bob.user["id"], carol.user["id"]]), [carol.user["id"]]]
    assert told == [{"muted_people": people} for people in lists]
    for other in (bob, carol):  # the muted are never told, nor anyone else
        assert "mutes.changed" not in {f["type"] for f in events_after(other, before)}
