"""tunnel endpoints: a host's tunnel IP per tunnel type, announced by its L2 agent.

Revision ID: c0a1f00d0009
Revises: c0a1f00d0008
Create Date: 2026-11-21 00:00:00
"""

from alembic import op
import sqlalchemy as sa

revision = 'c0a1f00d0009'
down_revision = 'c0a1f00d0008'
branch_labels = None
depends_on = None


def upgrade():
    mariadb = getattr(op.get_context().dialect, 'is_mariadb', False)
    op.create_table(
        'tunnelendpoints',
        sa.Column('tunnel_type', sa.String(32), primary_key=True),
        sa.Column('ip_address', sa.String(64), primary_key=True),
        sa.Column('host', sa.String(255), nullable=False),
        mysql_charset='utf8mb4',
        mysql_collate='utf8mb4_nopad_bin' if mariadb else 'utf8mb4_bin')
    op.create_index('ix_tunnelendpoints_host', 'tunnelendpoints', ['host'])


def downgrade():
    op.drop_table('tunnelendpoints')
