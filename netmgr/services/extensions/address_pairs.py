"""allowed_address_pairs on ports: replaced wholesale on update; a pair's MAC defaults to
the port's."""

import netaddr
import sqlalchemy as sa

from netmgr.api.definitions import ATTR_NOT_SPECIFIED
from netmgr.api.definitions import allowed_address_pairs as aap_def
from netmgr.db.models import secgroups
from netmgr import exceptions
from netmgr.services.extensions import base
from netmgr.services.extensions import port_security

PAIRS_ATTR = aap_def.ADDRESS_PAIRS
PAIRS = secgroups.AllowedAddressPair.__table__


def _mac(value):
    return str(netaddr.EUI(value, dialect=netaddr.mac_unix_expanded))


class AllowedAddressPairs(base.AttributeExtension):
    collection = 'ports'
    attributes = (PAIRS_ATTR,)
    reads = (port_security.PS,)

    def __init__(self, max_pairs):
        self.max_pairs = max_pairs

    def _store(self, session, port, pairs):
        if pairs and not port_security.port_enabled(session, port):
            raise exceptions.AddressPairAndPortSecurityRequired()
        if len(pairs) > self.max_pairs:
            raise exceptions.AllowedAddressPairExhausted(quota=self.max_pairs)
        rows = []
        for pair in pairs:
            row = {'port_id': port['id'], 'ip_address': pair['ip_address'],
                   'mac_address': _mac(pair.get('mac_address') or port['mac_address'])}
            if row not in rows:   # a pair naming the port's MAC equals one without a MAC
                rows.append(row)
        if rows:
            session.execute(PAIRS.insert(), rows)
        port[PAIRS_ATTR] = [{'ip_address': r['ip_address'], 'mac_address': r['mac_address']}
                            for r in sorted(rows, key=lambda r: (r['ip_address'],
                                                                 r['mac_address']))]

    def create(self, session, context, resource, data):
        pairs = data.get(PAIRS_ATTR, ATTR_NOT_SPECIFIED)
        self._store(session, resource, [] if pairs is ATTR_NOT_SPECIFIED else pairs)

    def update(self, session, context, resource, data):
        session.execute(PAIRS.delete().where(PAIRS.c.port_id == resource['id']))
        self._store(session, resource, data[PAIRS_ATTR])

    def extend(self, session, resources, ids):
        found = {}
        for port_id, ip_address, mac_address in session.execute(
                sa.select(PAIRS.c.port_id, PAIRS.c.ip_address, PAIRS.c.mac_address)
                .where(PAIRS.c.port_id.in_(ids))
                .order_by(PAIRS.c.ip_address, PAIRS.c.mac_address)):
            found.setdefault(port_id, []).append({'ip_address': ip_address,
                                                  'mac_address': mac_address})
        for resource in resources:
            resource[PAIRS_ATTR] = found.get(resource['id'], [])

    def filter(self, name, values):
        raise exceptions.InvalidFilter(filter=name)
