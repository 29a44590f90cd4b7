"""What a reader may do is the server's word, also for what arrives live.

A module of its own: its server, with an admin configured, must not share a database with
another module's server (on PostgreSQL a second server resets the one test database).
"""

from playwright.sync_api import expect

from .support import pane, reaction
from .test_live import LIVE, SOCKETS, api_for, card, wait_until_live


def test_an_admin_may_delete_what_arrives_live(browser, make_live_server):
    """The per-viewer fields of a live post or comment are the server's, admins included."""
    server = make_live_server(CHATTER_ADMINS="chatter-dev|dan")
    alice = api_for(server, "alice")
    old = alice.new_post("Agenda for Thursday", context="project:apollo")
    page = browser.new_page()
    page.add_init_script(SOCKETS)
    page.goto(f"{server.url}/examples/project.html?as=dan")
    view = pane(page)
    wait_until_live(page)
    agenda = card(view, "Agenda for Thursday")
    reaction(agenda, "Comments").click()
    # the thread has read its (empty) first page: the comment below can only arrive live
    expect(agenda.locator(".thread-status")).to_have_text("No comments yet. Be the first to reply.")
    alice.new_post("Room 4.12 is booked", context="project:apollo")
    alice.post(f"/posts/{old['id']}/comments", json={"body": "Slides are in the folder"})
    view.get_by_role("button", name="1 new post").click()
    live = card(view, "Room 4.12 is booked")
    expect(live.get_by_role("button", name="Delete conversation")).to_have_count(1)
    expect(live.get_by_role("button", name="Edit conversation")).to_have_count(0)
    comment = view.locator("li.comment", has_text="Slides are in the folder")
    expect(comment.get_by_role("button", name="Delete comment")).to_have_count(1, timeout=LIVE)
    expect(comment.get_by_role("button", name="Edit comment")).to_have_count(0)
    page.close()
