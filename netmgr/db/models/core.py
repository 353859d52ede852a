"""Core tables: networks, subnets and their IPAM ranges and policies, ports and their
addresses. Changes go with an alembic migration under ``migrations/versions``."""

import sqlalchemy as sa

from netmgr import constants as const
from netmgr.db.models.base import Base, ID, IP, IP_KEY, NAME, TABLE_OPTS, timestamps


class Network(Base):
    __tablename__ = 'networks'
    __table_args__ = TABLE_OPTS
    id = sa.Column(ID, primary_key=True)
    tenant_id = sa.Column(NAME, nullable=False, index=True)
    name = sa.Column(NAME, nullable=False, default='')
    description = sa.Column(sa.String(const.DESCRIPTION_MAX_LEN), nullable=False, default='')
    status = sa.Column(sa.String(16), nullable=False)
    admin_state_up = sa.Column(sa.Boolean, nullable=False)
    shared = sa.Column(sa.Boolean, nullable=False, default=False)
    created_at, updated_at = timestamps()


class ExternalNetwork(Base):
    """external-net: the network is external (router gateways, floating IPs come from it)."""
    __tablename__ = 'externalnetworks'
    __table_args__ = TABLE_OPTS
    network_id = sa.Column(ID, sa.ForeignKey('networks.id', ondelete='CASCADE'),
                           primary_key=True)


class Subnet(Base):
    __tablename__ = 'subnets'
    __table_args__ = TABLE_OPTS
    id = sa.Column(ID, primary_key=True)
    tenant_id = sa.Column(NAME, nullable=False, index=True)
    network_id = sa.Column(ID, sa.ForeignKey('networks.id'), nullable=False, index=True)
    name = sa.Column(NAME, nullable=False, default='')
    description = sa.Column(sa.String(const.DESCRIPTION_MAX_LEN), nullable=False, default='')
    ip_version = sa.Column(sa.Integer, nullable=False)
    cidr = sa.Column(IP, nullable=False)
    gateway_ip = sa.Column(IP, nullable=True)
    enable_dhcp = sa.Column(sa.Boolean, nullable=False)
    ipv6_ra_mode = sa.Column(sa.String(16), nullable=True)
    ipv6_address_mode = sa.Column(sa.String(16), nullable=True)
    created_at, updated_at = timestamps()


class DNSNameServer(Base):
    __tablename__ = 'subnet_dns_nameservers'
    __table_args__ = TABLE_OPTS
    subnet_id = sa.Column(ID, sa.ForeignKey('subnets.id', ondelete='CASCADE'),
                          primary_key=True)
    address = sa.Column(sa.String(128), primary_key=True)
    order = sa.Column(sa.Integer, nullable=False)


class SubnetRoute(Base):
    __tablename__ = 'subnet_routes'
    __table_args__ = TABLE_OPTS
    subnet_id = sa.Column(ID, sa.ForeignKey('subnets.id', ondelete='CASCADE'),
                          primary_key=True)
    destination = sa.Column(IP, primary_key=True)
    nexthop = sa.Column(IP, primary_key=True)


class AllocationPool(Base):
    __tablename__ = 'subnet_allocation_pools'
    __table_args__ = TABLE_OPTS
    id = sa.Column(ID, primary_key=True)
    subnet_id = sa.Column(ID, sa.ForeignKey('subnets.id', ondelete='CASCADE'),
                          nullable=False, index=True)
    first_ip = sa.Column(IP, nullable=False)
    last_ip = sa.Column(IP, nullable=False)


class AvailabilityRange(Base):
    """Free addresses of a subnet as [first, last] runs; allocation takes the lowest."""
    __tablename__ = 'ipam_availability_ranges'
    subnet_id = sa.Column(ID, sa.ForeignKey('subnets.id', ondelete='CASCADE'),
                          primary_key=True)
    first_key = sa.Column(IP_KEY, primary_key=True)
    last_key = sa.Column(IP_KEY, nullable=False)
    __table_args__ = (sa.Index('ix_ipam_availability_ranges_last', 'subnet_id', 'last_key'),
                      TABLE_OPTS)


class IPPolicyRange(Base):
    """Melange IP policy: addresses of a subnet that are never handed out."""
    __tablename__ = 'ipam_policy_ranges'
    __table_args__ = TABLE_OPTS
    subnet_id = sa.Column(ID, sa.ForeignKey('subnets.id', ondelete='CASCADE'),
                          primary_key=True)
    first_ip = sa.Column(IP, primary_key=True)
    last_ip = sa.Column(IP, nullable=False)


class IPPolicyOctet(Base):
    """Melange IP policy: a last octet (v4) never handed out, e.g. 0 or 255 in a /16."""
    __tablename__ = 'ipam_policy_octets'
    __table_args__ = TABLE_OPTS
    subnet_id = sa.Column(ID, sa.ForeignKey('subnets.id', ondelete='CASCADE'),
                          primary_key=True)
    octet = sa.Column(sa.Integer, primary_key=True, autoincrement=False)


class Port(Base):
    __tablename__ = 'ports'
    id = sa.Column(ID, primary_key=True)
    tenant_id = sa.Column(NAME, nullable=False, index=True)
    network_id = sa.Column(ID, sa.ForeignKey('networks.id'), nullable=False, index=True)
    name = sa.Column(NAME, nullable=False, default='')
    description = sa.Column(sa.String(const.DESCRIPTION_MAX_LEN), nullable=False, default='')
    mac_address = sa.Column(sa.String(32), nullable=False)
    admin_state_up = sa.Column(sa.Boolean, nullable=False)
    status = sa.Column(sa.String(16), nullable=False)
    device_id = sa.Column(sa.String(const.DEVICE_ID_MAX_LEN), nullable=False, index=True)
    device_owner = sa.Column(sa.String(const.DEVICE_OWNER_MAX_LEN), nullable=False)
    created_at, updated_at = timestamps()
    __table_args__ = (sa.UniqueConstraint('network_id', 'mac_address',
                                          name='uniq_ports0network_id0mac_address'),
                      TABLE_OPTS)


class IPAllocation(Base):
    """An address in use. The primary key is what stops two allocators taking one address."""
    __tablename__ = 'ipallocations'
    __table_args__ = TABLE_OPTS
    subnet_id = sa.Column(ID, sa.ForeignKey('subnets.id', ondelete='CASCADE'),
                          primary_key=True)
    ip_address = sa.Column(IP, primary_key=True)
    port_id = sa.Column(ID, sa.ForeignKey('ports.id', ondelete='CASCADE'), nullable=True,
                        index=True)
    network_id = sa.Column(ID, sa.ForeignKey('networks.id', ondelete='CASCADE'),
                           nullable=False, index=True)
