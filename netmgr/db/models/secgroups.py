"""Security groups and their rules, a port's groups, port security and allowed address pairs."""

import sqlalchemy as sa

from netmgr import constants as const
from netmgr.db.models.base import Base, ID, IP, NAME, TABLE_OPTS, timestamps


class SecurityGroup(Base):
    __tablename__ = 'security_groups'
    __table_args__ = TABLE_OPTS
    id = sa.Column(ID, primary_key=True)
    tenant_id = sa.Column(NAME, nullable=False, index=True)
    name = sa.Column(NAME, nullable=False, default='')
    description = sa.Column(sa.String(const.DESCRIPTION_MAX_LEN), nullable=False, default='')
    created_at, updated_at = timestamps()


class DefaultSecurityGroup(Base):
    """The tenant's 'default' group: the primary key allows one per tenant, so two requests
    creating it at once cannot both succeed (the loser retries and finds it)."""
    __tablename__ = 'default_security_group'
    __table_args__ = TABLE_OPTS
    tenant_id = sa.Column(NAME, primary_key=True)
    security_group_id = sa.Column(ID, sa.ForeignKey('security_groups.id', ondelete='CASCADE'),
                                  nullable=False)


class SecurityGroupRule(Base):
    __tablename__ = 'security_group_rules'
    __table_args__ = TABLE_OPTS
    id = sa.Column(ID, primary_key=True)
    tenant_id = sa.Column(NAME, nullable=False, index=True)
    security_group_id = sa.Column(ID, sa.ForeignKey('security_groups.id', ondelete='CASCADE'),
                                  nullable=False, index=True)
    remote_group_id = sa.Column(ID, sa.ForeignKey('security_groups.id', ondelete='CASCADE'),
                                nullable=True, index=True)
    direction = sa.Column(sa.String(16), nullable=False)
    ethertype = sa.Column(sa.String(40), nullable=False)
    protocol = sa.Column(sa.String(40), nullable=True)
    port_range_min = sa.Column(sa.Integer, nullable=True)
    port_range_max = sa.Column(sa.Integer, nullable=True)
    remote_ip_prefix = sa.Column(IP, nullable=True)
    description = sa.Column(sa.String(const.DESCRIPTION_MAX_LEN), nullable=False, default='')
    created_at, updated_at = timestamps()


class SecurityGroupPortBinding(Base):
    """A port is in a group. No cascade from the group: a group in use is not deleted."""
    __tablename__ = 'securitygroupportbindings'
    __table_args__ = TABLE_OPTS
    port_id = sa.Column(ID, sa.ForeignKey('ports.id', ondelete='CASCADE'), primary_key=True)
    security_group_id = sa.Column(ID, sa.ForeignKey('security_groups.id'), primary_key=True,
                                  index=True)


class NetworkSecurityBinding(Base):
    __tablename__ = 'networksecuritybindings'
    __table_args__ = TABLE_OPTS
    network_id = sa.Column(ID, sa.ForeignKey('networks.id', ondelete='CASCADE'),
                           primary_key=True)
    port_security_enabled = sa.Column(sa.Boolean, nullable=False)


class PortSecurityBinding(Base):
    __tablename__ = 'portsecuritybindings'
    __table_args__ = TABLE_OPTS
    port_id = sa.Column(ID, sa.ForeignKey('ports.id', ondelete='CASCADE'), primary_key=True)
    port_security_enabled = sa.Column(sa.Boolean, nullable=False)


class AllowedAddressPair(Base):
    __tablename__ = 'allowedaddresspairs'
    __table_args__ = TABLE_OPTS
    port_id = sa.Column(ID, sa.ForeignKey('ports.id', ondelete='CASCADE'), primary_key=True)
    mac_address = sa.Column(sa.String(32), primary_key=True)
    ip_address = sa.Column(IP, primary_key=True)
