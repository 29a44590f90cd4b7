"""attention: follows (conversations, people, pages) and notifications

Revision ID: d7a1c9e4b2f0
Revises: c4e8a2d61f37
Create Date: 2026-12-06 23:00:00

"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd7a1c9e4b2f0'
down_revision = 'c4e8a2d61f37'
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
UNREAD = sa.text('read_at IS NULL')

# People follow what they took part in, as they would have had these tables existed.
BACKFILL = """
INSERT INTO post_follows (post_id, user_id, following, created_at, seen_at)
SELECT post_id, user_id, :yes, MIN(created_at), :now FROM (
    SELECT id AS post_id, author_id AS user_id, created_at FROM posts
    UNION ALL SELECT post_id, author_id, created_at FROM comments
    UNION ALL SELECT m.post_id, m.user_id, p.created_at FROM mentions m JOIN posts p ON p.id = m.post_id
) AS taking_part GROUP BY post_id, user_id
"""


def upgrade():
    op.create_table('post_follows',
    sa.Column('post_id', Id, nullable=False),
    sa.Column('user_id', Id, nullable=False),
    sa.Column('following', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('seen_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('post_id', 'user_id')
    )
    op.create_index(op.f('ix_post_follows_user_id'), 'post_follows', ['user_id'], unique=False)
    op.create_table('person_follows',
    sa.Column('follower_id', Id, nullable=False),
    sa.Column('person_id', Id, nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['follower_id'], ['users.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('follower_id', 'person_id')
    )
    op.create_index(op.f('ix_person_follows_person_id'), 'person_follows', ['person_id'], unique=False)
    op.create_table('page_follows',
    sa.Column('user_id', Id, nullable=False),
    sa.Column('context_id', Id, nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['context_id'], ['contexts.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'context_id')
    )
    op.create_index(op.f('ix_page_follows_context_id'), 'page_follows', ['context_id'], unique=False)
    op.create_table('notifications',
    sa.Column('id', Id, nullable=False),
    sa.Column('recipient_id', Id, nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('group_key', sa.String(length=40), nullable=True),
    sa.Column('post_id', Id, nullable=True),
    sa.Column('comment_id', sa.BigInteger(), nullable=True),
    sa.Column('actor_id', Id, nullable=False),
    sa.Column('actor_count', sa.Integer(), nullable=False),
    sa.Column('excerpt', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_notifications_inbox', 'notifications', ['recipient_id', 'created_at', 'id'], unique=False)
    op.create_index('ix_notifications_post', 'notifications', ['post_id', 'comment_id'], unique=False)
    op.create_index('uq_notifications_unread_group', 'notifications', ['recipient_id', 'group_key'], unique=True, sqlite_where=UNREAD, postgresql_where=UNREAD)
    op.create_table('notification_actors',
    sa.Column('notification_id', Id, nullable=False),
    sa.Column('actor_id', Id, nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['notification_id'], ['notifications.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('notification_id', 'actor_id')
    )
    op.create_index(op.f('ix_notification_actors_actor_id'), 'notification_actors', ['actor_id'], unique=False)
    now = datetime.now(UTC).replace(tzinfo=None)  # what came before is read
    op.get_bind().execute(sa.text(BACKFILL), {'yes': True, 'now': now})


def downgrade():
    op.drop_table('notification_actors')
    op.drop_table('notifications')
    op.drop_table('page_follows')
    op.drop_table('person_follows')
    op.drop_table('post_follows')
