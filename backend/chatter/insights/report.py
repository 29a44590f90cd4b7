"""GET /insights: the year (or any range up to three years) as the organization lived it.

Everything is read from the rollups (rollups.py) plus today's interactions, except what is
few enough to read directly through its index: new people, questions, outcomes and the
candidates for top conversations. One answer is remembered per range while the event log
has not moved (a pane opening Insights twice, several people looking at once).
"""

import json
import math
import re
import statistics
from datetime import date, timedelta

from sqlalchemy import DateTime, func, literal_column, select, union

from .. import links
from ..db import db
from ..mail.models import MailPreference
from ..models import Comment, Context, Post, User
from . import rollups
from .models import InsightActive, InsightAuthor, InsightFlow, InsightReach
from .rollups import live, today

KINDS = ("post", "comment", "like", "promotion")
BUCKET_FIELDS = (
    "start",
    "posts",
    "comments",
    "likes",
    "promotions",
    "interactions",
    "active_people",
    "per_active_person",
    "new_people",
)
MOST_DAYS = 3 * 366  # the longest range asked at once
LEADERS, CANDIDATES, ANSWER_WEIGHT = 10, 200, 5
TOP_CONVERSATIONS, CONVERSATION_CANDIDATES, OUTCOMES_LISTED = 10, 50, 20
_IN_CHUNK = 900  # ids per IN list (SQLite's variable limit is far above; plans stay small)
_SPACES = re.compile(r"\s+")
_remembered = {}


# ---- buckets -------------------------------------------------------------------------------


def bucket_start(day, bucket):
    """The Monday of a day's week, or the first of its month."""
    if bucket == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def _next_start(start, bucket):
    if bucket == "week":
        return start + timedelta(days=7)
    return (start + timedelta(days=32)).replace(day=1)


def snapped(first, last, bucket):
    """The range widened to whole buckets: (first day, last day)."""
    return bucket_start(first, bucket), _next_start(bucket_start(last, bucket), bucket) - timedelta(
        days=1
    )


def default_range(bucket="month"):
    """The last twelve months (this one included), or the last 52 weeks."""
    end = today()
    if bucket == "week":
        return bucket_start(end, "week") - timedelta(weeks=51), end
    start = end.replace(day=1)
    for _ in range(11):
        start = (start - timedelta(days=1)).replace(day=1)
    return start, end


def _starts(first, last, bucket):
    starts, start = [], first
    while start <= last:
        starts.append(start)
        start = _next_start(start, bucket)
    return starts


def _chunks(ids):
    ids = list(ids)
    for at in range(0, len(ids), _IN_CHUNK):
        yield ids[at : at + _IN_CHUNK]


def _median(values):
    return round(statistics.median(values), 1) if values else None


def _one_line(text, most):
    line = _SPACES.sub(" ", text or "").strip()
    return line if len(line) <= most else line[: most - 1].rstrip() + "…"


# ---- the answer ------------------------------------------------------------------------------


def report(first, last, bucket, head):
    """The insights for first..last (already whole buckets) by `bucket`, as a dict."""
    key = (first, last, bucket, head, today(), rollups.generation)
    answer = _remembered.get(key)
    if answer is None:
        answer = _build(first, last, bucket)
        if len(_remembered) >= 32:
            _remembered.clear()
        _remembered[key] = answer
    return _listed(answer)


def _listed(answer):
    """The answer with its leaders: the first of the ranked candidates who have not opted out
    (asked anew on every read, so opting out shows at once, remembered answer or not)."""
    ranked = answer["ranked_leaders"]
    ids = [leader["person"]["id"] for leader in ranked]
    out = set()
    if ids:
        out.update(
            db.session.scalars(
                select(MailPreference.user_id).where(
                    MailPreference.user_id.in_(ids), MailPreference.show_in_insights.is_(False)
                )
            )
        )
    leaders = [leader for leader in ranked if leader["person"]["id"] not in out][:LEADERS]
    return {name: value for name, value in answer.items() if name != "ranked_leaders"} | {
        "leaders": leaders
    }


