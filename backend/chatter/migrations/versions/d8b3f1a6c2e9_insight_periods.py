"""insight periods: flows per week and month, active people as sets, covering indexes, the answer's author

The rollups are derived data: the old per-day flows and per-person active rows are dropped
and every day is built again, lazily, by the first read that needs it.

Revision ID: d8b3f1a6c2e9
Revises: c2a7e5d9f184
Create Date: 2026-12-07 23:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd8b3f1a6c2e9'
down_revision = 'c2a7e5d9f184'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_table('insight_flows')
    op.drop_table('insight_active')
    op.create_table('insight_flows',
    sa.Column('period', sa.String(length=5), nullable=False),
    sa.Column('start', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('actor_department', sa.String(length=100), nullable=False),
    sa.Column('author_department', sa.String(length=100), nullable=False),
    sa.Column('interactions', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('period', 'start', 'kind', 'actor_department', 'author_department')
    )
    op.create_table('insight_active',
    sa.Column('period', sa.String(length=5), nullable=False),
    sa.Column('start', sa.Date(), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('people', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('period', 'start', 'department')
    )
    for table in ('insight_days', 'insight_authors', 'insight_reach'):
        op.execute(f'DELETE FROM {table}')
    # Plain ADD COLUMN (no batch): rebuilding `posts` on SQLite would drop its search triggers.
    op.add_column('posts', sa.Column('answer_author_id', sa.BigInteger(), nullable=True))
    op.execute('UPDATE posts SET answer_author_id = (SELECT author_id FROM comments'
               ' WHERE comments.id = posts.answer_id) WHERE answer_id IS NOT NULL')
    _posts_indexes(('kind', 'created_at', 'answered_at', 'answer_author_id'),
                   ('comment_count', 'created_at'))
    op.drop_index('ix_insight_reach_user', table_name='insight_reach')
    op.create_index('ix_insight_reach_user', 'insight_reach', ['user_id', 'month', 'actor_department'],
                    unique=False)
    op.create_index('ix_insight_authors_engagement', 'insight_authors', ['month', 'engagement'],
                    unique=False)
    op.create_index('ix_insight_authors_user', 'insight_authors',
                    ['user_id', 'month', 'items', 'engagement'], unique=False)


def _posts_indexes(kind, comments):
    for name, columns in (('ix_posts_kind', kind), ('ix_posts_comments', comments)):
        op.drop_index(name, table_name='posts')
        op.create_index(name, 'posts', list(columns), unique=False)


def downgrade():
    op.drop_index('ix_insight_reach_user', table_name='insight_reach')
    op.create_index('ix_insight_reach_user', 'insight_reach', ['user_id', 'month'], unique=False)
    _posts_indexes(('kind', 'created_at'), ('comment_count',))
    op.drop_column('posts', 'answer_author_id')
    op.drop_index('ix_insight_authors_user', table_name='insight_authors')
    op.drop_index('ix_insight_authors_engagement', table_name='insight_authors')
    for table in ('insight_days', 'insight_authors', 'insight_reach'):
        op.execute(f'DELETE FROM {table}')
    op.drop_table('insight_active')
    op.drop_table('insight_flows')
    op.create_table('insight_flows',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('actor_department', sa.String(length=100), nullable=False),
    sa.Column('author_department', sa.String(length=100), nullable=False),
    sa.Column('week', sa.Date(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('interactions', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'kind', 'actor_department', 'author_department')
    )
    for period in ('week', 'month'):
        op.create_index(f'ix_insight_flows_{period}', 'insight_flows',
                        [period, 'kind', 'actor_department', 'author_department', 'interactions'],
                        unique=False)
    op.create_table('insight_active',
    sa.Column('period', sa.String(length=5), nullable=False),
    sa.Column('start', sa.Date(), nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('period', 'start', 'user_id')
    )
