"""router: routers and the ports they own.

Revision ID: c0a1f00d0004
Revises: c0a1f00d0003
Create Date: 2026-11-21 00:00:00
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

revision = 'c0a1f00d0004'
down_revision = 'c0a1f00d0003'
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
        'routers',
        sa.Column('id', ID, primary_key=True),
        sa.Column('tenant_id', NAME, nullable=False),
        sa.Column('name', NAME, nullable=False),
        sa.Column('description', sa.String(255), nullable=False),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('admin_state_up', sa.Boolean(), nullable=False),
        sa.Column('enable_snat', sa.Boolean(), nullable=False),
        sa.Column('created_at', TIMESTAMP, nullable=False),
        sa.Column('updated_at', TIMESTAMP, nullable=False))
    op.create_index('ix_routers_tenant_id', 'routers', ['tenant_id'])
    _create_table(
        'routerports',
        sa.Column('router_id', ID, sa.ForeignKey('routers.id', ondelete='CASCADE'),
                  primary_key=True),
        sa.Column('port_id', ID, sa.ForeignKey('ports.id', ondelete='CASCADE'),
                  primary_key=True),
        sa.Column('port_type', sa.String(255), nullable=False))


def downgrade():
    op.drop_table('routerports')
    op.drop_table('routers')
