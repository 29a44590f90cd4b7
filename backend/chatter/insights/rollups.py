"""Building the insights rollups, and reading today straight from the interactions.

An interaction is a post, a comment (or reply), a like of a post or comment, or a promotion;
its actor is who did it, its author whose post or comment it was done to (a post's own author
for a post; a reply's parent comment's author for a reply). One SQL expression lists them in
a time window (`_INTERACTIONS`), over the `created_at` indexes; the same expression fills the
rollups of ended days (INSERT … SELECT, in the database) and answers today's part of a read.

Ended days are built lazily, once each: the first read that covers a day not yet in
`insight_days` claims it (INSERT … ON CONFLICT DO NOTHING RETURNING, so concurrent readers
never build a day twice) and builds every claimed run of days in one pass. The seeders build
theirs right after inserting (`build_ended_days`). Additive week and month rows are safe
because each day is added once.
"""

from collections import Counter
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import Date, DateTime, bindparam, delete, func, select, text

from .. import sqlite
from ..db import db, dialect_insert
from .models import InsightActive, InsightAuthor, InsightDay, InsightFlow, InsightReach

_DAY_EXPRESSIONS = {
    "sqlite": {
        "week": "date({at}, 'weekday 0', '-6 days')",
        "month": "date({at}, 'start of month')",
    },
    "postgresql": {
        "week": "CAST(date_trunc('week', {at}) AS date)",
        "month": "CAST(date_trunc('month', {at}) AS date)",
    },
}

# kind, actor, author, when: every interaction in [:start, :end).
_INTERACTIONS = """
SELECT 'post' AS kind, p.author_id AS actor_id, p.author_id AS author_id, p.created_at AS at
  FROM posts p WHERE p.created_at >= :start AND p.created_at < :end
UNION ALL
SELECT 'comment', c.author_id, COALESCE(parent.author_id, p.author_id), c.created_at
  FROM comments c JOIN posts p ON p.id = c.post_id
  LEFT JOIN comments parent ON parent.id = c.parent_id
  WHERE c.created_at >= :start AND c.created_at < :end
UNION ALL
SELECT 'like', l.user_id, p.author_id, l.created_at
  FROM post_likes l JOIN posts p ON p.id = l.post_id
  WHERE l.created_at >= :start AND l.created_at < :end
UNION ALL
SELECT 'like', l.user_id, c.author_id, l.created_at
  FROM comment_likes l JOIN comments c ON c.id = l.comment_id
  WHERE l.created_at >= :start AND l.created_at < :end
UNION ALL
SELECT 'promotion', pr.user_id, p.author_id, pr.created_at
  FROM promotions pr JOIN posts p ON p.id = pr.post_id
  WHERE pr.created_at >= :start AND pr.created_at < :end
"""
# The interactions with what the rollups group by: week, month, both departments.
_WINDOW = (
    "SELECT i.kind, i.actor_id, i.author_id, {week} AS week, {month} AS month,"
    " COALESCE(a.department, '') AS actor_department,"
    " COALESCE(b.department, '') AS author_department"
    f" FROM ({_INTERACTIONS}) i"
    " JOIN users a ON a.id = i.actor_id JOIN users b ON b.id = i.author_id"
)
# Engagement a person's posts and comments drew from someone else.
_ENGAGEMENT = "w.kind <> 'post' AND w.actor_id <> w.author_id"
# Each reads `{source}`: the window once materialized (a build), or inline (today's read).
_FLOWS = (
    "SELECT '{period}', w.{period}, w.kind, w.actor_department, w.author_department, COUNT(*)"
    " FROM {source} GROUP BY 2, 3, 4, 5"
)
_ACTIVE = "SELECT DISTINCT w.{period}, w.actor_department, w.actor_id FROM {source}"
_AUTHORS = (
    "SELECT month, uid, SUM(items), SUM(engagement) FROM ("
    " SELECT w.month AS month, w.actor_id AS uid, 1 AS items, 0 AS engagement FROM {source}"
    " WHERE w.kind IN ('post', 'comment')"
    f" UNION ALL SELECT w.month, w.author_id, 0, 1 FROM {{source}} WHERE {_ENGAGEMENT}"
    ") AS counted GROUP BY month, uid"
)
_REACH = (
    "SELECT w.month, w.author_id, w.actor_department, COUNT(*) FROM {source}"
    f" WHERE {_ENGAGEMENT} GROUP BY 1, 2, 3"
)
_TIMES = (bindparam("start", type_=DateTime()), bindparam("end", type_=DateTime()))


