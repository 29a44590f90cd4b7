"""Outcomes and questions on the cards: the banner, the author's outcome sheet, asking a
question, marking its answer (first and marked), and the Everyone tab's two filters."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from chatter.models import Post, db
from tests.conftest import Api

from .support import SCREENSHOTS, pane, screenshot
from .test_live import LIVE, SOCKETS, wait_until_live

URL = "/examples/intranet.html"


@pytest.fixture
def people(live_server):
    client = live_server.app.test_client()
    profiles = {
        "alice": ("Alice Archer", "Staff Engineer", "Engineering"),
        "bob": ("Bob Baker", "Product Designer", "Design"),
        "carol": ("Carol Chen", "Chief Operating Officer", "Leadership"),
        "dan": ("Dan Diaz", "Account Executive", "Sales"),
    }
    people = {
        sub: Api(client, sub, name=name, title=title, department=dept)
        for sub, (name, title, dept) in profiles.items()
    }
    people["here"] = f"{live_server.url}{URL}"
    return people


def started_days_ago(app, post, days):
    """Move a conversation's start back: outcomes count their days from it."""
    with app.app_context():
        row = db.session.get(Post, post["id"])
        row.created_at -= timedelta(days=days)
        db.session.commit()


def everyone(page, live_server, who):
    page.goto(f"{live_server.url}{URL}?as={who}")
    view = pane(page)
    view.get_by_role("tab", name="Everyone").click()
    view.locator(".feed[aria-busy=false]").wait_for()
    return view


def show(view, choice):
    view.get_by_role("combobox", name="Show").select_option(label=choice)
    view.locator(".feed[aria-busy=false]").wait_for()


def test_a_conversation_that_led_to_a_change_shows_its_banner(
    page, live_server, people, console_errors
):
    carol = people["carol"]
    post = carol.new_post(
        "From Monday we **track billable time** daily. What do you need?", context=people["here"]
    )
    started_days_ago(live_server.app, post, 3)
    plain = carol.new_post("Lunch is on the terrace today", context=people["here"])
    summary = {
        "summary": "Time sheets log hours daily; invoicing moved to the *1st*.",
        "url": "https://intranet.example/time",
    }
    assert carol.put(f"/posts/{post['id']}/outcome", json=summary).status_code == 200

    view = everyone(page, live_server, "dan")
    card = view.locator(f"article.card[data-id='{post['id']}']")
    banner = card.get_by_role("note", name="Outcome")
    expect(banner).to_contain_text("Led to a change · 3 days after it started")
    expect(banner.locator("em")).to_have_text("1st")
    expect(banner.get_by_role("link", name="See what changed")).to_have_attribute(
        "href", "https://intranet.example/time"
    )
    expect(view.locator(f"article.card[data-id='{plain['id']}'] .outcome")).to_have_count(0)
    # Dan may not record one: the button is the author's, a moderator's or an admin's
    expect(card.get_by_role("button", name="Change or withdraw the outcome")).to_have_count(0)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    card.screenshot(path=str(SCREENSHOTS / "insights-outcome-banner-light.png"))

    show(view, "Led to a change")
    expect(view.locator("article.card")).to_have_count(1)
    expect(view.locator("article.card")).to_have_attribute("data-id", str(post["id"]))
    assert console_errors == []


def test_the_author_records_an_outcome_and_withdraws_it(page, live_server, people, console_errors):
    post = people["carol"].new_post("Shall we move stand-ups to 9:30?", context=people["here"])
    view = everyone(page, live_server, "carol")
    card = view.locator(f"article.card[data-id='{post['id']}']")
    card.hover()
    record = card.get_by_role("button", name="Record an outcome: what this led to")
    record.click()
    sheet = view.get_by_role("dialog", name="Record an outcome")
    expect(sheet).to_be_visible()
    sheet.get_by_role("button", name="Record outcome").click()
    expect(sheet.get_by_role("alert")).to_have_text("Say what changed.")  # nothing sent
    sheet.get_by_label("What changed").fill("Stand-ups are at 9:30 from next week.")
    sheet.get_by_label("Link (optional)").fill("http://not-https.example")
    sheet.get_by_role("button", name="Record outcome").click()
    expect(sheet.get_by_role("alert")).to_contain_text("https")  # the server's 422, said
    sheet.get_by_label("Link (optional)").fill("")
    sheet.get_by_role("button", name="Record outcome").click()
    expect(sheet).to_have_count(0)
    banner = card.get_by_role("note", name="Outcome")
    expect(banner).to_contain_text("Led to a change · the day it started")
    expect(banner).to_contain_text("Stand-ups are at 9:30 from next week.")
    expect(card.get_by_role("button", name="Change or withdraw the outcome")).to_be_focused()
    assert (
        people["dan"].get(f"/posts/{post['id']}").json["outcome"]["summary"].startswith("Stand-ups")
    )

    card.get_by_role("button", name="Change or withdraw the outcome").click()
    sheet = view.get_by_role("dialog", name="Change the outcome")
    expect(sheet.get_by_label("What changed")).to_have_value(
        "Stand-ups are at 9:30 from next week."
    )
    sheet.get_by_role("button", name="Withdraw outcome").click()
    expect(sheet).to_have_count(0)
    expect(card.get_by_role("note", name="Outcome")).to_have_count(0)
    assert people["dan"].get(f"/posts/{post['id']}").json["outcome"] is None
    assert [e for e in console_errors if "422" not in e] == []  # the refused link: said


