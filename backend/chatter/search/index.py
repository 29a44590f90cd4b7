"""The full-text indexes of posts and comments, on each database.

SQLite: FTS5 external-content tables (`posts_fts`, `comments_fts`: the text stays in posts and
comments only), porter stemming over unicode61 with diacritics removed, prefix indexes for the
last word while typing. Triggers keep them in the same transaction as every insert, edit and
delete of the row (deleting a post deletes its comments by ON DELETE CASCADE, which fires the
comments' trigger too), so conversations.py, the one write path, needs nothing more.
PostgreSQL: a generated `search_vector` column (english) with a GIN index; the database keeps it.

The models do not declare these (they differ per database): `install` runs after the tables
are created by `db.create_all()`, and the migration writes the same DDL (a test compares them).
`not_modelled` tells Alembic's comparison to leave them alone.
"""

from sqlalchemy import event, func, select, text

from ..models import Comment, Post

TOKENIZE = "porter unicode61 remove_diacritics 2"
TABLES = ("posts", "comments")
SEARCH_COLUMN = "search_vector"


def sqlite_ddl(table):
    """FTS5 table and triggers indexing `table`.body."""
    fts = f"{table}_fts"
    delete = f"INSERT INTO {fts}({fts}, rowid, body) VALUES ('delete', old.id, old.body);"
    insert = f"INSERT INTO {fts}(rowid, body) VALUES (new.id, new.body);"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5(body, content='{table}', content_rowid='id',"
        f" tokenize='{TOKENIZE}', prefix='2 3')",
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF body ON {table} BEGIN {delete} {insert} END",
    ]


def postgresql_ddl(table):
    """The generated tsvector column of `table` and its GIN index."""
    return [
        f"ALTER TABLE {table} ADD COLUMN {SEARCH_COLUMN} tsvector"
        f" GENERATED ALWAYS AS (to_tsvector('english', body)) STORED",
        f"CREATE INDEX ix_{table}_search ON {table} USING gin ({SEARCH_COLUMN})",
    ]


def sqlite_drop(table):
    fts = f"{table}_fts"
    return [f"DROP TRIGGER IF EXISTS {fts}_{kind}" for kind in ("insert", "delete", "update")] + [
        f"DROP TABLE IF EXISTS {fts}"
    ]


def postgresql_drop(table):
    return [
        f"DROP INDEX IF EXISTS ix_{table}_search",
        f"ALTER TABLE {table} DROP COLUMN IF EXISTS {SEARCH_COLUMN}",
    ]


def ddl(dialect, table):
    return sqlite_ddl(table) if dialect == "sqlite" else postgresql_ddl(table)


def install(connection, table):
    """Create the index of `table` (its rows are indexed as they are: a backfill)."""
    for statement in ddl(connection.dialect.name, table):
        connection.execute(text(statement))
    if connection.dialect.name == "sqlite":
        connection.execute(text(f"INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')"))


def uninstall(connection, table):
    drop = sqlite_drop if connection.dialect.name == "sqlite" else postgresql_drop
    for statement in drop(table):
        connection.execute(text(statement))


def rebuild(connection):
    """Rebuild both indexes from the stored text (`chatter search reindex`)."""
    for table in TABLES:
        if connection.dialect.name == "sqlite":
            connection.execute(text(f"INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')"))
        else:
            # The column is computed by the database on every write; the index is rebuilt.
            connection.execute(text(f"REINDEX INDEX ix_{table}_search"))


def reindex():
    """`chatter search reindex`: rebuild everything search reads; (posts, comments, people)."""
    from ..db import db
    from ..models import User
    from ..people.search import index_person

    rebuild(db.session.connection())
    people = 0
    for user in db.session.scalars(select(User)):
        index_person(user)
        people += 1
    counts = [db.session.scalar(select(func.count()).select_from(m)) for m in (Post, Comment)]
    db.session.commit()
    return *counts, people


def not_modelled(name, type_, parent_names):
    """Alembic's include_name: the search objects are not in the models (see above)."""
    if type_ == "table":
        return not (name or "").startswith(tuple(f"{t}_fts" for t in TABLES))
    if type_ == "column":
        return name != SEARCH_COLUMN
    if type_ == "index":
        return name not in {f"ix_{t}_search" for t in TABLES}
    return True


def _after_create(table):
    def create(target, connection, **kw):
        install(connection, table)

    return create


for _model in (Post, Comment):  # this module is imported once, with the API
    event.listen(_model.__table__, "after_create", _after_create(_model.__tablename__))
