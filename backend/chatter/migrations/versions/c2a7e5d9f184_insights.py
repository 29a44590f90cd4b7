"""insights: questions and answers, outcomes, the insights rollups and the opt-out

Revision ID: c2a7e5d9f184
Revises: e3f9b7a2c1d8
Create Date: 2026-12-07 14:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c2a7e5d9f184'
down_revision = 'e3f9b7a2c1d8'
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


def upgrade():
    for column in POST_COLUMNS:
        op.add_column('posts', column)
    op.create_index('ix_posts_kind', 'posts', ['kind', 'created_at'], unique=False)
    op.create_index('ix_posts_outcome', 'posts', ['outcome_at'], unique=False)


def downgrade():
    op.drop_index('ix_posts_outcome', table_name='posts')
    op.drop_index('ix_posts_kind', table_name='posts')
    for column in reversed(POST_COLUMNS):
        op.drop_column('posts', column.name)