def _window(dialect):
    names = {key: value.format(at="i.at") for key, value in _DAY_EXPRESSIONS[dialect].items()}
    return _WINDOW.format(**names)


def _sql(template, source, **extra):
    return text(template.format(source=source, **extra))


PERIODS = ("week", "month")

# Moves whenever this process forgets or builds rollups: part of a remembered answer's key.
generation = 0


def today():
    return datetime.now(UTC).date()


def _midnight(day):
    return datetime.combine(day, time())


def dialect():
    return db.session.get_bind().dialect.name


# ---- building ended days ---------------------------------------------------------------


def _runs(days):
    """Consecutive runs [(first, last), …] of sorted days."""
    runs = []
    for day in days:
        if runs and day == runs[-1][1] + timedelta(days=1):
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return runs


def _build(first, last):
    """Roll up the interactions of the days first..last (claimed, so never built yet): the
    window is materialized once, then each rollup is one INSERT … SELECT from it, added to
    the rows of the weeks and months the days belong to."""
    name = dialect()
    window = {"start": _midnight(first), "end": _midnight(last + timedelta(days=1))}
    db.session.execute(text("DROP TABLE IF EXISTS insight_window"))
    create = text(f"CREATE TEMPORARY TABLE insight_window AS {_window(name)}")
    db.session.execute(create.bindparams(*_TIMES), window)
    source = "insight_window w"
    statements = [
        *(
            "INSERT INTO insight_flows (period, start, kind, actor_department,"
            f" author_department, interactions) {_FLOWS.format(period=period, source='{source}')}"
            " ON CONFLICT (period, start, kind, actor_department, author_department) DO UPDATE"
            " SET interactions = insight_flows.interactions + excluded.interactions"
            for period in PERIODS
        ),
        f"INSERT INTO insight_authors (month, user_id, items, engagement) {_AUTHORS}"
        " ON CONFLICT (month, user_id) DO UPDATE SET items = insight_authors.items"
        " + excluded.items, engagement = insight_authors.engagement + excluded.engagement",
        f"INSERT INTO insight_reach (month, user_id, actor_department, interactions) {_REACH}"
        " ON CONFLICT (month, user_id, actor_department) DO UPDATE SET"
        " interactions = insight_reach.interactions + excluded.interactions",
    ]
    for statement in statements:
        if name == "sqlite":
            statement = _sqlite_upsert(statement)
        db.session.execute(_sql(statement, source))
    for period in PERIODS:
        people = _sql(_ACTIVE, source, period=period).columns(**{period: Date()})
        _add_active(period, db.session.execute(people))
    db.session.execute(text("DROP TABLE insight_window"))


