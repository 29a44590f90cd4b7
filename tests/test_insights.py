"""GET /insights, /insights.csv and `chatter insights`: the figures a person reads, the
rollups of ended days agreeing with today's live reading, restrictions and hostile ranges."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import DateTime, bindparam, func, select, text

from chatter.cli import main
from chatter.db import db
from chatter.insights import rollups
from chatter.insights.models import InsightDay

from .conftest import Api


def person(client, sub, name, department, title="Engineer"):
    return Api(client, sub, name=name, department=department, title=title)


@pytest.fixture
def org(app):
    """Four people in three departments and a month of talk: a question Design answered,
    a post Sales and Design took part in, likes across departments."""
    client = app.test_client()
    ana = person(client, "ana", "Ana Alves", "Engineering", "Staff engineer")
    ben = person(client, "ben", "Ben Brown", "Design", "Junior designer")
    cy = person(client, "cy", "Cy Cole", "Sales", "Account executive")
    dee = person(client, "dee", "Dee Dunn", "Engineering", "Intern")
    question = ana.new_post("How do we book rail travel?", kind="question")
    answer = ben.post(f"/posts/{question['id']}/comments", json={"body": "The travel tool"}).json
    cy.post(f"/posts/{question['id']}/comments", json={"body": "Agreed"})
    ana.put(f"/posts/{question['id']}/answer", json={"comment_id": answer["id"]})
    news = ben.new_post("New brand colours are out")
    for reader in (ana, cy, dee):
        reader.put(f"/posts/{news['id']}/like")
    cy.put(f"/comments/{answer['id']}/like")
    dee.put(f"/posts/{news['id']}/promotion")
    return {"ana": ana, "ben": ben, "cy": cy, "dee": dee, "question": question, "news": news}


def insights(api, **query):
    response = api.get("/insights", query_string=query)
    assert response.status_code == 200, response.json
    return response.json


def backdate(app, days):
    """Move every interaction (and person) `days` into the past, as if it happened then, and
    forget the rollups, as the seeders do (ended days are otherwise built once)."""
    with app.app_context():
        for table, columns in (
            ("users", ("created_at",)),
            ("posts", ("created_at", "last_activity_at", "answered_at")),
            ("comments", ("created_at",)),
            ("post_likes", ("created_at",)),
            ("comment_likes", ("created_at",)),
            ("promotions", ("created_at",)),
        ):
            for column in columns:
                values = db.session.execute(text(f"SELECT DISTINCT {column} FROM {table}")).all()
                for (value,) in values:
                    if value is None:
                        continue
                    if isinstance(value, str):
                        value = datetime.fromisoformat(value)
                    update = text(f"UPDATE {table} SET {column} = :new WHERE {column} = :old")
                    update = update.bindparams(
                        bindparam("new", type_=DateTime), bindparam("old", type_=DateTime)
                    )
                    db.session.execute(update, {"new": value - timedelta(days=days), "old": value})
        rollups.forget_all()
        db.session.commit()


def test_the_month_of_an_organization_read_live_today(org):
    seen = insights(org["ana"])
    this_month = seen["buckets"][-1]
    assert len(seen["buckets"]) == 12 and seen["bucket"] == "month"
    assert this_month == {
        "start": datetime.now(UTC).date().replace(day=1).isoformat(),
        "posts": 2,
        "comments": 2,
        "likes": 4,
        "promotions": 1,
        "interactions": 9,
        "active_people": 4,
        "per_active_person": 2.2,
        "new_people": 4,
    }
    assert all(bucket["interactions"] == 0 for bucket in seen["buckets"][:-1])
    departments = {d["name"]: d for d in seen["departments"]}
    assert departments["Engineering"] == {
        "name": "Engineering",
        "people": 2,
        "active_people": 2,
        "interactions": 4,  # Ana's question and like, Dee's like and promotion
        "share": 1.0,
    }
    assert departments["Sales"]["interactions"] == 3
    reach = seen["reach"]
    assert reach["interactions"] == 7 and reach["cross_department"] == 7
    pairs = {(p["from"], p["to"]): p["interactions"] for p in reach["pairs"]}
    assert pairs == {
        ("Engineering", "Design"): 3,  # Ana's like, Dee's like and promotion
        ("Design", "Engineering"): 1,  # Ben's answer on Ana's question
        ("Sales", "Engineering"): 1,
        ("Sales", "Design"): 2,  # Cy's like of the post and of Ben's answer
    }
    top = seen["top_conversations"]
    assert [t["post"]["id"] for t in top] == [org["question"]["id"]]
    assert top[0]["departments"] == 3 and top[0]["comments"] == 2
    assert top[0]["post"]["title"] == "How do we book rail travel?"
    assert seen["questions"] == {"asked": 1, "answered": 1, "median_hours_to_answer": 0.0}
    leaders = seen["leaders"]
    assert [leader["person"]["name"] for leader in leaders] == ["Ben Brown", "Ana Alves"]
    ben = leaders[0]
    assert ben["person"]["title"] == "Junior designer" and ben["answers"] == 1
    assert ben["departments_reached"] == 2 and ben["engagement"] == 5


def test_ended_days_are_rolled_up_once_and_agree_with_the_live_reading(app, org):
    live = insights(org["ana"], bucket="week")
    backdate(app, 1)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(InsightDay)) == 0
    rolled = insights(org["ana"], bucket="week")
    with app.app_context():
        built = db.session.scalar(select(func.count()).select_from(InsightDay))
    assert built > 300  # every ended day of the 52 weeks, each once
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    week = (yesterday - timedelta(days=yesterday.weekday())).isoformat()

    def only(answer):
        answer = {k: v for k, v in answer.items() if k not in ("outcomes",)}
        answer["buckets"] = [
            b | {"start": "the week"} for b in answer["buckets"] if b["interactions"]
        ]
        return answer

    assert [b["start"] for b in rolled["buckets"] if b["interactions"]] == [week]
    assert only(rolled) == only(live)
    assert insights(org["ana"], bucket="week") == rolled  # nothing built twice
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(InsightDay)) == built

    # Today adds to what the rollups hold; someone active on both days counts once.
    org["cy"].put(f"/posts/{org['question']['id']}/like")
    again = insights(org["ana"], bucket="month")
    months = [b for b in again["buckets"] if b["interactions"]]
    assert sum(b["likes"] for b in months) == 5
    if len(months) == 1:  # yesterday was in this month
        assert months[0]["active_people"] == 4
    assert sum(d["active_people"] for d in again["departments"]) == 4


def test_the_csv_and_the_cli_give_the_bucket_table_of_the_api(app, org):
    seen = insights(org["ana"], bucket="week", **{"from": "2026-01-05", "to": "2026-12-31"})
    response = org["ana"].get("/insights.csv?bucket=week&from=2026-01-05&to=2026-12-31")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.data.decode())))
    assert rows[0] == list(seen["buckets"][0])
    assert rows[1:] == [[str(value) for value in b.values()] for b in seen["buckets"]]
    result = CliRunner().invoke(
        main,
        ["insights", "--from", "2026-01-05", "--to", "2026-12-31", "--bucket", "week"],
        obj=ScriptInfo(create_app=lambda: app),
    )
    assert result.exit_code == 0, result.output
    printed = [line.split() for line in result.output.strip().splitlines()]
    assert printed == rows
    bad = CliRunner().invoke(
        main, ["insights", "--from", "2026-13-01"], obj=ScriptInfo(create_app=lambda: app)
    )
    assert bad.exit_code != 0 and "YYYY-MM-DD" in bad.output


def test_a_person_who_opts_out_is_not_listed_among_leaders(org):
    def leaders():
        return [leader["person"]["name"] for leader in insights(org["ana"])["leaders"]]

    assert leaders() == ["Ben Brown", "Ana Alves"]  # the answer is remembered from here on
    assert org["ben"].patch("/me/preferences", json={"show_in_insights": False}).status_code == 200
    assert org["ben"].get("/me/preferences").json["show_in_insights"] is False
    assert leaders() == ["Ana Alves"]  # at once, though nothing else changed
    assert org["ben"].patch("/me/preferences", json={"show_in_insights": True}).status_code == 200
    assert leaders() == ["Ben Brown", "Ana Alves"]
    org["ben"].patch("/me/preferences", json={"show_in_insights": False})
    refused = org["ben"].patch("/me/preferences", json={"show_in_insights": "no"})
    assert refused.status_code == 422


def test_insights_may_be_for_admins_only(make_app):
    app = make_app(CHATTER_INSIGHTS="admins", CHATTER_ADMINS="chatter-dev|root")
    client = app.test_client()
    someone, admin = Api(client, "someone"), Api(client, "root")
    refused = someone.get("/insights")
    assert refused.status_code == 403 and refused.json["code"] == "insights_restricted"
    assert someone.get("/insights.csv").status_code == 403
    assert admin.get("/insights").status_code == 200
    assert Api(client, "x").get("/insights").status_code == 403


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"from": "2026-02-30"}, "invalid_date"),
        ({"from": "yesterday"}, "invalid_date"),
        ({"to": "2026-1-1"}, "invalid_date"),
        ({"from": "2026-12-01", "to": "2026-01-01"}, "invalid_range"),
        ({"from": "2020-01-01", "to": "2026-12-31"}, "range_too_long"),
        ({"from": "0001-01-01", "to": "9999-12-31"}, "range_too_long"),
        ({"bucket": "day"}, "invalid_bucket"),
        ({"bucket": "year"}, "invalid_bucket"),
    ],
)
def test_bad_ranges_are_a_clear_400_and_build_nothing(app, alice, query, code):
    alice.new_post("Something to count")
    for path in ("/insights", "/insights.csv"):
        response = alice.get(path, query_string=query)
        assert response.status_code == 400, response.json
        assert response.json["code"] == code
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(InsightDay)) == 0


def test_strangers_see_no_insights(client):
    assert client.get("/api/v1/insights").status_code == 401
    assert client.get("/api/v1/insights.csv").status_code == 401
