"""port_security_enabled on networks and ports (rows in networksecuritybindings and
portsecuritybindings; a resource without a row has port security on)."""

import sqlalchemy as sa

from netmgr.api.definitions import ATTR_NOT_SPECIFIED
from netmgr.api.definitions import allowed_address_pairs as aap_def
from netmgr.api.definitions import port_security as ps_def
from netmgr.api.definitions import securitygroup as sg_def
from netmgr.db.models import core
from netmgr.db.models import secgroups
from netmgr import exceptions
from netmgr.services.extensions import base

PS = ps_def.PORTSECURITY
NETWORKS = core.Network.__table__
PORTS = core.Port.__table__
NETWORK_SEC = secgroups.NetworkSecurityBinding.__table__
PORT_SEC = secgroups.PortSecurityBinding.__table__
SG_BINDINGS = secgroups.SecurityGroupPortBinding.__table__
PAIRS = secgroups.AllowedAddressPair.__table__


def _values(session, table, key_column, ids):
    return dict(session.execute(sa.select(key_column, table.c.port_security_enabled)
                                .where(key_column.in_(ids))).all())


def _disabled(session, table, key_column, ids):
    """The keys among ``ids`` with port security off: only those rows are read, since a
    resource without a row, or with a row saying on, has it on."""
    return {key for (key,) in session.execute(
        sa.select(key_column).where(key_column.in_(ids),
                                    table.c.port_security_enabled.is_(False)))}


def _store(session, table, key_column, key, enabled):
    updated = session.execute(table.update().where(key_column == key)
                              .values(port_security_enabled=enabled)).rowcount
    if not updated:
        session.execute(table.insert().values({key_column.name: key,
                                               'port_security_enabled': enabled}))


def _filter(table, key_column, owner_id_column, values):
    wanted = set(values)
    off = owner_id_column.in_(sa.select(key_column).where(
        table.c.port_security_enabled.is_(False)))
    if wanted == {True}:
        return sa.not_(off)
    if wanted == {False}:
        return off
    return sa.true()


def port_enabled(session, port):
    """A port's port security: the value set earlier in this request, else the stored one."""
    if PS in port:
        return port[PS]
    return _values(session, PORT_SEC, PORT_SEC.c.port_id, [port['id']]).get(port['id'], True)


class NetworkPortSecurity(base.AttributeExtension):
    collection = 'networks'
    attributes = (PS,)

    def create(self, session, context, resource, data):
        enabled = data.get(PS, True)
        enabled = True if enabled is ATTR_NOT_SPECIFIED else enabled
        session.execute(NETWORK_SEC.insert().values(network_id=resource['id'],
                                                    port_security_enabled=enabled))
        resource[PS] = enabled

    def update(self, session, context, resource, data):
        _store(session, NETWORK_SEC, NETWORK_SEC.c.network_id, resource['id'], data[PS])
        resource[PS] = data[PS]

    def extend(self, session, resources, ids):
        off = _disabled(session, NETWORK_SEC, NETWORK_SEC.c.network_id, ids)
        for resource in resources:
            resource[PS] = resource['id'] not in off

    def filter(self, name, values):
        return _filter(NETWORK_SEC, NETWORK_SEC.c.network_id, NETWORKS.c.id, values)


class PortPortSecurity(base.AttributeExtension):
    """Comes before the security group and address pair extensions: they read the value
    (port_enabled)."""
    collection = 'ports'
    attributes = (PS,)

    def create(self, session, context, resource, data):
        enabled = data.get(PS, ATTR_NOT_SPECIFIED)
        if enabled is ATTR_NOT_SPECIFIED:
            enabled = _values(session, NETWORK_SEC, NETWORK_SEC.c.network_id,
                              [resource['network_id']]).get(resource['network_id'], True)
        session.execute(PORT_SEC.insert().values(port_id=resource['id'],
                                                 port_security_enabled=enabled))
        resource[PS] = enabled

    def update(self, session, context, resource, data):
        enabled = data[PS]
        if not enabled:
            # Turning it off is allowed when the same request clears groups and pairs.
            groups = data.get(sg_def.SECURITYGROUPS)
            if groups is None:
                groups = session.execute(sa.select(SG_BINDINGS.c.security_group_id).where(
                    SG_BINDINGS.c.port_id == resource['id'])).all()
            if groups:
                raise exceptions.PortSecurityPortHasSecurityGroup()
            pairs = data.get(aap_def.ADDRESS_PAIRS)
            if pairs is None:
                pairs = session.execute(sa.select(PAIRS.c.ip_address).where(
                    PAIRS.c.port_id == resource['id'])).all()
            if pairs:
                raise exceptions.AddressPairAndPortSecurityRequired()
        _store(session, PORT_SEC, PORT_SEC.c.port_id, resource['id'], enabled)
        resource[PS] = enabled

    def extend(self, session, resources, ids):
        off = _disabled(session, PORT_SEC, PORT_SEC.c.port_id, ids)
        for resource in resources:
            resource[PS] = resource['id'] not in off

    def filter(self, name, values):
        return _filter(PORT_SEC, PORT_SEC.c.port_id, PORTS.c.id, values)