def _build(first, last, bucket):
    day = today()
    today_live = live(day) if first <= day <= last else ([], {}, {}, [])
    flows, active, authors, reach = today_live
    starts = _starts(first, last, bucket)
    buckets = {start: dict.fromkeys(KINDS, 0) for start in starts}
    by_department, pairs = {}, {}
    column = InsightFlow.start
    in_range = (InsightFlow.period == bucket, column >= first, column <= last)  # whole buckets
    total = func.sum(InsightFlow.interactions)

    def summed(*columns, where=()):
        """One small aggregate of the flows: the database sums, Python only places."""
        statement = select(*columns, total).where(*in_range, *where).group_by(*columns)
        return db.session.execute(statement).all()

    current = bucket_start(day, bucket)
    for start, kind, n in summed(column, InsightFlow.kind):
        buckets[start][kind] += n
    for actor, n in summed(InsightFlow.actor_department):
        by_department[actor] = n
    for actor, author, n in summed(
        InsightFlow.actor_department,
        InsightFlow.author_department,
        where=[InsightFlow.kind != "post"],
    ):
        pairs[actor, author] = n
    for kind, actor, author, n in flows:  # today's
        buckets[current][kind] += n
        by_department[actor] = by_department.get(actor, 0) + n
        if kind != "post":
            pairs[actor, author] = pairs.get((actor, author), 0) + n
    active_by_bucket, active_by_department = _active(first, last, bucket, current, active)
    new_people = _new_people(first, last, bucket)
    return {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "bucket": bucket,
        "buckets": [
            _bucket_row(start, buckets[start], active_by_bucket, new_people) for start in starts
        ],
        "departments": _departments(by_department, active_by_department),
        "reach": _reach(pairs),
        "top_conversations": _top_conversations(first, last),
        "outcomes": _outcomes(first, last),
        "questions": _questions(first, last),
        "ranked_leaders": _leaders(first, last, authors, reach),
    }


def _bucket_row(start, counts, active_by_bucket, new_people):
    interactions = sum(counts.values())
    active = active_by_bucket.get(start, 0)
    return {
        "start": start.isoformat(),
        "posts": counts["post"],
        "comments": counts["comment"],
        "likes": counts["like"],
        "promotions": counts["promotion"],
        "interactions": interactions,
        "active_people": active,
        "per_active_person": round(interactions / active, 1) if active else 0.0,
        "new_people": new_people.get(start, 0),
    }


def _active(first, last, bucket, current, today_active):
    """(active people per bucket start, active people per department over the range): the
    sets of the range's buckets OR-ed together, today's people added to the current one."""
    per_bucket, per_department = {}, {}

    def add(start, department, people):
        per_bucket[start] = per_bucket.get(start, 0) | people
        per_department[department] = per_department.get(department, 0) | people

    for start, department, people in db.session.execute(
        select(InsightActive.start, InsightActive.department, InsightActive.people).where(
            InsightActive.period == bucket,
            InsightActive.start >= first,
            InsightActive.start <= last,
        )
    ):
        add(start, department, rollups.bits_int(people))
    by_department = {}
    for uid, department in today_active.items():
        by_department.setdefault(department, []).append(uid)
    for department, ids in by_department.items():
        add(current, department, rollups.people_bits(ids))
    return (
        {start: people.bit_count() for start, people in per_bucket.items()},
        {department: people.bit_count() for department, people in per_department.items()},
    )


def _new_people(first, last, bucket):
    joined = db.session.scalars(
        select(User.created_at).where(
            User.created_at >= first, User.created_at < last + timedelta(days=1)
        )
    )
    counts = {}
    for at in joined:
        start = bucket_start(at.date(), bucket)
        counts[start] = counts.get(start, 0) + 1
    return counts


def _departments(by_department, active_by_department):
    people = {}
    for department, count in db.session.execute(
        select(User.department, func.count()).group_by(User.department)
    ):
        people[department or ""] = people.get(department or "", 0) + count
    names = set(people) | set(by_department)
    rows = []
    for name in names:
        count, active = people.get(name, 0), active_by_department.get(name, 0)
        rows.append(
            {
                "name": name,
                "people": count,
                "active_people": active,
                "interactions": by_department.get(name, 0),
                "share": round(min(active / count, 1.0), 3) if count else 0.0,
            }
        )
    return sorted(rows, key=lambda row: (-row["interactions"], row["name"]))


def _reach(pairs):
    total = sum(pairs.values())
    cross = sum(n for (actor, author), n in pairs.items() if actor != author)
    listed = sorted(pairs.items(), key=lambda item: (-item[1], item[0]))
    return {
        "interactions": total,
        "cross_department": cross,
        "share": round(cross / total, 3) if total else 0.0,
        "pairs": [
            {"from": actor, "to": author, "interactions": n} for (actor, author), n in listed
        ],
    }


def _small_post(row):
    return {
        "id": row.id,
        "title": _one_line(row.body.split("\n", 1)[0], 120),
        "excerpt": _one_line(row.body, 200),
        "url": links.post_link(row.id, row.context_url),
        "author": {"id": row.author_id, "name": row.author_name},
    }