def test_an_outcome_recorded_elsewhere_reaches_an_open_pane(page, live_server, people):
    post = people["carol"].new_post("Should the wiki move?", context=people["here"])
    page.add_init_script(SOCKETS)
    view = everyone(page, live_server, "dan")
    wait_until_live(page)
    card = view.locator(f"article.card[data-id='{post['id']}']")
    summary = {"summary": "The wiki moved to the new space."}
    assert people["carol"].put(f"/posts/{post['id']}/outcome", json=summary).status_code == 200
    expect(card.get_by_role("note", name="Outcome")).to_contain_text("The wiki moved", timeout=LIVE)
    assert people["carol"].delete(f"/posts/{post['id']}/outcome").status_code == 200
    expect(card.get_by_role("note", name="Outcome")).to_have_count(0, timeout=LIVE)


def test_a_question_is_asked_answered_first_and_leaves_open_questions(
    page, live_server, people, console_errors
):
    view = everyone(page, live_server, "bob")
    view.get_by_label("Start a conversation").fill("Which rail pass do we book for Lyon?")
    view.get_by_role("checkbox", name="Question").check()
    view.get_by_role("button", name="Post", exact=True).click()
    card = view.locator("article.card", has_text="rail pass")
    expect(card.locator(".q")).to_have_text("Question")
    expect(view.get_by_role("checkbox", name="Question")).not_to_be_checked()
    question = int(card.get_attribute("data-id"))
    assert people["dan"].get(f"/posts/{question}").json["kind"] == "question"
    first = people["carol"].post(f"/posts/{question}/comments", json={"body": "Ask travel desk"})
    second = people["dan"].post(f"/posts/{question}/comments", json={"body": "The Interrail one"})
    people["alice"].post(
        f"/posts/{question}/comments",
        json={"body": "Agreed, it covers Lyon", "parent_id": second.json["id"]},
    )

    show(view, "Open questions")
    expect(view.locator("article.card")).to_have_count(1)
    card = view.locator(f"article.card[data-id='{question}']")
    card.locator("footer.actions").get_by_role("button", name="Comments").click()
    comments = card.locator(".thread > ol > li.comment")
    expect(comments).to_have_count(2)
    expect(comments.first).to_contain_text("Ask travel desk")
    dan = card.locator(f"li.comment[data-id='{second.json['id']}']")
    dan.locator(":scope > .comment-main").get_by_role("button", name="Mark as answer").click()

    # the answer goes first, marked, its reply with it; the card says Answered
    expect(comments.first).to_have_attribute("data-id", str(second.json["id"]))
    expect(comments.first).to_have_class("comment answer")
    expect(comments.first.locator(".answer-mark")).to_have_text("Answer")
    expect(comments.first.locator(":scope > .replies")).to_contain_text("Agreed, it covers Lyon")
    expect(card.locator(".q")).to_have_text("Answered")
    expect(comments.nth(1)).to_have_attribute("data-id", str(first.json["id"]))
    unmark = comments.first.locator(":scope > .comment-main").get_by_role(
        "button", name="Unmark answer"
    )
    expect(unmark).to_be_focused()
    assert people["carol"].get(f"/posts/{question}").json["answer_id"] == second.json["id"]
    screenshot(page, "insights-answer-light")

    # the question has left the open ones
    show(view, "Open questions")
    expect(view.get_by_text("Every question has its answer.")).to_be_visible()
    show(view, "All conversations")
    expect(view.locator(f"article.card[data-id='{question}']")).to_be_visible()
    assert console_errors == []


