"""Questions with answers, and outcomes: who may mark them, who is told, the filters, the
live frames, and hostile input that changes nothing."""

import pytest

from chatter.db import db
from chatter.models import Event

from .conftest import Api


@pytest.fixture
def carol(user):
    return user("carol", name="Carol Chen", title="Analyst", department="Finance")


def comment(api, post, body, **fields):
    response = api.post(f"/posts/{post['id']}/comments", json={"body": body, **fields})
    assert response.status_code == 201, response.json
    return response.json


def kinds(api):
    items = api.get("/notifications").json["items"]
    return [(item["kind"], item["actors"][0]["name"], item["post_id"]) for item in items]


def ids(api, **query):
    response = api.get("/posts", query_string=query)
    assert response.status_code == 200, response.json
    return [post["id"] for post in response.json["items"]]


def last_event(app, kind):
    with app.app_context():
        event = db.session.scalars(
            db.select(Event).where(Event.type == kind).order_by(Event.id.desc())
        ).first()
        return event.data


def test_a_question_is_answered_by_the_asker_the_answer_leads_its_thread(app, alice, bob, carol):
    question = alice.new_post("Who knows how to book rail travel?", kind="question")
    assert question["kind"] == "question" and question["answer_id"] is None
    plain = alice.new_post("Just news")
    first = comment(carol, question, "Ask travel desk")
    answer = comment(bob, question, "Use the booking tool, section 3")
    reply = comment(alice, question, "Thanks!", parent_id=answer["id"])
    later = comment(carol, question, "Good to know")
    assert ids(alice, kind="question", answered="false") == [question["id"]]
    assert ids(alice, answered="true") == []

    marked = alice.put(f"/posts/{question['id']}/answer", json={"comment_id": answer["id"]})
    assert marked.status_code == 200, marked.json
    assert marked.json["answer_id"] == answer["id"] and marked.json["answered_at"]
    listing = alice.get(f"/posts/{question['id']}/comments").json["items"]
    assert [c["id"] for c in listing] == [answer["id"], reply["id"], first["id"], later["id"]]
    assert [c["is_answer"] for c in listing] == [True, False, False, False]
    latest = alice.get(f"/posts/{question['id']}/comments?order=latest").json["items"]
    assert [c["id"] for c in latest] == [answer["id"], reply["id"], first["id"], later["id"]]
    assert ids(alice, kind="question", answered="false") == []
    assert ids(alice, kind="question", answered="true") == [question["id"]]
    assert ids(alice, kind="post") == [plain["id"]]
    assert ("answer", "Alice Archer", question["id"]) in kinds(bob)
    assert last_event(app, "post.updated")["answer_id"] == answer["id"]

    # Deleting the answer opens the question again.
    assert bob.delete(f"/comments/{answer['id']}").status_code == 204
    assert alice.get(f"/posts/{question['id']}").json["answer_id"] is None
    assert ids(alice, kind="question", answered="false") == [question["id"]]


def test_the_author_switches_a_post_to_a_question_and_withdraws_an_answer(alice, bob):
    post = alice.new_post("How do I expense a train ticket?")
    answer = comment(bob, post, "Form 12")
    refused = alice.put(f"/posts/{post['id']}/answer", json={"comment_id": answer["id"]})
    assert refused.status_code == 422 and refused.json["code"] == "not_a_question"
    assert bob.patch(f"/posts/{post['id']}", json={"kind": "question"}).status_code == 403
    switched = alice.patch(f"/posts/{post['id']}", json={"kind": "question"})
    assert switched.status_code == 200 and switched.json["kind"] == "question"
    assert switched.json["body"] == "How do I expense a train ticket?"
    assert (
        alice.put(f"/posts/{post['id']}/answer", json={"comment_id": answer["id"]}).json[
            "answer_id"
        ]
        == answer["id"]
    )
    cleared = alice.delete(f"/posts/{post['id']}/answer")
    assert cleared.status_code == 200 and cleared.json["answer_id"] is None
    assert alice.patch(f"/posts/{post['id']}", json={"kind": "poll"}).status_code == 422
    assert alice.patch(f"/posts/{post['id']}", json={}).status_code == 422


def test_hostile_answers_change_nothing(alice, bob, carol):
    question = alice.new_post("Which printer?", kind="question")
    other = carol.new_post("Elsewhere")
    theirs = comment(bob, other, "A comment of another conversation")
    mine = comment(bob, question, "The second floor one")
    for body in (
        {"comment_id": theirs["id"]},
        {"comment_id": 10**15},
        {"comment_id": "1"},
        {"comment_id": True},
        {},
    ):
        response = alice.put(f"/posts/{question['id']}/answer", json=body)
        assert response.status_code == 422, (body, response.json)
    stranger = carol.put(f"/posts/{question['id']}/answer", json={"comment_id": mine["id"]})
    assert stranger.status_code == 403
    assert carol.delete(f"/posts/{question['id']}/answer").status_code == 403
    assert alice.put("/posts/999999/answer", json={"comment_id": mine["id"]}).status_code == 404
    assert alice.get(f"/posts/{question['id']}").json["answer_id"] is None
    assert kinds(bob) == []


