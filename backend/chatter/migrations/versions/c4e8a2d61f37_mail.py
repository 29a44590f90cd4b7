"""mail: e-mail preferences and what was mailed

Revision ID: c4e8a2d61f37
Revises: c5e8a1f2d3b4
Create Date: 2026-12-03 14:45:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c4e8a2d61f37'
down_revision = 'c5e8a1f2d3b4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mail_preferences',
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('email_mentions', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('email_digest', sa.String(length=6), server_default='weekly', nullable=False),
    sa.Column('link_generation', sa.Integer(), server_default='0', nullable=False),
    sa.Column('mentions_mailed_at', sa.DateTime(), nullable=True),
    sa.Column('daily_digest_for', sa.Date(), nullable=True),
    sa.Column('weekly_digest_for', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id')
    )
    op.create_table('mailed_notifications',
    sa.Column('notification_id', sa.BigInteger(), nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('mailed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('notification_id')
    )
    with op.batch_alter_table('mailed_notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mailed_notifications_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('mailed_notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mailed_notifications_user_id'))
    op.drop_table('mailed_notifications')
    op.drop_table('mail_preferences')
