"""L2 population: where the ports of tunnel networks live, so that L2 agents send a tunnel
network's broadcast, unknown unicast and multicast only to the hosts with ports on it, and
its unicast straight to the right host.

A port counts when its network is a tunnel type (vxlan, gre, geneve), its binding:host_id is
a host with a tunnel endpoint of that type (``tunnelendpoints``, from the agents'
tunnel_sync) and its status is ACTIVE (its agent wired it). DHCP and router ports count like
any other.

FDB entries are Neutron's l2population format::

    {network_id: {'segment_id': <vni or key>, 'network_type': 'vxlan' | 'gre' | 'geneve',
                  'ports': {<tunnel ip of a host>: [[mac, ip], ...]}}}

with one [mac, ip] per fixed IP of a port ([mac, ''] for a port without any) and
constants.FLOODING_ENTRY first in the list of a host that has at least one port on the
network ("flood to it").

Services compute what changed inside their own transaction (``watch`` before the change,
``Watch.changes`` after it; ``announce`` for ports just reported up) and hand the FdbChange to
the notifier once it has committed."""

import dataclasses

import sqlalchemy as sa

from netmgr import constants as const
from netmgr.db.models import agents
from netmgr.db.models import core
from netmgr.drivers import segment as seg

PORTS = core.Port.__table__
ALLOCS = core.IPAllocation.__table__
BINDINGS = agents.PortBinding.__table__
ENDPOINTS = agents.TunnelEndpoint.__table__
SEGMENTS = seg.SEGMENTS


@dataclasses.dataclass(frozen=True)
class PortLocation:
    """A counted port: its network's segment, its host's tunnel IP and its [mac, ip] pairs."""
    port_id: str
    network_id: str
    network_type: str
    segment_id: int
    host: str
    tunnel_ip: str
    entries: tuple

    @property
    def place(self):
        return self.network_id, self.host, self.tunnel_ip


def counted_ports(session, condition):
    """The PortLocations of the ports that count and match ``condition`` (one query; none
    for no condition)."""
    if condition is None:
        return []
    stmt = (sa.select(PORTS.c.id, PORTS.c.network_id, PORTS.c.mac_address,
                      SEGMENTS.c.network_type, SEGMENTS.c.segmentation_id, BINDINGS.c.host,
                      ENDPOINTS.c.ip_address.label('tunnel_ip'),
                      ALLOCS.c.ip_address)
            .join(BINDINGS, BINDINGS.c.port_id == PORTS.c.id)
            .join(SEGMENTS, sa.and_(SEGMENTS.c.network_id == PORTS.c.network_id,
                                    SEGMENTS.c.network_type.in_(seg.TUNNEL_TYPES)))
            .join(ENDPOINTS, sa.and_(ENDPOINTS.c.host == BINDINGS.c.host,
                                     ENDPOINTS.c.tunnel_type == SEGMENTS.c.network_type))
            .outerjoin(ALLOCS, ALLOCS.c.port_id == PORTS.c.id)
            .where(PORTS.c.status == const.PORT_STATUS_ACTIVE, condition)
            .order_by(PORTS.c.id, ALLOCS.c.ip_address))
    found = {}
    for row in session.execute(stmt):
        first = found.setdefault(row.id, (row, []))
        if row.ip_address is not None:
            first[1].append((row.mac_address, row.ip_address))
    return [PortLocation(row.id, row.network_id, row.network_type, row.segmentation_id,
                         row.host, row.tunnel_ip, tuple(pairs) or ((row.mac_address, ''),))
            for row, pairs in found.values()]


def _scope(port_ids, network_ids):
    conditions = []
    if port_ids:
        conditions.append(PORTS.c.id.in_(list(port_ids)))
    if network_ids:
        conditions.append(PORTS.c.network_id.in_(list(network_ids)))
    return sa.or_(*conditions) if conditions else None


