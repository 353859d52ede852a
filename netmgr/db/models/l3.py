"""L3 tables: routers, the ports a router owns (its interfaces and its gateway), floating IPs."""

import sqlalchemy as sa

from netmgr import constants as const
from netmgr.db.models.base import Base, ID, IP, NAME, TABLE_OPTS, timestamps


class Router(Base):
    __tablename__ = 'routers'
    __table_args__ = TABLE_OPTS
    id = sa.Column(ID, primary_key=True)
    tenant_id = sa.Column(NAME, nullable=False, index=True)
    name = sa.Column(NAME, nullable=False, default='')
    description = sa.Column(sa.String(const.DESCRIPTION_MAX_LEN), nullable=False, default='')
    status = sa.Column(sa.String(16), nullable=False)
    admin_state_up = sa.Column(sa.Boolean, nullable=False)
    enable_snat = sa.Column(sa.Boolean, nullable=False, default=True)
    created_at, updated_at = timestamps()


class RouterPort(Base):
    """A port the router owns; port_type is its device_owner (interface or gateway). The
    gateway port, if any, is the router's one row of type network:router_gateway."""
    __tablename__ = 'routerports'
    __table_args__ = TABLE_OPTS
    router_id = sa.Column(ID, sa.ForeignKey('routers.id', ondelete='CASCADE'),
                          primary_key=True)
    port_id = sa.Column(ID, sa.ForeignKey('ports.id', ondelete='CASCADE'), primary_key=True)
    port_type = sa.Column(sa.String(const.DEVICE_OWNER_MAX_LEN), nullable=False)


class FloatingIP(Base):
    """A floating IP: the address of its own port (device_owner network:floatingip) on an
    external network. Whether it is associated is told by FloatingIPAssociation."""
    __tablename__ = 'floatingips'
    id = sa.Column(ID, primary_key=True)
    tenant_id = sa.Column(NAME, nullable=False, index=True)
    description = sa.Column(sa.String(const.DESCRIPTION_MAX_LEN), nullable=False, default='')
    floating_network_id = sa.Column(ID, sa.ForeignKey('networks.id'), nullable=False,
                                    index=True)
    floating_port_id = sa.Column(ID, sa.ForeignKey('ports.id', ondelete='CASCADE'),
                                 nullable=False)
    floating_ip_address = sa.Column(IP, nullable=False)
    status = sa.Column(sa.String(16), nullable=False)
    created_at, updated_at = timestamps()
    __table_args__ = (sa.UniqueConstraint('floating_port_id',
                                          name='uniq_floatingips0floating_port_id'),
                      TABLE_OPTS)


class FloatingIPAssociation(Base):
    """A floating IP mapped to one fixed IP of a port, through a router.

    The composite foreign key on the fixed IP's allocation makes the database itself drop the
    association when that address is released (port deleted, or the address removed from the
    port). The unique key allows one floating IP per fixed IP and external network, and settles
    two concurrent associations (the loser retries and then sees the winner)."""
    __tablename__ = 'floatingipassociations'
    floatingip_id = sa.Column(ID, sa.ForeignKey('floatingips.id', ondelete='CASCADE'),
                              primary_key=True)
    floating_network_id = sa.Column(ID, nullable=False)
    fixed_port_id = sa.Column(ID, sa.ForeignKey('ports.id', ondelete='CASCADE'),
                              nullable=False, index=True)
    fixed_subnet_id = sa.Column(ID, nullable=False)
    fixed_ip_address = sa.Column(IP, nullable=False)
    router_id = sa.Column(ID, sa.ForeignKey('routers.id'), nullable=False, index=True)
    __table_args__ = (
        sa.ForeignKeyConstraint(['fixed_subnet_id', 'fixed_ip_address'],
                                ['ipallocations.subnet_id', 'ipallocations.ip_address'],
                                name='fk_floatingipassociations_fixed_ip',
                                ondelete='CASCADE'),
        sa.UniqueConstraint('fixed_subnet_id', 'fixed_ip_address', 'floating_network_id',
                            name='uniq_floatingipassociations0fixed_ip0network'),
        TABLE_OPTS)
