"""search: full-text indexes of posts and comments, backfilled

SQLite: FTS5 external-content tables kept by triggers; PostgreSQL: a generated tsvector column
with a GIN index. The same DDL as chatter/search/index.py writes after db.create_all()
(tests/test_search_index.py compares them).

Revision ID: e3f9b7a2c1d8
Revises: d7a1c9e4b2f0
Create Date: 2026-12-06 23:50:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e3f9b7a2c1d8'
down_revision = 'd7a1c9e4b2f0'
branch_labels = None
depends_on = None

TABLES = ('posts', 'comments')
TOKENIZE = 'porter unicode61 remove_diacritics 2'


def _sqlite(table):
    fts = f'{table}_fts'
    delete = f"INSERT INTO {fts}({fts}, rowid, body) VALUES ('delete', old.id, old.body);"
    insert = f'INSERT INTO {fts}(rowid, body) VALUES (new.id, new.body);'
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5(body, content='{table}', content_rowid='id',"
        f" tokenize='{TOKENIZE}', prefix='2 3')",
        f'CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN {insert} END',
        f'CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN {delete} END',
        f'CREATE TRIGGER {fts}_update AFTER UPDATE OF body ON {table} BEGIN {delete} {insert} END',
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",  # the backfill
    ]


def _postgresql(table):
    return [  # the generated column is computed for every existing row: the backfill
        f"ALTER TABLE {table} ADD COLUMN search_vector tsvector"
        f" GENERATED ALWAYS AS (to_tsvector('english', body)) STORED",
        f'CREATE INDEX ix_{table}_search ON {table} USING gin (search_vector)',
    ]


def upgrade():
    sqlite = op.get_bind().dialect.name == 'sqlite'
    for table in TABLES:
        for statement in _sqlite(table) if sqlite else _postgresql(table):
            op.execute(statement)


def downgrade():
    sqlite = op.get_bind().dialect.name == 'sqlite'
    for table in TABLES:
        if sqlite:
            for kind in ('insert', 'delete', 'update'):
                op.execute(f'DROP TRIGGER IF EXISTS {table}_fts_{kind}')
            op.execute(f'DROP TABLE IF EXISTS {table}_fts')
        else:
            op.execute(f'DROP INDEX IF EXISTS ix_{table}_search')
            op.execute(f'ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector')