def test_an_outcome_tells_everyone_who_took_part_once(app, alice, bob, carol, user):
    dave = user("dave", name="Dave Diaz", department="Sales")
    erin = user("erin", name="Erin Evans", department="Legal")
    muted = user("muted", name="Mo Muted", department="Legal")
    stranger = user("stranger", name="Sam Stranger")
    post = alice.new_post("Shall we track billable time in the pane?")
    comment(bob, post, "Yes please")
    carol.put(f"/posts/{post['id']}/like")
    dave.put(f"/posts/{post['id']}/promotion")
    erin.put(f"/posts/{post['id']}/follow")
    comment(muted, post, "meh")
    muted.delete(f"/posts/{post['id']}/follow")

    recorded = alice.put(
        f"/posts/{post['id']}/outcome",
        json={"summary": "Timesheets now **live**", "url": "https://intranet.example.com/ts"},
    )
    assert recorded.status_code == 200, recorded.json
    outcome = recorded.json["outcome"]
    assert outcome["summary"] == "Timesheets now **live**"
    assert outcome["html"] == "<p>Timesheets now <strong>live</strong></p>"
    assert outcome["url"] == "https://intranet.example.com/ts"
    assert outcome["by"] == {"id": alice.user["id"], "name": "Alice Archer"}
    assert outcome["days"] == 0.0 and outcome["at"].endswith("Z")
    assert last_event(app, "post.updated")["outcome"] == outcome
    for person in (bob, carol, dave, erin):
        assert kinds(person).count(("outcome", "Alice Archer", post["id"])) == 1, person.user
    for person in (alice, muted, stranger):
        assert [k for k, *_ in kinds(person) if k == "outcome"] == [], person.user
    assert ids(alice, outcome="true") == [post["id"]]

    # Changing the summary tells nobody again; withdrawing it takes it off the list.
    changed = alice.put(f"/posts/{post['id']}/outcome", json={"summary": "Timesheets are live"})
    assert changed.json["outcome"]["url"] is None
    assert [k for k, *_ in kinds(bob)].count("outcome") == 1
    withdrawn = alice.delete(f"/posts/{post['id']}/outcome")
    assert withdrawn.status_code == 200 and withdrawn.json["outcome"] is None
    assert ids(alice, outcome="true") == []


def test_a_moderator_records_an_outcome_a_stranger_may_not(make_app, alice):
    app = make_app(CHATTER_MODERATORS="chatter-dev|mo")
    client = app.test_client()
    author, moderator = Api(client, "author", name="Ann Author"), Api(client, "mo", name="Mo")
    stranger = Api(client, "stranger", name="Sam")
    post = author.new_post("Let us fix the coffee machine")
    forbidden = stranger.put(f"/posts/{post['id']}/outcome", json={"summary": "Fixed"})
    assert forbidden.status_code == 403 and forbidden.json["code"] == "forbidden"
    assert stranger.delete(f"/posts/{post['id']}/outcome").status_code == 403
    done = moderator.put(f"/posts/{post['id']}/outcome", json={"summary": "Fixed"})
    assert done.status_code == 200 and done.json["outcome"]["by"]["name"] == "Mo"


@pytest.mark.parametrize(
    "body",
    [
        {"summary": "x", "url": "javascript:alert(1)"},
        {"summary": "x", "url": "http://intranet.example.com/plain"},
        {"summary": "x", "url": "https://"},
        {"summary": "x", "url": "data:text/html,hi"},
        {"summary": ""},
        {"summary": "   "},
        {"summary": "x" * 1001},
        {"summary": 5},
        {"url": "https://example.com"},
        {"summary": "x", "url": "https://example.com", "by": 1},
    ],
)
def test_hostile_outcomes_are_refused_and_change_nothing(alice, bob, body):
    post = alice.new_post("A conversation")
    comment(bob, post, "a comment")
    response = alice.put(f"/posts/{post['id']}/outcome", json=body)
    assert response.status_code == 422, response.json
    assert alice.get(f"/posts/{post['id']}").json["outcome"] is None
    assert [k for k, *_ in kinds(bob)] == []


def test_an_outcome_summary_is_rendered_safely(alice):
    post = alice.new_post("A conversation")
    done = alice.put(
        f"/posts/{post['id']}/outcome",
        json={"summary": "<script>alert(1)</script> [x](javascript:alert(1)) done"},
    )
    html = done.json["outcome"]["html"]
    assert html.startswith("<p>&lt;script&gt;") and "<a" not in html and "done" in html
