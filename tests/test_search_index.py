"""The search indexes: the migration builds what db.create_all() builds, backfills existing
rows, and `chatter search reindex` rebuilds them."""

from click.testing import CliRunner
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from chatter.cli import main
from chatter.db import db

from .conftest import make_test_app
from .test_operate import empty_database_url  # noqa: F401 - the fixture

SEARCH_OBJECTS = {
    "sqlite": "SELECT name, sql FROM sqlite_master WHERE name LIKE '%fts%' AND sql IS NOT NULL",
    "postgresql": (
        "SELECT table_name || '.' || column_name, generation_expression FROM"
        " information_schema.columns WHERE column_name = 'search_vector'"
        " UNION ALL SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE '%search'"
    ),
}


def search_objects():
    sql = SEARCH_OBJECTS[db.engine.dialect.name]
    with db.engine.connect() as conn:
        return dict(conn.execute(text(sql)).all())


def test_the_migration_builds_and_backfills_what_create_all_builds(app, tmp_path, request):
    database_url = request.getfixturevalue("empty_database_url")
    with app.app_context():
        built = search_objects()
    assert len(built) in (4, 16)  # 2 columns + 2 indexes, or 2 FTS5 tables, their 8, 6 triggers
    migrated = make_test_app(tmp_path, CHATTER_DATABASE_URL=database_url)
    with migrated.app_context():
        upgrade(revision="d7a1c9e4b2f0")  # before search: a post to backfill
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO users (issuer, subject, name, handle, profile_issued_at,"
                    " created_at) VALUES ('i', 's', 'Ana', 'ana', '2026-01-01', '2026-01-01')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO posts (author_id, body, html, created_at, last_activity_at,"
                    " like_count, comment_count, promotion_count, promotion_departments,"
                    " hot_score) VALUES (1, 'Backfilled harbour notes', '', '2026-01-01',"
                    " '2026-01-01', 0, 0, 0, 0, 0)"
                )
            )
        upgrade()
        assert search_objects() == built
        from chatter.read.rows import Viewer
        from chatter.search.query import parse
        from chatter.search.ranked import ranked_page
        from chatter.search.results import Scope

        query = parse("harbour ")
        with migrated.test_request_context():
            scope = Scope(query, Viewer(1))
            ranked, total = ranked_page(query, scope, ("post",), _now(), 5)
            assert [(kind, row_id) for kind, row_id, _ in ranked] == [("post", 1)]
            db.session.remove()
        downgrade(revision="d7a1c9e4b2f0")
        assert search_objects() == {}
        db.engine.dispose()


def _now():
    from chatter.models import utcnow

    return utcnow()


def test_reindex_rebuilds_what_search_reads(app, alice, bob):
    post = alice.new_post("Lighthouse maintenance schedule")
    with app.app_context():
        if db.engine.dialect.name == "sqlite":  # lose the index's rows behind its back
            with db.engine.begin() as conn:
                conn.execute(text("INSERT INTO posts_fts(posts_fts) VALUES ('delete-all')"))
        db.engine.dispose()
    result = CliRunner().invoke(main, ["search", "reindex"], obj=_script_info(app))
    assert result.exit_code == 0, result.output
    assert "Reindexed 1 post(s), 0 comment(s) and 2 people." in result.output
    items = bob.get("/search", query_string={"q": "lighthouse "}).json["items"]
    assert [i["id"] for i in items] == [post["id"]]


def _script_info(app):
    from flask.cli import ScriptInfo

    return ScriptInfo(create_app=lambda: app)
