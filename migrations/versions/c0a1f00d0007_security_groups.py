"""security groups, rules, port security and allowed address pairs.

Revision ID: c0a1f00d0007
Revises: c0a1f00d0006
Create Date: 2026-11-21 00:00:00
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

revision = 'c0a1f00d0007'
down_revision = 'c0a1f00d0006'
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


def _group_fk(**kwargs):
    return sa.ForeignKey('security_groups.id', **kwargs)


def _port_fk():
    return sa.ForeignKey('ports.id', ondelete='CASCADE')


def upgrade():
    _create_table(
        'security_groups',
        sa.Column('id', ID, primary_key=True),
        sa.Column('tenant_id', NAME, nullable=False),
        sa.Column('name', NAME, nullable=False),
        sa.Column('description', sa.String(255), nullable=False),
        sa.Column('created_at', TIMESTAMP, nullable=False),
        sa.Column('updated_at', TIMESTAMP, nullable=False))
    op.create_index('ix_security_groups_tenant_id', 'security_groups', ['tenant_id'])
    _create_table(
        'default_security_group',
        sa.Column('tenant_id', NAME, primary_key=True),
        sa.Column('security_group_id', ID, _group_fk(ondelete='CASCADE'), nullable=False))
    _create_table(
        'security_group_rules',
        sa.Column('id', ID, primary_key=True),
        sa.Column('tenant_id', NAME, nullable=False),
        sa.Column('security_group_id', ID, _group_fk(ondelete='CASCADE'), nullable=False),
        sa.Column('remote_group_id', ID, _group_fk(ondelete='CASCADE'), nullable=True),
        sa.Column('direction', sa.String(16), nullable=False),
        sa.Column('ethertype', sa.String(40), nullable=False),
        sa.Column('protocol', sa.String(40), nullable=True),
        sa.Column('port_range_min', sa.Integer(), nullable=True),
        sa.Column('port_range_max', sa.Integer(), nullable=True),
        sa.Column('remote_ip_prefix', IP, nullable=True),
        sa.Column('description', sa.String(255), nullable=False),
        sa.Column('created_at', TIMESTAMP, nullable=False),
        sa.Column('updated_at', TIMESTAMP, nullable=False))
    for column in ('tenant_id', 'security_group_id', 'remote_group_id'):
        op.create_index('ix_security_group_rules_%s' % column, 'security_group_rules',
                        [column])
    _create_table(
        'securitygroupportbindings',
        sa.Column('port_id', ID, _port_fk(), primary_key=True),
        sa.Column('security_group_id', ID, _group_fk(), primary_key=True))
    op.create_index('ix_securitygroupportbindings_security_group_id',
                    'securitygroupportbindings', ['security_group_id'])
    _create_table(
        'networksecuritybindings',
        sa.Column('network_id', ID, sa.ForeignKey('networks.id', ondelete='CASCADE'),
                  primary_key=True),
        sa.Column('port_security_enabled', sa.Boolean(), nullable=False))
    _create_table(
        'portsecuritybindings',
        sa.Column('port_id', ID, _port_fk(), primary_key=True),
        sa.Column('port_security_enabled', sa.Boolean(), nullable=False))
    _create_table(
        'allowedaddresspairs',
        sa.Column('port_id', ID, _port_fk(), primary_key=True),
        sa.Column('mac_address', sa.String(32), primary_key=True),
        sa.Column('ip_address', IP, primary_key=True))


def downgrade():
    for table in ('allowedaddresspairs', 'portsecuritybindings', 'networksecuritybindings',
                  'securitygroupportbindings', 'security_group_rules', 'default_security_group',
                  'security_groups'):
        op.drop_table(table)
