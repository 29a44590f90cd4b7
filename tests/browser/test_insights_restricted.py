"""The Insights view where CHATTER_INSIGHTS=admins: others read that it is for admins (a module
of its own: on PostgreSQL a second server empties the database the module's first one uses)."""

from playwright.sync_api import expect

from .support import pane

URL = "/examples/intranet.html"


def test_insights_for_admins_only_say_so(page, make_live_server):
    server = make_live_server(CHATTER_INSIGHTS="admins")
    page.goto(f"{server.url}{URL}?as=alice")
    view = pane(page)
    view.get_by_role("button", name="Insights").click()
    expect(view.get_by_text("Insights are for admins here")).to_be_visible()
    expect(view.get_by_role("button", name="Try again")).to_have_count(0)