def _posts(*where):
    return (
        select(
            Post.id,
            Post.body,
            Post.author_id,
            Post.created_at,
            Post.comment_count,
            Post.outcome_summary,
            Post.outcome_at,
            User.name.label("author_name"),
            Context.url.label("context_url"),
        )
        .join(User, User.id == Post.author_id)
        .outerjoin(Context, Context.id == Post.context_id)
        .where(*where)
    )


def _day_range(column, first, last):
    return column >= first, column < last + timedelta(days=1)


def _top_conversations(first, last):
    """By breadth (distinct departments of the author and the commenters), then comments,
    among the most-commented conversations started in the range."""
    # Walking the comment counts down stops after a few hundred rows; SQLite would rather
    # sort every post of the range from its day index, which unary + keeps it from using.
    day = Post.created_at
    if rollups.dialect() == "sqlite":
        day = literal_column("+posts.created_at", DateTime())
    candidates = db.session.execute(
        _posts(*_day_range(day, first, last), Post.comment_count > 0)
        .order_by(Post.comment_count.desc(), Post.id.desc())
        .limit(CONVERSATION_CANDIDATES)
    ).all()
    if not candidates:
        return []
    ids = [row.id for row in candidates]
    departments = union(
        select(Comment.post_id, func.coalesce(User.department, "").label("department"))
        .join(User, User.id == Comment.author_id)
        .where(Comment.post_id.in_(ids)),
        select(Post.id, func.coalesce(User.department, ""))
        .join(User, User.id == Post.author_id)
        .where(Post.id.in_(ids)),
    ).subquery()
    breadth = dict(
        db.session.execute(
            select(departments.c.post_id, func.count()).group_by(departments.c.post_id)
        ).all()
    )
    ranked = sorted(candidates, key=lambda row: (-breadth.get(row.id, 1), -row.comment_count))
    return [
        {
            "post": _small_post(row),
            "departments": breadth.get(row.id, 1),
            "comments": row.comment_count,
        }
        for row in ranked[:TOP_CONVERSATIONS]
    ]


def _days_between(start, end):
    return round((end - start).total_seconds() / 86400, 1)


def _outcomes(first, last):
    rows = db.session.execute(
        _posts(*_day_range(Post.outcome_at, first, last)).order_by(
            Post.outcome_at.desc(), Post.id.desc()
        )
    ).all()
    days = [_days_between(row.created_at, row.outcome_at) for row in rows]
    return {
        "count": len(rows),
        "median_days": _median(days),
        "items": [
            {
                "post": _small_post(row),
                "summary": row.outcome_summary,
                "days": _days_between(row.created_at, row.outcome_at),
                "at": row.outcome_at.isoformat(timespec="milliseconds") + "Z",
            }
            for row in rows[:OUTCOMES_LISTED]
        ],
    }


# Hours from a question to its answer, as each database counts them.
_HOURS_TO_ANSWER = {
    "sqlite": "(julianday(answered_at) - julianday(created_at)) * 24",
    "postgresql": "date_part('epoch', answered_at - created_at) / 3600",  # a double, not numeric
}


