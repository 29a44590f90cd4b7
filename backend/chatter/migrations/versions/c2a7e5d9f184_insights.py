"""insights: questions and answers, outcomes, the insights rollups and the opt-out

Revision ID: c2a7e5d9f184
Revises: e3f9b7a2c1d8
Create Date: 2026-12-07 14:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c2a7e5d9f184'
down_revision = 'b9d2f4e6a8c1'
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


# Columns are added with plain ALTER TABLE (no batch): rebuilding `posts` on SQLite would drop
# its search triggers (e3f9b7a2c1d8).
POST_COLUMNS = (
    sa.Column('kind', sa.String(length=10), server_default='post', nullable=False),
    sa.Column('answer_id', sa.BigInteger(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('outcome_summary', sa.Text(), nullable=True),
    sa.Column('outcome_html', sa.Text(), nullable=True),
    sa.Column('outcome_url', sa.String(length=500), nullable=True),
    sa.Column('outcome_by_id', sa.BigInteger(), nullable=True),
    sa.Column('outcome_at', sa.DateTime(), nullable=True),
)


# A day's interactions are read by their time (rollups of ended days, today's live part).
CREATED_INDEXES = ('comments', 'post_likes', 'comment_likes', 'promotions')


def upgrade():
    for column in POST_COLUMNS:
        op.add_column('posts', column)
    op.create_index('ix_posts_kind', 'posts', ['kind', 'created_at'], unique=False)
    op.create_index('ix_posts_outcome', 'posts', ['outcome_at'], unique=False)
    op.create_index('ix_posts_comments', 'posts', ['comment_count'], unique=False)
    for table in CREATED_INDEXES:
        op.create_index(f'ix_{table}_created', table, ['created_at'], unique=False)
    op.add_column('mail_preferences', sa.Column(
        'show_in_insights', sa.Boolean(), server_default=sa.true(), nullable=False))
    op.create_table('insight_days',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('built_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('day')
    )
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
    op.create_table('insight_authors',
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('items', sa.Integer(), nullable=False),
    sa.Column('engagement', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('month', 'user_id')
    )
    op.create_table('insight_reach',
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('actor_department', sa.String(length=100), nullable=False),
    sa.Column('interactions', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('month', 'user_id', 'actor_department')
    )
    op.create_index('ix_insight_reach_user', 'insight_reach', ['user_id', 'month'], unique=False)


def downgrade():
    for table in ('insight_reach', 'insight_authors', 'insight_active', 'insight_flows',
                  'insight_days'):
        op.drop_table(table)
    with op.batch_alter_table('mail_preferences', schema=None) as batch_op:
        batch_op.drop_column('show_in_insights')
    for table in CREATED_INDEXES:
        op.drop_index(f'ix_{table}_created', table_name=table)
    op.drop_index('ix_posts_comments', table_name='posts')
    op.drop_index('ix_posts_outcome', table_name='posts')
    op.drop_index('ix_posts_kind', table_name='posts')
    for column in reversed(POST_COLUMNS):
        op.drop_column('posts', column.name)
