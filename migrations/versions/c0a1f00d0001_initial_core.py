"""Initial core schema: networks, subnets, ports, IP allocations and IPAM tables.

Revision ID: c0a1f00d0001
Revises:
Create Date: 2026-11-21 00:00:00

Written by hand as a fixed snapshot: it does not import the models, so later model changes cannot
silently change what this revision creates.
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

revision = 'c0a1f00d0001'
down_revision = None
branch_labels = None
depends_on = None

ID = sa.String(36)
NAME = sa.String(255)
DESCRIPTION = sa.String(255)
IP = sa.String(64)
IP_KEY = sa.String(32)
TIMESTAMP = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mysql', 'mariadb')


def _subnet_fk():
    return sa.ForeignKey('subnets.id', ondelete='CASCADE')


def _timestamps():
    return (sa.Column('created_at', TIMESTAMP, nullable=False),
            sa.Column('updated_at', TIMESTAMP, nullable=False))


def _create_table(name, *columns):
    # Exact comparison on MySQL/MariaDB, as on SQLite and PostgreSQL: the default *_ci
    # collation would let tenant ACME see acme's rows, and MariaDB's plain _bin collation
    # still ignores trailing spaces.
    mariadb = getattr(op.get_context().dialect, 'is_mariadb', False)
    op.create_table(name, *columns, mysql_charset='utf8mb4',
                    mysql_collate='utf8mb4_nopad_bin' if mariadb else 'utf8mb4_bin')


def upgrade():
    _create_table(
        'networks',
        sa.Column('id', ID, primary_key=True),
        sa.Column('tenant_id', NAME, nullable=False),
        sa.Column('name', NAME, nullable=False),
        sa.Column('description', DESCRIPTION, nullable=False),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('admin_state_up', sa.Boolean(), nullable=False),
        sa.Column('shared', sa.Boolean(), nullable=False),
        *_timestamps())
    op.create_index('ix_networks_tenant_id', 'networks', ['tenant_id'])

    _create_table(
        'subnets',
        sa.Column('id', ID, primary_key=True),
        sa.Column('tenant_id', NAME, nullable=False),
        sa.Column('network_id', ID, sa.ForeignKey('networks.id'), nullable=False),
        sa.Column('name', NAME, nullable=False),
        sa.Column('description', DESCRIPTION, nullable=False),
        sa.Column('ip_version', sa.Integer(), nullable=False),
        sa.Column('cidr', IP, nullable=False),
        sa.Column('gateway_ip', IP, nullable=True),
        sa.Column('enable_dhcp', sa.Boolean(), nullable=False),
        sa.Column('ipv6_ra_mode', sa.String(16), nullable=True),
        sa.Column('ipv6_address_mode', sa.String(16), nullable=True),
        *_timestamps())
    op.create_index('ix_subnets_tenant_id', 'subnets', ['tenant_id'])
    op.create_index('ix_subnets_network_id', 'subnets', ['network_id'])

    _create_table(
        'subnet_dns_nameservers',
        sa.Column('subnet_id', ID, _subnet_fk(), primary_key=True),
        sa.Column('address', sa.String(128), primary_key=True),
        sa.Column('order', sa.Integer(), nullable=False))

    _create_table(
        'subnet_routes',
        sa.Column('subnet_id', ID, _subnet_fk(), primary_key=True),
        sa.Column('destination', IP, primary_key=True),
        sa.Column('nexthop', IP, primary_key=True))

    _create_table(
        'subnet_allocation_pools',
        sa.Column('id', ID, primary_key=True),
        sa.Column('subnet_id', ID, _subnet_fk(), nullable=False),
        sa.Column('first_ip', IP, nullable=False),
        sa.Column('last_ip', IP, nullable=False))
    op.create_index('ix_subnet_allocation_pools_subnet_id', 'subnet_allocation_pools',
                    ['subnet_id'])

    _create_table(
        'ipam_availability_ranges',
        sa.Column('subnet_id', ID, _subnet_fk(), primary_key=True),
        sa.Column('first_key', IP_KEY, primary_key=True),
        sa.Column('last_key', IP_KEY, nullable=False))
    op.create_index('ix_ipam_availability_ranges_last', 'ipam_availability_ranges',
                    ['subnet_id', 'last_key'])

    _create_table(
        'ipam_policy_ranges',
        sa.Column('subnet_id', ID, _subnet_fk(), primary_key=True),
        sa.Column('first_ip', IP, primary_key=True),
        sa.Column('last_ip', IP, nullable=False))

    _create_table(
        'ipam_policy_octets',
        sa.Column('subnet_id', ID, _subnet_fk(), primary_key=True),
        sa.Column('octet', sa.Integer(), primary_key=True, autoincrement=False))

    _create_table(
        'ports',
        sa.Column('id', ID, primary_key=True),
        sa.Column('tenant_id', NAME, nullable=False),
        sa.Column('network_id', ID, sa.ForeignKey('networks.id'), nullable=False),
        sa.Column('name', NAME, nullable=False),
        sa.Column('description', DESCRIPTION, nullable=False),
        sa.Column('mac_address', sa.String(32), nullable=False),
        sa.Column('admin_state_up', sa.Boolean(), nullable=False),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('device_id', sa.String(255), nullable=False),
        sa.Column('device_owner', sa.String(255), nullable=False),
        *_timestamps(),
        sa.UniqueConstraint('network_id', 'mac_address',
                            name='uniq_ports0network_id0mac_address'))
    op.create_index('ix_ports_tenant_id', 'ports', ['tenant_id'])
    op.create_index('ix_ports_network_id', 'ports', ['network_id'])
    op.create_index('ix_ports_device_id', 'ports', ['device_id'])

    _create_table(
        'ipallocations',
        sa.Column('subnet_id', ID, _subnet_fk(), primary_key=True),
        sa.Column('ip_address', IP, primary_key=True),
        sa.Column('port_id', ID, sa.ForeignKey('ports.id', ondelete='CASCADE'), nullable=True),
        sa.Column('network_id', ID, sa.ForeignKey('networks.id', ondelete='CASCADE'),
                  nullable=False))
    op.create_index('ix_ipallocations_port_id', 'ipallocations', ['port_id'])
    op.create_index('ix_ipallocations_network_id', 'ipallocations', ['network_id'])


def downgrade():
    for table in ('ipallocations', 'ports', 'ipam_policy_octets', 'ipam_policy_ranges',
                  'ipam_availability_ranges', 'subnet_allocation_pools', 'subnet_routes',
                  'subnet_dns_nameservers', 'subnets', 'networks'):
        op.drop_table(table)
