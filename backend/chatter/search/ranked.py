"""A Query as each database's SQL: the ranked page of matching posts and comments.

The blend is one formula on both databases, time-invariant within a search (its `now` rides in
the cursor, so pages never shift):

    score = 0.6 * percent_rank of r                relevance among the candidates, 0 to 1:
                                                   r = -bm25 (SQLite FTS5) or
                                                   ts_rank_cd(..., 1) (PostgreSQL)
          + 0.25 / (1 + age in days / 30)          recency: a month old counts half
          + 0.15 * e / (1 + e)                     engagement: e = log10(1 + likes
                                                   + 2 comments (replies) + 4 promotions)

Only the newest CANDIDATES matches of each kind are ranked (an index walk newest first on both
databases): a word in 100,000 conversations costs what one in 1,000 does.

Relevance enters by its rank, not its value: BM25 and cover density have different scales
(and BM25's IDF vanishes when most rows match), but they mostly agree on which text matches
better, so both databases blend the same numbers whenever they agree on that order.
"""

from sqlalchemy import DateTime, Float, Integer, String, bindparam, text

from ..db import db
from .query import day_bounds, fts5_match, tsquery_text

CANDIDATES = 1000
RELEVANCE, RECENCY, ENGAGEMENT = 0.6, 0.25, 0.15
RECENCY_DAYS = 30
COUNT_CAP = 2 * CANDIDATES  # total_estimate counts the ranked candidates (both kinds)

_POST_ENGAGEMENT = "(1 + p.like_count + 2 * p.comment_count + 4 * p.promotion_count)"
_COMMENT_ENGAGEMENT = "(1 + c.like_count + 2 * c.reply_count)"

_SQLITE = {
    "post": (
        "SELECT 'post' AS kind, p.id AS id, -bm25(posts_fts) AS rel, p.created_at AS created_at,"
        f" {_POST_ENGAGEMENT} AS engagement"
        " FROM posts_fts JOIN posts p ON p.id = posts_fts.rowid"
        " WHERE posts_fts MATCH :match{filters} ORDER BY posts_fts.rowid DESC LIMIT :candidates"
    ),
    "comment": (
        "SELECT 'comment' AS kind, c.id AS id, -bm25(comments_fts) AS rel,"
        f" c.created_at AS created_at, {_COMMENT_ENGAGEMENT} AS engagement"
        " FROM comments_fts JOIN comments c ON c.id = comments_fts.rowid"
        " JOIN posts p ON p.id = c.post_id"
        " WHERE comments_fts MATCH :match{filters}"
        " ORDER BY comments_fts.rowid DESC LIMIT :candidates"
    ),
    "age": "max(julianday(:now) - julianday(m.created_at), 0)",
    "log10": "log10",
}
_POSTGRESQL = {
    "post": (
        "SELECT 'post' AS kind, p.id AS id, ts_rank_cd(p.search_vector, q.q, 1) AS rel,"
        f" p.created_at AS created_at, {_POST_ENGAGEMENT} AS engagement"
        " FROM posts p, (SELECT to_tsquery('english', :match) AS q) q"
        " WHERE p.search_vector @@ q.q{filters} ORDER BY p.id DESC LIMIT :candidates"
    ),
    "comment": (
        "SELECT 'comment' AS kind, c.id AS id, ts_rank_cd(c.search_vector, q.q, 1) AS rel,"
        f" c.created_at AS created_at, {_COMMENT_ENGAGEMENT} AS engagement"
        " FROM comments c JOIN posts p ON p.id = c.post_id,"
        " (SELECT to_tsquery('english', :match) AS q) q"
        " WHERE c.search_vector @@ q.q{filters} ORDER BY c.id DESC LIMIT :candidates"
    ),
    "age": "greatest(extract(epoch FROM (:now - m.created_at)) / 86400.0, 0)",
    "log10": "log",
}


def _sql(dialect):
    return _SQLITE if dialect == "sqlite" else _POSTGRESQL


