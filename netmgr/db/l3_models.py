"""L3 tables: routers and the ports a router owns (its interfaces and its gateway).

On ``models.Base`` so that one metadata describes the whole schema; ``netmgr.db.models`` imports
this module at its end. Changes go with an alembic migration, as for every table.
"""

import sqlalchemy as sa

from netmgr import constants as const
from netmgr.db.models import Base, ID, NAME, TABLE_OPTS, timestamps


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
