"""The Insights view against the real API: it opens from the header, draws its charts from
GET /insights, has a table behind every chart, asks again for another period or bucket, says
when it fails (and tries again), when there is nothing, and when it is for admins only; and it
mounts full width on a page of its own (data-view="insights")."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import Api

from .support import AXE, pane, screenshot

URL = "/examples/intranet.html"
PEOPLE = {
    "alice": ("Alice Archer", "Staff Engineer", "Engineering"),
    "bob": ("Bob Baker", "Product Designer", "Design"),
    "carol": ("Carol Chen", "Chief Operating Officer", "Leadership"),
    "dan": ("Dan Diaz", "Account Executive", "Sales"),
    "erin": ("Erin Eto", "Payroll Clerk", "Finance"),
}


def seed(server):
    """A little organization's month: posts, comments, likes and promotions across departments,
    a question answered and a conversation that led to a change."""
    client = server.app.test_client()
    people = {
        sub: Api(client, sub, name=name, title=title, department=dept)
        for sub, (name, title, dept) in PEOPLE.items()
    }
    here = f"{server.url}{URL}"
    billable = people["carol"].new_post("Tracking billable time: we log hours daily", context=here)
    question = people["bob"].new_post("Which rail pass for Lyon?", context=here, kind="question")
    other = people["dan"].new_post("Pipeline review moves to Thursdays", context=here)
    for sub in ("alice", "bob", "dan", "erin"):
        people[sub].post(f"/posts/{billable['id']}/comments", json={"body": f"{sub}: fine by us"})
        people[sub].put(f"/posts/{billable['id']}/like")
    answer = people["erin"].post(f"/posts/{question['id']}/comments", json={"body": "Interrail"})
    people["bob"].put(f"/posts/{question['id']}/answer", json={"comment_id": answer.json["id"]})
    people["alice"].put(f"/posts/{other['id']}/promotion")
    people["carol"].put(f"/posts/{other['id']}/like")
    outcome = {"summary": "Time sheets log hours daily from Monday."}
    people["carol"].put(f"/posts/{billable['id']}/outcome", json=outcome)
    return people, billable


@pytest.fixture(scope="module")
def seeded(live_server):
    return seed(live_server)


def _starts(text):
    return re.compile("^" + re.escape(text))


def open_insights(page, server, who="alice"):
    page.goto(f"{server.url}{URL}?as={who}")
    view = pane(page)
    view.get_by_role("button", name="Insights").click()
    insights = view.get_by_role("region", name="Insights")
    expect(insights).to_be_visible()
    insights.locator(".ins-body[aria-busy=false]").wait_for()
    return view, insights


def chart(insights, key):
    return insights.locator(f"[data-chart={key}]")


def test_the_view_draws_the_api_figures(page, live_server, seeded, console_errors):
    people, billable = seeded
    view, insights = open_insights(page, live_server)
    data = people["alice"].get("/insights").json
    total = sum(b["interactions"] for b in data["buckets"])
    assert total == 14 and data["bucket"] == "month"  # 3 posts, 5 comments, 5 likes, 1 promotion
    expect(view.locator(".feed")).to_be_hidden()  # in place of the conversations

    figures = insights.locator(".ins-figures")
    expect(figures).to_contain_text(f"{total:,} in all")
    expect(figures).to_contain_text(
        f"{data['questions']['answered']} of {data['questions']['asked']}"
    )
    bars = chart(insights, "bars").get_by_role("img")
    expect(bars).to_have_attribute("aria-label", _starts("Interactions per month, stacked bars"))
    # one group of stacked bars per bucket, each segment a field of that bucket
    expect(bars.locator("g")).to_have_count(len(data["buckets"]))
    busiest = max(data["buckets"], key=lambda b: b["interactions"])
    assert f"highest {busiest['interactions']:,}" in bars.get_attribute("aria-label")
    expect(chart(insights, "line").get_by_role("img").locator("path")).to_have_count(2)
    names = {p["from"] for p in data["reach"]["pairs"]} | {p["to"] for p in data["reach"]["pairs"]}
    heat = chart(insights, "heat").get_by_role("img")
    expect(heat.locator("rect")).to_have_count(len(names) ** 2)
    expect(heat.locator("title").first).to_contain_text("Who talks with whom")
    shares = chart(insights, "shares").get_by_role("img")
    expect(shares.locator("g")).to_have_count(len(data["departments"]))

    leaders = insights.get_by_role("region", name="Knowledge leaders")
    first = data["leaders"][0]["person"]
    expect(leaders.locator("li").first).to_contain_text(first["name"])
    expect(leaders.locator("li").first).to_contain_text(first["title"])
    outcomes = insights.get_by_role("region", name="Led to a change")
    expect(outcomes).to_contain_text("Time sheets log hours daily from Monday.")
    expect(outcomes.locator(".ins-pill")).to_have_text("same day")
    top = insights.get_by_role("region", name="Top conversations")
    expect(top.locator("li").first).to_contain_text("Tracking billable time")
    screenshot(page, "insights-pane-light")

    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "axe.run(document.querySelector('chatter-pane').shadowRoot.querySelector('.insights'), "
        "{resultTypes: ['violations']})"
    )
    serious = [v["id"] for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []

    # a conversation opens in the pane
    top.get_by_role("button", name="Tracking billable time").first.click()
    expect(insights).to_be_hidden()
    card = view.locator(f"article.card[data-id='{billable['id']}']")
    expect(card).to_be_visible()
    expect(card.get_by_role("note", name="Outcome")).to_be_visible()
    assert console_errors == []


def test_every_chart_has_its_table(page, live_server, seeded):
    people, _ = seeded
    _, insights = open_insights(page, live_server)
    data = people["alice"].get("/insights").json
    bars = chart(insights, "bars")
    toggle = bars.get_by_role("button", name="Show as table")
    toggle.click()
    expect(bars.get_by_role("button", name="Show as chart")).to_have_attribute(
        "aria-pressed", "true"
    )
    table = bars.get_by_role("table")
    expect(table.locator("tbody tr")).to_have_count(len(data["buckets"]))
    last = data["buckets"][-1]
    row = table.locator("tbody tr").last
    expect(row.locator("td").last).to_have_text(f"{last['interactions']:,}")
    expect(row.locator("td").nth(1)).to_have_text(f"{last['comments']:,}")
    expect(bars.get_by_role("img")).to_have_count(0)
    expect(bars.locator(".ins-legend")).to_be_hidden()
    for key in ("line", "heat", "shares"):
        chart(insights, key).get_by_role("button", name="Show as table").click()
        expect(chart(insights, key).get_by_role("table")).to_be_visible()
    heat_rows = chart(insights, "heat").locator("tbody tr")
    pairs = [p for p in data["reach"]["pairs"] if p["from"] != p["to"] and p["interactions"]]
    expect(heat_rows).to_have_count(len(pairs))
    bars.get_by_role("button", name="Show as chart").click()
    expect(bars.get_by_role("img")).to_be_visible()


def test_the_period_and_bucket_ask_again(page, live_server, seeded):
    _, insights = open_insights(page, live_server)
    with page.expect_response(
        lambda r: "/api/v1/insights?" in r.url and "bucket=week" in r.url
    ) as r:
        insights.get_by_role("combobox", name="Group by").select_option("week")
    weeks = r.value.json()["buckets"]
    bars = chart(insights, "bars").get_by_role("img")
    expect(bars).to_have_attribute("aria-label", _starts("Interactions per week"))
    expect(bars.locator("g")).to_have_count(len(weeks))
    insights.get_by_role("combobox", name="Period").select_option(label="Last year")
    expect(insights.get_by_text("Nothing to show for this period")).to_be_visible()
    insights.get_by_role("combobox", name="Period").select_option(label="Last 3 months")
    expect(chart(insights, "bars").get_by_role("img")).to_be_visible()


def test_a_failed_load_says_so_and_tries_again(page, live_server, seeded):
    page.route("**/api/v1/insights?*", lambda route: route.abort())
    page.goto(f"{live_server.url}{URL}?as=alice")
    view = pane(page)
    view.get_by_role("button", name="Insights").click()
    alert = view.get_by_role("alert")
    expect(alert).to_contain_text("Insights could not be loaded")
    page.unroute("**/api/v1/insights?*")
    alert.get_by_role("button", name="Try again").click()
    expect(chart(view, "bars").get_by_role("img")).to_be_visible()
    # Escape goes back to the conversations, focus to the header's button
    view.get_by_role("region", name="Insights").locator(".view-title").focus()
    page.keyboard.press("Escape")
    expect(view.locator(".feed")).to_be_visible()
    expect(view.get_by_role("button", name="Insights")).to_be_focused()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_page_of_its_own_mounts_the_view_full_width(page, live_server, seeded, theme):
    page.emulate_media(color_scheme=theme)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.add_init_script(
        "window.ready = []; document.addEventListener('chatter:ready',"
        " (e) => window.ready.push(e.detail.user.id))"
    )
    page.goto(f"{live_server.url}/examples/insights.html?as=carol")
    chatter = page.locator("chatter-pane")
    insights = chatter.get_by_role("region", name="Insights")
    expect(chart(insights, "bars").get_by_role("img")).to_be_visible()
    page.wait_for_function("window.ready.length > 0")  # the host page hears it is ready, once
    assert len(page.evaluate("window.ready")) == 1
    target = page.locator("#insights").bounding_box()
    box = chatter.bounding_box()
    assert box["width"] == target["width"] > 1000
    # no conversations, no way back to them, and the page grows with the view (no inner scroll)
    expect(chatter.locator(".feed")).to_be_hidden()
    expect(insights.get_by_role("button", name="Conversations")).to_have_count(0)
    assert box["height"] > 1200
    svg = chart(insights, "bars").get_by_role("img").bounding_box()
    assert svg["width"] > 900  # drawn at its box's width
    screenshot(page, f"insights-page-{theme}", full_page=True)


def test_the_csv_button_downloads_the_servers_table(page, live_server, seeded):
    people, _ = seeded
    _, insights = open_insights(page, live_server)
    with page.expect_download() as download:
        insights.get_by_role("button", name="CSV").click()
    assert download.value.suggested_filename.endswith("-month.csv")
    assert download.value.url.startswith("blob:")  # what the server answered, kept
    body = Path(download.value.path()).read_text(encoding="utf-8")
    served = people["alice"].get(f"/insights.csv?{_query_of(page)}").get_data(as_text=True)
    assert body == served
    assert body.splitlines()[0].startswith("start,posts,comments,likes,promotions,interactions")


def _query_of(page):
    """The from/to/bucket of the last /insights request the page made."""
    return page.evaluate(
        "performance.getEntriesByType('resource').map(e => e.name)"
        ".filter(n => n.includes('/api/v1/insights.csv?')).at(-1).split('?')[1]"
    )


def test_a_leader_takes_themself_off_the_list(page, live_server, seeded):
    people, _ = seeded
    _, insights = open_insights(page, live_server, who="carol")
    leaders = insights.get_by_role("region", name="Knowledge leaders")
    expect(leaders.locator("li", has_text="Carol Chen")).to_have_count(1)
    me = leaders.get_by_role("checkbox", name="List me among the knowledge leaders")
    expect(me).to_be_checked()
    me.uncheck()
    expect(leaders.locator("li", has_text="Carol Chen")).to_have_count(0)
    expect(me).to_be_focused()
    assert people["carol"].get("/me/preferences").json["show_in_insights"] is False
    # read again (another period: the API keeps an answer per range until the event log moves),
    # she stays off the list; and she may come back
    insights.get_by_role("combobox", name="Period").select_option(label="Last 6 months")
    expect(leaders.locator("li", has_text="Dan Diaz")).to_have_count(1)
    expect(leaders.locator("li", has_text="Carol Chen")).to_have_count(0)
    expect(me).not_to_be_checked()
    # checked at once; saved once the pane's PATCH is answered (the view may be drawn again
    # when the event log moves, so its polite status line is not what to wait for)
    with page.expect_response(
        lambda r: r.url.endswith("/me/preferences") and r.request.method == "PATCH"
    ) as saved:
        me.check()
    assert saved.value.ok
    expect(me).to_be_checked()
    assert people["carol"].get("/me/preferences").json["show_in_insights"] is True