def _filters(kind, query, scope):
    """The WHERE terms (on p, the post or the comment's conversation, and c) and params."""
    row = "p" if kind == "post" else "c"
    # the reader's mutes hold here as in their feeds: the muted people's items are not found
    terms = [
        "NOT EXISTS (SELECT 1 FROM person_mutes pm"
        f" WHERE pm.muter_id = :reader AND pm.person_id = {row}.author_id)"
    ]
    params = {"reader": scope.reader}
    if scope.authors is not None:
        terms.append(f"{row}.author_id IN :authors")
        params["authors"] = scope.authors or [0]
    if scope.contexts is not None:
        terms.append("p.context_id IN :contexts")
        params["contexts"] = scope.contexts or [0]
    if query.has_picture:
        terms.append(f"EXISTS (SELECT 1 FROM uploads u WHERE u.{kind}_id = {row}.id)")
    if query.promoted:
        terms.append("p.promotion_count > 0")
    start, end = day_bounds(query)
    if start is not None:
        terms.append(f"{row}.created_at >= :start")
        params["start"] = start
    if end is not None:
        terms.append(f"{row}.created_at < :end")
        params["end"] = end
    return "".join(f" AND {t}" for t in terms), params


def ranked_page(query, scope, kinds, now, limit, after=None):
    """[(kind, id, score)] best first (limit + 1 of them, to learn whether more follow), and
    how many matched (up to COUNT_CAP).

    `scope` holds the operators resolved to ids (authors, contexts: None when not asked);
    `after` is the last (score, kind, id) of the previous page.
    """
    dialect = db.session.get_bind().dialect.name
    sql = _sql(dialect)
    parts, params = [], {}
    for kind in kinds:
        filters, extra = _filters(kind, query, scope)
        parts.append(f"SELECT * FROM ({sql[kind].format(filters=filters)}) AS {kind}s")
        params |= extra
    log10 = sql["log10"]
    engagement = f"{log10}(CAST(m.engagement AS FLOAT))"
    score = (
        f"{RELEVANCE} * percent_rank() OVER (ORDER BY m.rel)"
        f" + {RECENCY} / (1 + {sql['age']} / {RECENCY_DAYS}.0)"
        f" + {ENGAGEMENT} * {engagement} / (1 + {engagement})"
    )
    scored = (
        f"SELECT m.kind AS kind, m.id AS id, {score} AS score, count(*) OVER () AS total"
        f" FROM ({' UNION ALL '.join(parts)}) AS m"
    )
    page = f"SELECT kind, id, score, total FROM ({scored}) AS s"
    if after is not None:
        page += (
            " WHERE score < :after_score OR (score = :after_score AND"
            " (kind < :after_kind OR (kind = :after_kind AND id < :after_id)))"
        )
        params |= {"after_score": after[0], "after_kind": after[1], "after_id": after[2]}
    page += " ORDER BY score DESC, kind DESC, id DESC LIMIT :limit"
    binds = [bindparam("now", type_=DateTime)]
    binds += [bindparam(name, type_=DateTime) for name in ("start", "end") if name in params]
    binds += [bindparam(name, expanding=True) for name in ("authors", "contexts") if name in params]
    statement = text(page).bindparams(*binds)
    statement = statement.columns(kind=String, id=Integer, score=Float, total=Integer)
    params |= {
        "match": match_text(dialect, query),
        "now": now,
        "candidates": CANDIDATES,
        "limit": limit + 1,
    }
    rows = db.session.execute(statement, params).all()
    total = rows[0].total if rows else 0
    return [(row.kind, row.id, row.score) for row in rows], total


def match_text(dialect, query):
    """The query as the database's full-text expression (one bound parameter)."""
    return fts5_match(query) if dialect == "sqlite" else tsquery_text(query)


MARK, UNMARK = "\x01", "\x02"  # controls never stored in a body (text.py drops them)
_HIGHLIGHT_SQLITE = (
    "SELECT rowid, highlight({table}_fts, 0, char(1), char(2)) FROM {table}_fts"
    " WHERE {table}_fts MATCH :match AND rowid IN :ids"
)
_HIGHLIGHT_POSTGRESQL = (
    "SELECT id, ts_headline('english', body, to_tsquery('english', :match), :options)"
    " FROM {table} WHERE id IN :ids"
)
_HEADLINE_OPTIONS = f"StartSel={MARK}, StopSel={UNMARK}, HighlightAll=true"


def marked_bodies(table, query, ids):
    """{id: the stored body with the database's own matches between MARK and UNMARK}."""
    if not ids:
        return {}
    dialect = db.session.get_bind().dialect.name
    sql = _HIGHLIGHT_SQLITE if dialect == "sqlite" else _HIGHLIGHT_POSTGRESQL
    statement = text(sql.format(table=table)).bindparams(bindparam("ids", expanding=True))
    params = {"match": match_text(dialect, query), "ids": list(ids)}
    if dialect != "sqlite":
        params["options"] = _HEADLINE_OPTIONS
    return dict(db.session.execute(statement, params).all())
