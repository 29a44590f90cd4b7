"""policing: flags, the review queue, the public moderation log, edit history, mutes

Posts and comments gain their hidden state and revision count; posts count the author's own
like apart (it does not lift them in Top), backfilled from the likes there are.

Revision ID: b9d2f4e6a8c1
Revises: e3f9b7a2c1d8
Create Date: 2026-12-07 14:15:14

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b9d2f4e6a8c1'
down_revision = 'e3f9b7a2c1d8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('moderation_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('post_id', sa.BigInteger(), nullable=False),
    sa.Column('comment_id', sa.BigInteger(), nullable=True),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=True),
    sa.Column('actor', sa.String(length=12), nullable=False),
    sa.Column('people', sa.Integer(), nullable=False),
    sa.Column('departments', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('moderator_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['moderator_id'], ['users.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('moderation_log', schema=None) as batch_op:
        batch_op.create_index('ix_moderation_log_item', ['post_id', 'comment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_moderation_log_moderator_id'), ['moderator_id'], unique=False)

    op.create_table('person_mutes',
    sa.Column('muter_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('person_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['muter_id'], ['users.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('muter_id', 'person_id')
    )
    with op.batch_alter_table('person_mutes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_mutes_person_id'), ['person_id'], unique=False)

    op.create_table('flags',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('item', sa.String(length=24), nullable=False),
    sa.Column('post_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('comment_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('outcome', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flags_comment_id'), ['comment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_flags_post_id'), ['post_id'], unique=False)
        batch_op.create_index('ix_flags_user_outcome', ['user_id', 'outcome'], unique=False)
        batch_op.create_index('uq_flags_item_user', ['item', 'user_id'], unique=True)

    op.create_table('review_requests',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('item', sa.String(length=24), nullable=False),
    sa.Column('post_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('comment_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('item')
    )
    with op.batch_alter_table('review_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_requests_comment_id'), ['comment_id'], unique=False)
        batch_op.create_index('ix_review_requests_order', ['requested_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_requests_post_id'), ['post_id'], unique=False)

    op.create_table('revisions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('post_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('comment_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('written_at', sa.DateTime(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_revisions_comment_id'), ['comment_id'], unique=False)
        batch_op.create_index('ix_revisions_post', ['post_id', 'comment_id', 'id'], unique=False)

    # Plain ADD COLUMN on both databases (no table copy: the search triggers stay in place).
    zero = sa.text('0')
    op.add_column('comments', sa.Column('hidden', sa.JSON(none_as_null=True), nullable=True))
    op.add_column('comments', sa.Column('revision_count', sa.Integer(), nullable=False, server_default=zero))
    op.add_column('posts', sa.Column('author_likes', sa.Integer(), nullable=False, server_default=zero))
    op.add_column('posts', sa.Column('hidden', sa.JSON(none_as_null=True), nullable=True))
    op.add_column('posts', sa.Column('revision_count', sa.Integer(), nullable=False, server_default=zero))
    op.execute(
        'UPDATE posts SET author_likes = 1 WHERE EXISTS'
        ' (SELECT 1 FROM post_likes l WHERE l.post_id = posts.id AND l.user_id = posts.author_id)'
    )


def downgrade():
    # Plain DROP COLUMN (SQLite 3.35+): copying posts would cascade-delete their comments.
    for column in ('revision_count', 'hidden', 'author_likes'):
        op.drop_column('posts', column)
    for column in ('revision_count', 'hidden'):
        op.drop_column('comments', column)
    for table in ('revisions', 'review_requests', 'flags', 'person_mutes', 'moderation_log'):
        op.drop_table(table)  # with their indexes
