"""router:external on networks: a row in ``externalnetworks`` marks a network external."""

import sqlalchemy as sa

from netmgr.api.definitions import external_net as ext_def
from netmgr import constants as const
from netmgr.db.models import core
from netmgr import exceptions
from netmgr.services.extensions import base

NETWORKS = core.Network.__table__
EXTERNAL = core.ExternalNetwork.__table__
PORTS = core.Port.__table__


class ExternalNetworks(base.AttributeExtension):
    collection = 'networks'
    attributes = (ext_def.EXTERNAL,)

    def visibility(self, context):
        # Every tenant sees external networks (to pick one for a gateway or floating IP).
        return NETWORKS.c.id.in_(sa.select(EXTERNAL.c.network_id))

    def create(self, session, context, resource, data):
        external = bool(data.get(ext_def.EXTERNAL))
        if external:
            session.execute(EXTERNAL.insert().values(network_id=resource['id']))
        resource[ext_def.EXTERNAL] = external

    def update(self, session, context, resource, data):
        wanted = bool(data[ext_def.EXTERNAL])
        current = self._is_external(session, resource['id'])
        if wanted and not current:
            session.execute(EXTERNAL.insert().values(network_id=resource['id']))
        elif current and not wanted:
            gateway = session.execute(sa.select(PORTS.c.id).where(
                PORTS.c.network_id == resource['id'],
                PORTS.c.device_owner == const.DEVICE_OWNER_ROUTER_GW).limit(1)).first()
            if gateway is not None:
                raise exceptions.ExternalNetworkInUse(net_id=resource['id'])
            session.execute(EXTERNAL.delete().where(EXTERNAL.c.network_id == resource['id']))

    @staticmethod
    def _is_external(session, network_id):
        return session.execute(sa.select(EXTERNAL.c.network_id).where(
            EXTERNAL.c.network_id == network_id)).first() is not None

    def extend(self, session, resources, ids):
        external = {network_id for (network_id,) in session.execute(
            sa.select(EXTERNAL.c.network_id).where(EXTERNAL.c.network_id.in_(ids)))}
        for resource in resources:
            resource[ext_def.EXTERNAL] = resource['id'] in external

    def filter(self, name, values):
        wanted = set(values)
        is_external = NETWORKS.c.id.in_(sa.select(EXTERNAL.c.network_id))
        if wanted == {True}:
            return is_external
        if wanted == {False}:
            return sa.not_(is_external)
        return sa.true()
