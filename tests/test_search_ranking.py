"""Ranking: relevance blended with recency and engagement, the same formula on both databases.
The fixture corpus is ranked in the order written below, on SQLite and on PostgreSQL (each run
checks its own database against the same expected order)."""

from datetime import timedelta

import pytest
from sqlalchemy import text

from chatter.db import db
from chatter.models import utcnow

# name: (body, days old, likes, comments counted, promotions)
CORPUS = {
    "budget_focus": ("Budget: the budget review of the yearly budget", 40, 0, 0, 0),
    "budget_mention": (
        "Monday notes on hiring, office moves, parking, lunches, the canteen menu, the new"
        " printers, the holiday rota and one line about the budget",
        1,
        0,
        0,
        0,
    ),
    "budget_lively": ("Budget planning: the budget for the new year", 20, 12, 9, 3),
    "budget_old": (
        "Minutes of the facilities team: the second quarter, the lifts, the heating, the car"
        " park, the bicycle racks, the roof repairs, the cleaning contract, the security desk,"
        " the visitor badges and last the budget",
        400,
        0,
        0,
        0,
    ),
    "rail_exact": ("Rail booking tool is live: book your rail trips here", 5, 2, 0, 0),
    "rail_apart": ("Booking a hotel near the rail station", 2, 0, 0, 0),
    "rail_stale": ("The rail booking tool pilot", 300, 30, 20, 5),
    "travel_policy": (
        "The travel policy changed: read the travel policy before booking",
        10,
        0,
        0,
        0,
    ),
}
COMMENTS = {  # name: (on post, body, days old)
    "comment_budget": ("rail_apart", "Is the budget for hotels in the travel policy?", 3),
}
EXPECTED = {
    "budget ": ["budget_focus", "budget_lively", "comment_budget", "budget_mention", "budget_old"],
    "rail booking ": ["rail_exact", "rail_stale", "rail_apart"],
    '"travel policy"': ["travel_policy", "comment_budget"],
    "rail -hotel ": ["rail_exact", "rail_stale"],
}


@pytest.fixture
def corpus(app, alice, bob):
    names = {}
    for name, (body, *_rest) in CORPUS.items():
        names["post", alice.new_post(body)["id"]] = name
    ids = {name: row_id for (_, row_id), name in names.items()}
    for name, (on, body, _days) in COMMENTS.items():
        comment = bob.post(f"/posts/{ids[on]}/comments", json={"body": body}).json
        names["comment", comment["id"]] = name
        ids[name] = comment["id"]
    now = utcnow()
    with app.app_context():
        with db.engine.begin() as conn:  # backdate and weigh, as time and people would have
            for name, (_body, days, likes, comments, promotions) in CORPUS.items():
                conn.execute(
                    text(
                        "UPDATE posts SET created_at = :at, like_count = :likes,"
                        " comment_count = :comments, promotion_count = :promotions WHERE id = :id"
                    ),
                    {
                        "at": now - timedelta(days=days),
                        "likes": likes,
                        "comments": comments,
                        "promotions": promotions,
                        "id": ids[name],
                    },
                )
            for name, (_on, _body, days) in COMMENTS.items():
                conn.execute(
                    text("UPDATE comments SET created_at = :at WHERE id = :id"),
                    {"at": now - timedelta(days=days), "id": ids[name]},
                )
        db.engine.dispose()
    return names


@pytest.mark.parametrize("q", list(EXPECTED))
def test_both_databases_rank_the_corpus_in_the_written_order(corpus, bob, q):
    answer = bob.get("/search", query_string={"q": q, "type": "all"}).json
    ranked = [corpus[item["type"], item["id"]] for item in answer["items"]]
    assert ranked == EXPECTED[q]
