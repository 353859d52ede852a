"""binding:* on ports: the host a port is bound to and the VIF type and details the host's
agent calls for. Binding happens in the port's create/update transaction whenever the host
(or the vnic type) is set; without a live agent able to serve the port's network there the
port is `binding_failed`, as in Neutron, and Nova refuses to plug it."""

import json

import sqlalchemy as sa

from netmgr.api.definitions import portbindings as pb
from netmgr.db.models import agents
from netmgr.db.models import core
from netmgr.services.extensions import base

BINDINGS = agents.PortBinding.__table__
PORTS = core.Port.__table__


def _from_json(text):
    # Most ports have an empty profile (and unbound ones empty details): skip the parser.
    return {} if text == '{}' else json.loads(text)


def _unbound():
    return {pb.HOST_ID: '', pb.VIF_TYPE: pb.VIF_TYPE_UNBOUND, pb.VIF_DETAILS: {},
            pb.VNIC_TYPE: pb.VNIC_NORMAL, pb.PROFILE: {}}


class PortBindings(base.AttributeExtension):
    collection = 'ports'
    attributes = (pb.HOST_ID, pb.VIF_TYPE, pb.VIF_DETAILS, pb.VNIC_TYPE, pb.PROFILE)

    def __init__(self, binder):
        """``binder.bind(session, port, host, vnic_type)`` -> (vif_type, vif_details)."""
        self.binder = binder

    def create(self, session, context, resource, data):
        host = data.get(pb.HOST_ID) or ''
        vnic_type = data.get(pb.VNIC_TYPE) or pb.VNIC_NORMAL
        profile = data.get(pb.PROFILE) or {}
        self._store(session, resource, host, vnic_type, profile, insert=True)

    def update(self, session, context, resource, data):
        stored = self._load(session, [resource['id']]).get(resource['id'])
        current = stored or _unbound()
        host = data.get(pb.HOST_ID, current[pb.HOST_ID]) or ''
        vnic_type = data.get(pb.VNIC_TYPE, current[pb.VNIC_TYPE]) or pb.VNIC_NORMAL
        profile = data.get(pb.PROFILE, current[pb.PROFILE]) or {}
        self._store(session, resource, host, vnic_type, profile, insert=stored is None)

    def _store(self, session, resource, host, vnic_type, profile, insert):
        if host:
            vif_type, details = self.binder.bind(session, resource, host, vnic_type)
        else:
            vif_type, details = pb.VIF_TYPE_UNBOUND, {}
        values = dict(host=host, vnic_type=vnic_type, vif_type=vif_type,
                      vif_details=json.dumps(details, sort_keys=True),
                      profile=json.dumps(profile, sort_keys=True))
        if insert:
            session.execute(BINDINGS.insert().values(port_id=resource['id'], **values))
        else:
            session.execute(BINDINGS.update().where(BINDINGS.c.port_id == resource['id'])
                            .values(**values))
        resource.update({pb.HOST_ID: host, pb.VIF_TYPE: vif_type, pb.VIF_DETAILS: details,
                         pb.VNIC_TYPE: vnic_type, pb.PROFILE: profile})

    @staticmethod
    def _rows(session, port_ids):
        """(port id, binding attributes) of the ports that have a binding row."""
        for port_id, host, vif_type, details, vnic_type, profile in session.execute(
                sa.select(BINDINGS.c.port_id, BINDINGS.c.host, BINDINGS.c.vif_type,
                          BINDINGS.c.vif_details, BINDINGS.c.vnic_type, BINDINGS.c.profile)
                .where(BINDINGS.c.port_id.in_(port_ids))):
            yield port_id, {pb.HOST_ID: host, pb.VIF_TYPE: vif_type,
                            pb.VIF_DETAILS: _from_json(details), pb.VNIC_TYPE: vnic_type,
                            pb.PROFILE: _from_json(profile)}

    @classmethod
    def _load(cls, session, port_ids):
        return dict(cls._rows(session, port_ids))

    def extend(self, session, resources, ids):
        by_id = {r['id']: r for r in resources}
        for port_id, attributes in self._rows(session, ids):
            by_id[port_id].update(attributes)
        for resource in resources:
            if pb.HOST_ID not in resource:   # no binding row
                resource.update(_unbound())

    def filter(self, name, values):
        column = {pb.HOST_ID: BINDINGS.c.host, pb.VNIC_TYPE: BINDINGS.c.vnic_type}[name]
        bound = PORTS.c.id.in_(sa.select(BINDINGS.c.port_id).where(column.in_(values)))
        defaults = {pb.HOST_ID: '', pb.VNIC_TYPE: pb.VNIC_NORMAL}
        if defaults[name] in values:   # ports without a row have the default value
            return sa.or_(bound, PORTS.c.id.not_in(sa.select(BINDINGS.c.port_id)))
        return bound

    @staticmethod
    def ports_on_host(session, host):
        return [port_id for (port_id,) in session.execute(
            sa.select(BINDINGS.c.port_id).where(BINDINGS.c.host == host))]
