"""What L2 agents ask about the ports (devices) they find on their host, and the status they
report back. A port is only wired on the host it is bound to; anywhere else, or when it does
not exist, the agent gets just {'device': id} and leaves it in the dead VLAN."""

import sqlalchemy as sa

from netmgr.api.definitions import portbindings as pb
from netmgr import constants as const
from netmgr import context as nm_context
from netmgr.db.models import agents
from netmgr import devnames
from netmgr.db import api as db_api
from netmgr.db.models import core
from netmgr.db.queries import listing
from netmgr.services import rows

PORTS = core.Port.__table__
BINDINGS = agents.PortBinding.__table__
# Length of the port id part of a Linux bridge tap name.
TAP_ID_LEN = devnames.ID_PREFIX_LEN
# Port attributes an agent gets, beside the segment.
DETAIL_KEYS = ('mac_address', 'admin_state_up', 'network_id', 'fixed_ips', 'device_owner',
               'device_id', 'port_security_enabled', 'security_groups',
               'allowed_address_pairs', 'status')


class DeviceService:
    def __init__(self, db, port_service, l2_driver, retries=20):
        self.db = db
        self.ports = port_service
        self.driver = l2_driver
        self._write = db_api.RetriedWriter(db, retries)
        self._admin = nm_context.admin_context()

    def details(self, devices, host):
        """[details] in the order of ``devices``: port ids, or the 11-character id prefixes
        that Linux bridge taps are named by (tap<port-id[:11]>), resolved among the ports bound
        to ``host``; 'port_id' is always the full id."""
        devices = list(devices)
        port_ids = self._resolve_prefixes(devices, host)
        ids = list(set(port_ids.values()))
        query = listing.ListQuery(filters={'id': ids}) if ids else None
        found = {p['id']: p for p in self.ports.list(self._admin, query)} if query else {}
        with self.db.reader() as session:
            segments = self.driver.segments_for_networks(
                session, list({p['network_id'] for p in found.values()}))
        result = []
        for device in devices:
            port = found.get(port_ids[device])
            segment = segments.get(port['network_id']) if port else None
            if port is None or port.get(pb.HOST_ID) != host or segment is None:
                result.append({'device': device})
                continue
            entry = {'device': device, 'port_id': port['id']}
            entry.update({k: port.get(k) for k in DETAIL_KEYS})
            entry.update(segment.as_dict())
            result.append(entry)
        return result

    def _resolve_prefixes(self, devices, host):
        """{device: port id}: a TAP_ID_LEN-character device is the prefix of exactly one
        port bound to ``host``, or stays as it is (unknown)."""
        prefixes = {d for d in devices if len(d) == TAP_ID_LEN}
        resolved = {}
        if prefixes:
            with self.db.reader() as session:
                for (port_id,) in session.execute(
                        sa.select(BINDINGS.c.port_id).where(
                            BINDINGS.c.host == host,
                            sa.func.substr(BINDINGS.c.port_id, 1, TAP_ID_LEN).in_(prefixes))):
                    prefix = port_id[:TAP_ID_LEN]
                    resolved[prefix] = None if prefix in resolved else port_id
        return {d: resolved.get(d) or d for d in devices}

    def set_status(self, devices, host, status):
        """Set the status of those ``devices`` bound to ``host``; returns (done, failed):
        ports that no longer exist count as done (there is nothing left to report)."""
        devices = list(devices)
        if not devices:
            return [], []

        def run(session):
            bound_elsewhere = {port_id for (port_id,) in session.execute(
                sa.select(BINDINGS.c.port_id).where(BINDINGS.c.port_id.in_(devices),
                                                    BINDINGS.c.host != host))}
            mine = [d for d in devices if d not in bound_elsewhere]
            if mine:
                session.execute(PORTS.update().where(
                    PORTS.c.id.in_(mine), PORTS.c.status != status).values(
                    status=status, updated_at=rows.utcnow()))
            return mine, sorted(bound_elsewhere)
        return self._write(run)

    def ports_on_host(self, host, status=const.PORT_STATUS_ACTIVE):
        """Ids of the ports bound to ``host`` with this status (a restarted agent compares
        them with what it finds on its bridge)."""
        with self.db.reader() as session:
            return [port_id for (port_id,) in session.execute(
                sa.select(PORTS.c.id).join(BINDINGS, BINDINGS.c.port_id == PORTS.c.id)
                .where(BINDINGS.c.host == host, PORTS.c.status == status))]
