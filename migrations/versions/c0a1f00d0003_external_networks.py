"""external-net: networks marked external.

Revision ID: c0a1f00d0003
Revises: c0a1f00d0002
Create Date: 2026-11-21 00:00:00
"""

from alembic import op
import sqlalchemy as sa

revision = 'c0a1f00d0003'
down_revision = 'c0a1f00d0002'
branch_labels = None
depends_on = None


def upgrade():
    mariadb = getattr(op.get_context().dialect, 'is_mariadb', False)
    op.create_table(
        'externalnetworks',
        sa.Column('network_id', sa.String(36),
                  sa.ForeignKey('networks.id', ondelete='CASCADE'), primary_key=True),
        mysql_charset='utf8mb4',
        mysql_collate='utf8mb4_nopad_bin' if mariadb else 'utf8mb4_bin')


def downgrade():
    op.drop_table('externalnetworks')
