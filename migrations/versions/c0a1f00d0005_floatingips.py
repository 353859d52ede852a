"""floating IPs and their association with fixed IPs.

Revision ID: c0a1f00d0005
Revises: c0a1f00d0004
Create Date: 2026-11-21 00:00:00
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

revision = 'c0a1f00d0005'
down_revision = 'c0a1f00d0004'
branch_labels = None
depends_on = None

ID = sa.String(36)
NAME = sa.String(255)
IP = sa.String(64)
TIMESTAMP = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mysql', 'mariadb')


def _create_table(name, *columns):
    mariadb = getattr(op.get_context().dialect, 'is_mariadb', False)
    op.create_table(name, *columns, mysql_charset='utf8mb4',
                    mysql_collate='utf8mb4_nopad_bin' if mariadb else 'utf8mb4_bin')


def upgrade():
    _create_table(
        'floatingips',
        sa.Column('id', ID, primary_key=True),
        sa.Column('tenant_id', NAME, nullable=False),
        sa.Column('description', sa.String(255), nullable=False),
        sa.Column('floating_network_id', ID, sa.ForeignKey('networks.id'), nullable=False),
        sa.Column('floating_port_id', ID, sa.ForeignKey('ports.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('floating_ip_address', IP, nullable=False),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('created_at', TIMESTAMP, nullable=False),
        sa.Column('updated_at', TIMESTAMP, nullable=False),
        sa.UniqueConstraint('floating_port_id', name='uniq_floatingips0floating_port_id'))
    op.create_index('ix_floatingips_tenant_id', 'floatingips', ['tenant_id'])
    op.create_index('ix_floatingips_floating_network_id', 'floatingips',
                    ['floating_network_id'])
    _create_table(
        'floatingipassociations',
        sa.Column('floatingip_id', ID, sa.ForeignKey('floatingips.id', ondelete='CASCADE'),
                  primary_key=True),
        sa.Column('floating_network_id', ID, nullable=False),
        sa.Column('fixed_port_id', ID, sa.ForeignKey('ports.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('fixed_subnet_id', ID, nullable=False),
        sa.Column('fixed_ip_address', IP, nullable=False),
        sa.Column('router_id', ID, sa.ForeignKey('routers.id'), nullable=False),
        sa.ForeignKeyConstraint(['fixed_subnet_id', 'fixed_ip_address'],
                                ['ipallocations.subnet_id', 'ipallocations.ip_address'],
                                name='fk_floatingipassociations_fixed_ip', ondelete='CASCADE'),
        sa.UniqueConstraint('fixed_subnet_id', 'fixed_ip_address', 'floating_network_id',
                            name='uniq_floatingipassociations0fixed_ip0network'))
    op.create_index('ix_floatingipassociations_fixed_port_id', 'floatingipassociations',
                    ['fixed_port_id'])
    op.create_index('ix_floatingipassociations_router_id', 'floatingipassociations',
                    ['router_id'])


def downgrade():
    op.drop_table('floatingipassociations')
    op.drop_table('floatingips')