def people_bits(ids):
    """A set of user ids as an integer whose bit n is user n (what InsightActive keeps)."""
    bits = bytearray(max(ids, default=0) // 8 + 1)
    for uid in ids:
        bits[uid >> 3] |= 1 << (uid & 7)
    return bits_int(bits)


def bits_int(people):
    """An InsightActive row's `people` (little-endian bytes) as such an integer."""
    return int.from_bytes(people, "little")


def _add_active(period, rows):
    """OR (start, department, user id) rows into the period's active sets. Rows that do
    not exist yet are made empty first, then every row touched is locked and rewritten,
    so builders of different days never lose each other's people."""
    added = {}
    for start, department, uid in rows:
        added.setdefault((start, department), []).append(uid)
    if not added:
        return
    db.session.execute(
        dialect_insert()(InsightActive.__table__)
        .values(
            [
                {"period": period, "start": start, "department": department, "people": b""}
                for start, department in added
            ]
        )
        .on_conflict_do_nothing()
    )
    starts = sorted({start for start, _department in added})
    held = db.session.execute(
        select(InsightActive.start, InsightActive.department, InsightActive.people)
        .where(InsightActive.period == period, InsightActive.start.in_(starts))
        .with_for_update()
    ).all()
    table = InsightActive.__table__
    update = (
        table.update()
        .where(
            table.c.period == period,
            table.c.start == bindparam("b_start"),
            table.c.department == bindparam("b_department"),
        )
        .values(people=bindparam("b_people"))
    )
    changed = []
    for start, department, people in held:
        ids = added.get((start, department))
        if ids is None:
            continue
        merged = bits_int(people) | people_bits(ids)
        changed.append(
            {
                "b_start": start,
                "b_department": department,
                "b_people": merged.to_bytes((merged.bit_length() + 7) // 8, "little"),
            }
        )
    if changed:
        db.session.execute(update, changed)


def _sqlite_upsert(statement):
    """`INSERT INTO t (cols) SELECT …` + ON CONFLICT in a form SQLite parses without its
    ambiguity (an upsert's SELECT needs a WHERE of its own): the SELECT wrapped, `WHERE true`
    after it."""
    head, _, tail = statement.partition(" ON CONFLICT")
    into, _, select_ = head.partition(") SELECT ")
    return f"{into}) SELECT * FROM (SELECT {select_}) WHERE true ON CONFLICT{tail}"


def build_ended_days(first, last):
    """Make sure the rollups of every ended day in first..last exist (building those that do
    not, in this transaction: the caller commits). True when something was built."""
    last = min(last, today() - timedelta(days=1))
    if last < first:
        return False
    expected = (last - first).days + 1
    have = db.session.scalar(
        select(func.count()).where(InsightDay.day >= first, InsightDay.day <= last)
    )
    if have == expected:
        return False
    built = {
        day
        for (day,) in db.session.execute(
            select(InsightDay.day).where(InsightDay.day >= first, InsightDay.day <= last)
        )
    }
    missing = [first + timedelta(days=n) for n in range(expected)]
    missing = [day for day in missing if day not in built]
    now = datetime.now(UTC).replace(tzinfo=None)
    claim = (
        dialect_insert()(InsightDay.__table__)
        .values([{"day": day, "built_at": now} for day in missing])
        .on_conflict_do_nothing()
        .returning(InsightDay.day)
    )
    claimed = sorted(db.session.scalars(claim).all())
    for first_day, last_day in _runs(claimed):
        _build(first_day, last_day)
    if claimed:
        global generation  # noqa: PLW0603
        generation += 1
    return bool(claimed)


def ensure_built(first, last):
    """Before a read (a GET, which reads only): build missing ended days in a write
    transaction of its own, committed, then go on reading."""
    last = min(last, today() - timedelta(days=1))
    if last < first:
        return
    have = db.session.scalar(
        select(func.count()).where(InsightDay.day >= first, InsightDay.day <= last)
    )
    if have == (last - first).days + 1:
        return
    db.session.rollback()
    sqlite.reads_only(False)
    try:
        build_ended_days(first, last)
        db.session.commit()
    finally:
        sqlite.reads_only(True)


def forget_all():
    """Delete every rollup (`chatter insights --rebuild`, and seeders that backdate)."""
    global generation  # noqa: PLW0603 - answers remembered before this are stale
    generation += 1
    for model in (InsightDay, InsightFlow, InsightActive, InsightAuthor, InsightReach):
        db.session.execute(delete(model))


# ---- today, live -------------------------------------------------------------------------


def live(day):
    """Today's interactions as the rollups would hold them: (flows, active, authors, reach).

    flows: [(kind, actor department, author department, n)]; active: {user id: department};
    authors: {user id: [items, engagement]}; reach: [(user id, actor department, n)].
    The window is read once and counted here by the rules the rollups' SQL follows (_FLOWS,
    _ACTIVE, _AUTHORS with _ENGAGEMENT, _REACH): a day is small, four passes over it are not.
    """
    window = {"start": _midnight(day), "end": _midnight(day + timedelta(days=1))}
    read = text(
        "SELECT w.kind, w.actor_id, w.author_id, w.actor_department, w.author_department"
        f" FROM ({_window(dialect())}) w"
    ).bindparams(*_TIMES)
    flows, reach = Counter(), Counter()
    active, authors = {}, {}
    for kind, actor, author, actor_department, author_department in db.session.execute(
        read, window
    ):
        flows[kind, actor_department, author_department] += 1
        active[actor] = actor_department
        if kind in ("post", "comment"):
            authors.setdefault(actor, [0, 0])[0] += 1
        if kind != "post" and actor != author:  # engagement drawn from someone else
            authors.setdefault(author, [0, 0])[1] += 1
            reach[author, actor_department] += 1
    return (
        [(*key, n) for key, n in flows.items()],
        active,
        authors,
        [(*key, n) for key, n in reach.items()],
    )
