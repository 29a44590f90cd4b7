"""upload_slots: one picture in flight per person

Revision ID: 3b7c2e91d0a4
Revises: a7c3e91d5b20
Create Date: 2026-12-03 11:55:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '3b7c2e91d0a4'
down_revision = 'a7c3e91d5b20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('upload_slots',
    sa.Column('owner_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('taken_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('owner_id')
    )


def downgrade():
    op.drop_table('upload_slots')