def _questions(first, last):
    """Questions asked in the range, how many got an answer, the median hours to it: counted
    and ordered in the database over the questions' index (tens of thousands at scale)."""
    asked = (Post.kind == "question", *_day_range(Post.created_at, first, last))
    count, answered = db.session.execute(
        select(func.count(), func.count(Post.answered_at)).where(*asked)
    ).one()
    median = None
    if answered:
        hours = literal_column(_HOURS_TO_ANSWER[rollups.dialect()])
        middle = db.session.scalars(
            select(hours)
            .where(*asked, Post.answered_at.is_not(None))
            .order_by(hours)
            .offset((answered - 1) // 2)
            .limit(2 - answered % 2)
        ).all()
        median = round(sum(middle) / len(middle), 1)
    return {"asked": count, "answered": answered, "median_hours_to_answer": median}


def _json_array_of_distinct(column):
    """An aggregate: the column's distinct values as a JSON array (text on SQLite)."""
    if rollups.dialect() == "sqlite":
        return func.json_group_array(column.distinct())
    return func.json_agg(column.distinct())


# ---- knowledge leaders ------------------------------------------------------------------------


def _leaders(first, last, today_authors, today_reach):
    """People whose posts, comments and answers draw engagement from the most other
    departments, normalized by volume:

        score = departments reached × log2(1 + (engagement + 5 × answers) / items)

    departments reached: distinct departments, other than their own, of the people who
    commented on, replied to, liked or promoted what they wrote; engagement: how many such
    interactions; answers: their comments marked as a question's answer; items: the posts and
    comments they wrote (at least 1). Counted over the months the range touches. The
    candidates are each month's 200 people who drew the most engagement, the 200 with the
    most answers and today's 200 most engaging; the 200 of them weighing most (engagement +
    5 × answers) are scored, and all are returned in rank: who opted out
    (`show_in_insights: false`) is left out when the answer is read (_listed).
    """
    month_first = first.replace(day=1)
    months = (InsightAuthor.month >= month_first, InsightAuthor.month <= last)
    # Answers per person from the questions' covering index (the answer's author is kept
    # with it): no answer comment is visited.
    answers = dict(
        db.session.execute(
            select(Post.answer_author_id, func.count())
            .where(
                Post.kind == "question",
                Post.created_at < last + timedelta(days=1),
                *_day_range(Post.answered_at, first, last),
                Post.answer_author_id.is_not(None),
            )
            .group_by(Post.answer_author_id)
        ).all()
    )
    candidates = set()
    for month in _starts(month_first, last, "month"):  # each through its index, 200 rows
        candidates.update(
            db.session.scalars(
                select(InsightAuthor.user_id)
                .where(InsightAuthor.month == month)
                .order_by(InsightAuthor.engagement.desc())
                .limit(CANDIDATES)
            )
        )
    candidates.update(sorted(answers, key=lambda uid: -answers[uid])[:CANDIDATES])
    candidates.update(sorted(today_authors, key=lambda uid: -today_authors[uid][1])[:CANDIDATES])
    totals = {uid: [0, 0] for uid in candidates}
    for ids in _chunks(candidates):
        for uid, items, engagement in db.session.execute(
            select(
                InsightAuthor.user_id,
                func.sum(InsightAuthor.items),
                func.sum(InsightAuthor.engagement),
            )
            .where(*months, InsightAuthor.user_id.in_(ids))
            .group_by(InsightAuthor.user_id)
        ):
            totals[uid] = [items, engagement]
    for uid, (items, engagement) in today_authors.items():
        if uid in totals:
            totals[uid][0] += items
            totals[uid][1] += engagement

    def weighing(uid):
        return totals[uid][1] + ANSWER_WEIGHT * answers.get(uid, 0)

    totals = {
        uid: totals[uid]
        for uid in sorted(totals, key=lambda uid: (-weighing(uid), uid))[:CANDIDATES]
    }
    if not totals:
        return []
    # Each candidate's engaging departments as one JSON array (a row per person, not per
    # person × month × department).
    departments = _json_array_of_distinct(InsightReach.actor_department)
    reached = {}
    for ids in _chunks(totals):
        for uid, names in db.session.execute(
            select(InsightReach.user_id, departments)
            .where(
                InsightReach.month >= month_first,
                InsightReach.month <= last,
                InsightReach.user_id.in_(ids),
            )
            .group_by(InsightReach.user_id)
        ):
            reached[uid] = set(json.loads(names) if isinstance(names, str) else names)
    for uid, department, _n in today_reach:
        if uid in totals:
            reached.setdefault(uid, set()).add(department)
    people = {}
    for ids in _chunks(totals):
        for row in db.session.execute(
            select(User.id, User.name, User.title, User.department, User.handle).where(
                User.id.in_(ids)
            )
        ):
            people[row.id] = row
    ranked = []
    for uid, (items, engagement) in totals.items():
        person = people.get(uid)
        if person is None:
            continue
        own = person.department or ""
        breadth = len({d for d in reached.get(uid, ()) if d and d != own})
        weight = engagement + ANSWER_WEIGHT * answers.get(uid, 0)
        if breadth == 0 or weight == 0:
            continue
        score = breadth * math.log2(1 + weight / max(items, 1))
        ranked.append((score, weight, uid, breadth, engagement))
    ranked.sort(key=lambda item: (-item[0], -item[1], item[2]))
    return [
        {
            "person": {
                "id": uid,
                "name": people[uid].name,
                "title": people[uid].title,
                "department": people[uid].department,
                "handle": people[uid].handle,
            },
            "departments_reached": breadth,
            "engagement": engagement,
            "answers": answers.get(uid, 0),
            "score": round(score, 2),
        }
        for score, _weight, uid, breadth, engagement in ranked
    ]


def csv_rows(answer):
    """The bucket table: a header row of BUCKET_FIELDS, then one row per bucket."""
    yield list(BUCKET_FIELDS)
    for row in answer["buckets"]:
        yield [row[name] for name in BUCKET_FIELDS]


def parse_day(value):
    """A YYYY-MM-DD date, or None."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
