"""sessions remember the origin that created them

Revision ID: a7c3e91d5b20
Revises: f1d4406ea761
Create Date: 2026-12-03 11:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'a7c3e91d5b20'
down_revision = 'f1d4406ea761'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin', sa.String(length=300), nullable=True))


def downgrade():
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_column('origin')
