"""people: handles, mentions, the words people are found by

Revision ID: c5e8a1f2d3b4
Revises: 3b7c2e91d0a4
Create Date: 2026-12-03 16:50:00

"""
import sqlalchemy as sa
from alembic import op

from chatter.people.handles import wanted_handle
from chatter.people.search import words_of

# revision identifiers, used by Alembic.
revision = 'c5e8a1f2d3b4'
down_revision = '3b7c2e91d0a4'
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
Word = sa.String(100).with_variant(sa.String(100, collation='C'), 'postgresql')


def _backfill(conn):
    """Give existing people handles (the rule new ones follow) and searchable words."""
    taken = set()
    people = conn.execute(sa.text('SELECT id, name, email FROM users ORDER BY id')).all()
    for person_id, name, email in people:
        base = wanted_handle({'email': email}, name)
        handle, number = base, 2
        while handle in taken:
            handle, number = f'{base[:24]}{number}', number + 1
        taken.add(handle)
        conn.execute(
            sa.text('UPDATE users SET handle = :h WHERE id = :id'), {'h': handle, 'id': person_id}
        )
        for word in words_of(name, handle, email):
            conn.execute(
                sa.text('INSERT INTO person_words (word, user_id) VALUES (:w, :id)'),
                {'w': word, 'id': person_id},
            )


def upgrade():
    op.create_table('person_words',
    sa.Column('word', Word, nullable=False),
    sa.Column('user_id', Id, nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('word', 'user_id')
    )
    op.create_index('ix_person_words_user_id', 'person_words', ['user_id'])
    op.create_table('mentions',
    sa.Column('id', Id, nullable=False),
    sa.Column('post_id', Id, nullable=False),
    sa.Column('comment_id', Id, nullable=True),
    sa.Column('user_id', Id, nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_mentions_post', 'mentions', ['post_id', 'comment_id'])
    op.create_index('ix_mentions_comment_id', 'mentions', ['comment_id'])
    op.create_index('ix_mentions_user_id', 'mentions', ['user_id'])
    op.add_column('users', sa.Column('handle', sa.String(length=30), nullable=True))
    _backfill(op.get_bind())
    with op.batch_alter_table('users') as batch:
        batch.alter_column('handle', existing_type=sa.String(length=30), nullable=False)
    op.create_index('ix_users_handle', 'users', ['handle'], unique=True)


def downgrade():
    op.drop_index('ix_users_handle', table_name='users')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('handle')
    op.drop_table('mentions')
    op.drop_table('person_words')