def test_open_questions_follow_live_answers_and_new_questions(page, live_server, people):
    alice, dan = people["alice"], people["dan"]
    question = alice.new_post("Who signs off on conference travel?", kind="question")
    answer = dan.post(f"/posts/{question['id']}/comments", json={"body": "Your team lead"}).json
    page.add_init_script(SOCKETS)
    view = everyone(page, live_server, "bob")
    wait_until_live(page)
    show(view, "Open questions")
    card = view.locator(f"article.card[data-id='{question['id']}']")
    expect(card).to_be_visible()
    # answered elsewhere: it leaves the open questions in the open pane
    mark = alice.put(f"/posts/{question['id']}/answer", json={"comment_id": answer["id"]})
    assert mark.status_code == 200
    expect(card).to_have_count(0, timeout=LIVE)
    expect(view.get_by_text("Every question has its answer.")).to_be_visible()
    # a plain post stays out; a new question comes in (at once: the list was empty)
    dan.new_post("Lunch is on the terrace today")
    asked = dan.new_post("Is the Lyon office open on Monday?", kind="question")
    expect(view.locator(f"article.card[data-id='{asked['id']}']")).to_be_visible(timeout=LIVE)
    expect(view.locator("article.card")).to_have_count(1)
    # with a question on screen, the next one waits behind the pill
    later = alice.new_post("Can interns join the offsite?", kind="question")
    pill = view.get_by_role("button", name="1 new post")
    expect(pill).to_be_visible(timeout=LIVE)
    pill.click()
    expect(view.locator(f"article.card[data-id='{later['id']}']")).to_be_visible()
    expect(view.locator("article.card")).to_have_count(2)


def test_an_answer_marked_before_leads_the_thread_and_only_the_asker_may_mark(
    page, live_server, people
):
    bob = people["bob"]
    question = bob.new_post("Where is the projector?", context=people["here"], kind="question")
    thread = f"/posts/{question['id']}/comments"
    answer = people["carol"].post(thread, json={"body": "Room 2, top shelf"}).json
    people["dan"].post(thread, json={"body": "No idea, sorry"})
    assert (
        bob.put(f"/posts/{question['id']}/answer", json={"comment_id": answer["id"]}).status_code
        == 200
    )
    view = everyone(page, live_server, "dan")
    card = view.locator(f"article.card[data-id='{question['id']}']")
    expect(card.locator(".q")).to_have_text("Answered")
    card.locator("footer.actions").get_by_role("button", name="Comments").click()
    comments = card.locator(".thread > ol > li.comment")
    expect(comments).to_have_count(2)
    expect(comments.first).to_have_attribute("data-id", str(answer["id"]))
    expect(comments.first.locator(".answer-mark")).to_have_text("Answer")
    expect(comments.nth(1)).to_contain_text("No idea")
    # Dan is not the asker, nor a moderator: no Mark as answer
    expect(card.locator(".react.mark")).to_have_count(0)


def test_the_asker_unmarks_the_answer_and_it_goes_back_to_its_place(page, live_server, people):
    bob = people["bob"]
    question = bob.new_post("Who has the van keys?", context=people["here"], kind="question")
    thread = f"/posts/{question['id']}/comments"
    first = people["carol"].post(thread, json={"body": "Reception"}).json
    second = people["dan"].post(thread, json={"body": "I do, desk 12"}).json
    assert (
        bob.put(f"/posts/{question['id']}/answer", json={"comment_id": second["id"]}).status_code
        == 200
    )
    view = everyone(page, live_server, "bob")
    card = view.locator(f"article.card[data-id='{question['id']}']")
    card.locator("footer.actions").get_by_role("button", name="Comments").click()
    comments = card.locator(".thread > ol > li.comment")
    expect(comments.first).to_have_attribute("data-id", str(second["id"]))
    comments.first.get_by_role("button", name="Unmark answer").click()
    expect(card.locator(".q")).to_have_text("Question")
    expect(comments.first).to_have_attribute("data-id", str(first["id"]))
    expect(comments.nth(1)).to_have_attribute("data-id", str(second["id"]))
    expect(card.locator("li.comment.answer")).to_have_count(0)
    expect(card.get_by_role("button", name="Mark as answer")).to_have_count(2)
    assert people["dan"].get(f"/posts/{question['id']}").json["answer_id"] is None