class FdbEntries:
    """FDB entries being gathered: port pairs and flooding entries per (network, tunnel ip)."""

    def __init__(self):
        self._pairs = {}
        self._flood = set()
        self._segments = {}

    def put(self, location, pairs, flood=False):
        key = (location.network_id, location.tunnel_ip)
        self._segments[location.network_id] = (location.network_type, location.segment_id)
        self._pairs.setdefault(key, set()).update(pairs)
        if flood:
            self._flood.add(key)

    def merge(self, other):
        for key, pairs in other._pairs.items():
            self._pairs.setdefault(key, set()).update(pairs)
        self._flood |= other._flood
        self._segments.update(other._segments)

    def __bool__(self):
        return bool(self._flood or any(self._pairs.values()))

    def as_dict(self):
        """The wire format (module docstring); networks and hosts without entries left out."""
        result = {}
        for network_id, tunnel_ip in sorted(set(self._pairs) | self._flood):
            pairs = [list(p) for p in sorted(self._pairs.get((network_id, tunnel_ip), ()))]
            if (network_id, tunnel_ip) in self._flood:
                pairs.insert(0, list(const.FLOODING_ENTRY))
            if not pairs:
                continue
            network_type, segment_id = self._segments[network_id]
            network = result.setdefault(network_id, {
                'segment_id': segment_id, 'network_type': network_type, 'ports': {}})
            network['ports'][tunnel_ip] = pairs
        return result


class FdbChange:
    """What agents must add and remove, gathered in one transaction; sent after commit as one
    remove_fdb_entries and one add_fdb_entries (each only when not empty)."""

    def __init__(self):
        self.added = FdbEntries()
        self.removed = FdbEntries()

    def merge(self, other):
        self.added.merge(other.added)
        self.removed.merge(other.removed)
        return self

    @property
    def add(self):
        return self.added.as_dict()

    @property
    def remove(self):
        return self.removed.as_dict()


class Watch:
    """The counted ports of a scope before a change, compared after it (same session)."""

    def __init__(self, session, condition):
        self.condition = condition
        self.before = counted_ports(session, condition)

    def changes(self, session):
        """A port no longer counted where it was loses its pairs there, and that host its
        flooding entry on the network unless another ACTIVE port of the network stays on it;
        a port still there whose pairs changed (fixed IPs) has the old ones removed and all
        its current ones added again (an agent may drop a MAC with any of its pairs)."""
        after = {p.port_id: p for p in counted_ports(session, self.condition)}
        change, left = FdbChange(), []
        for old in self.before:
            new = after.get(old.port_id)
            if new is not None and new.place == old.place:
                if new.entries != old.entries:
                    change.removed.put(old, set(old.entries) - set(new.entries))
                    change.added.put(new, new.entries)
                continue
            change.removed.put(old, old.entries)
            left.append(old)
        occupied = _occupied(session, {(p.network_id, p.host) for p in left})
        for old in left:
            if (old.network_id, old.host) not in occupied:
                change.removed.put(old, (), flood=True)
        return change


def _occupied(session, places):
    """The (network, host) pairs of ``places`` where an ACTIVE port of the network is bound."""
    if not places:
        return set()
    found = session.execute(
        sa.select(PORTS.c.network_id, BINDINGS.c.host).distinct()
        .join(BINDINGS, BINDINGS.c.port_id == PORTS.c.id)
        .where(PORTS.c.status == const.PORT_STATUS_ACTIVE,
               PORTS.c.network_id.in_({n for n, _h in places}),
               BINDINGS.c.host.in_({h for _n, h in places})))
    return {(network_id, host) for network_id, host in found} & places


class L2Population:
    def __init__(self, db):
        self.db = db

    @staticmethod
    def watch(session, port_ids=None, network_ids=None):
        """Note what counts among these ports (or the ports of these networks) before a
        change made in ``session``; ``.changes(session)`` after it."""
        return Watch(session, _scope(port_ids, network_ids))

    @staticmethod
    def announce(session, port_ids):
        """The entries to add for ports just reported up: the pairs of those that count, and
        their hosts' flooding entries (agents take an entry they have as a no-op)."""
        change = FdbChange()
        for location in counted_ports(session, _scope(port_ids, None)):
            change.added.put(location, location.entries, flood=True)
        return change

    def fdb_entries(self, network_ids, host):
        """The entries of these networks on every host but ``host`` (one query), for an
        agent whose host got its first port on them or that resynchronises."""
        network_ids = list(network_ids or ())
        if not network_ids:
            return {}
        entries = FdbEntries()
        with self.db.reader() as session:
            for location in counted_ports(session, sa.and_(
                    PORTS.c.network_id.in_(network_ids), BINDINGS.c.host != (host or ''))):
                entries.put(location, location.entries, flood=True)
        return entries.as_dict()
