"""agents and port bindings: one row per agent type and host; one per bound port.

Revision ID: c0a1f00d0008
Revises: c0a1f00d0007
Create Date: 2026-11-21 00:00:00
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

revision = 'c0a1f00d0008'
down_revision = 'c0a1f00d0007'
branch_labels = None
depends_on = None

ID = sa.String(36)
NAME = sa.String(255)
TIMESTAMP = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mysql', 'mariadb')


def _create_table(name, *columns):
    mariadb = getattr(op.get_context().dialect, 'is_mariadb', False)
    op.create_table(name, *columns, mysql_charset='utf8mb4',
                    mysql_collate='utf8mb4_nopad_bin' if mariadb else 'utf8mb4_bin')


def upgrade():
    _create_table(
        'agents',
        sa.Column('id', ID, primary_key=True),
        sa.Column('agent_type', NAME, nullable=False),
        sa.Column('binary', NAME, nullable=False),
        sa.Column('topic', NAME, nullable=False),
        sa.Column('host', NAME, nullable=False),
        sa.Column('admin_state_up', sa.Boolean(), nullable=False),
        sa.Column('description', sa.String(255), nullable=False),
        sa.Column('created_at', TIMESTAMP, nullable=False),
        sa.Column('started_at', TIMESTAMP, nullable=False),
        sa.Column('heartbeat_timestamp', TIMESTAMP, nullable=False),
        sa.Column('configurations', sa.Text(), nullable=False),
        sa.UniqueConstraint('agent_type', 'host', name='uniq_agents0agent_type0host'))
    _create_table(
        'portbindings',
        sa.Column('port_id', ID, sa.ForeignKey('ports.id', ondelete='CASCADE'),
                  primary_key=True),
        sa.Column('host', NAME, nullable=False),
        sa.Column('vnic_type', sa.String(64), nullable=False),
        sa.Column('vif_type', sa.String(64), nullable=False),
        sa.Column('vif_details', sa.Text(), nullable=False),
        sa.Column('profile', sa.Text(), nullable=False))
    op.create_index('ix_portbindings_host', 'portbindings', ['host'])


def downgrade():
    op.drop_table('portbindings')
    op.drop_table('agents')
