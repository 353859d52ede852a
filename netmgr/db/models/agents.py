"""Agents: one row per (agent type, host), kept fresh by the agent's state reports."""

import sqlalchemy as sa

from netmgr.db.models.base import Base, ID, NAME, TABLE_OPTS, TIMESTAMP


class Agent(Base):
    __tablename__ = 'agents'
    __table_args__ = (sa.UniqueConstraint('agent_type', 'host',
                                          name='uniq_agents0agent_type0host'),
                      TABLE_OPTS)
    id = sa.Column(ID, primary_key=True)
    agent_type = sa.Column(NAME, nullable=False)
    binary = sa.Column(NAME, nullable=False)
    topic = sa.Column(NAME, nullable=False)
    host = sa.Column(NAME, nullable=False)
    admin_state_up = sa.Column(sa.Boolean, nullable=False, default=True)
    description = sa.Column(sa.String(255), nullable=False, default='')
    created_at = sa.Column(TIMESTAMP, nullable=False)
    started_at = sa.Column(TIMESTAMP, nullable=False)
    heartbeat_timestamp = sa.Column(TIMESTAMP, nullable=False)
    # JSON text: what the agent reports about itself (bridge_mappings, devices, ...).
    configurations = sa.Column(sa.Text, nullable=False)


class PortBinding(Base):
    """Where a port is bound and how it is plugged there (one row per bound port)."""
    __tablename__ = 'portbindings'
    __table_args__ = TABLE_OPTS
    port_id = sa.Column(ID, sa.ForeignKey('ports.id', ondelete='CASCADE'), primary_key=True)
    host = sa.Column(NAME, nullable=False, index=True)
    vnic_type = sa.Column(sa.String(64), nullable=False)
    vif_type = sa.Column(sa.String(64), nullable=False)
    # JSON text
    vif_details = sa.Column(sa.Text, nullable=False)
    profile = sa.Column(sa.Text, nullable=False)


class TunnelEndpoint(Base):
    """A host's tunnel IP for a tunnel type (vxlan), as its L2 agent announced it with
    tunnel_sync: where the other hosts send broadcast and unknown unicast."""
    __tablename__ = 'tunnelendpoints'
    __table_args__ = TABLE_OPTS
    tunnel_type = sa.Column(sa.String(32), primary_key=True)
    ip_address = sa.Column(sa.String(64), primary_key=True)
    host = sa.Column(NAME, nullable=False, index=True)
