"""What L2 agents ask about the ports (devices) they find on their host, and the status they
report back (which moves tunnel networks' FDB entries: netmgr.services.l2pop). A port is
only wired on the host it is bound to; anywhere else, or when it does not exist, the agent
gets just {'device': id} and leaves it in the dead VLAN."""

import sqlalchemy as sa

from netmgr.api.definitions import portbindings as pb
from netmgr import constants as const
from netmgr import context as nm_context
from netmgr.db.models import agents
from netmgr import devnames
from netmgr.db import api as db_api
from netmgr.db.models import core
from netmgr.db.queries import listing
from netmgr.services import notifier as notifier_mod
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
    def __init__(self, db, port_service, l2_driver, l2pop, retries=20, notifier=None):
        """``l2pop``: the netmgr.services.l2pop.L2Population whose changes the notifier
        sends to the L2 agents."""
        self.db = db
        self.ports = port_service
        self.driver = l2_driver
        self.l2pop = l2pop
        self.notifier = notifier or notifier_mod.NullNotifier()
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

    def report(self, devices_up, devices_down, host):
        """Set the ports of ``devices_up`` ACTIVE and those of ``devices_down`` DOWN, where
        bound to ``host``, in one transaction; then tell the L2 agents how the tunnel
        networks' forwarding changed (at most one remove and one add). Returns Neutron's
        update_device_list answer: ports that no longer exist count as done (there is
        nothing left to report), ports bound elsewhere as failed."""
        devices_up, devices_down = list(devices_up), list(devices_down)

        def run(session):
            up, failed_up = self._split(session, devices_up, host)
            down, failed_down = self._split(session, devices_down, host)
            watch = self.l2pop.watch(session, port_ids=down)
            self._set_status(session, up, const.PORT_STATUS_ACTIVE)
            self._set_status(session, down, const.PORT_STATUS_DOWN)
            fdb = watch.changes(session).merge(self.l2pop.announce(session, up))
            return {'devices_up': up, 'failed_devices_up': failed_up,
                    'devices_down': down, 'failed_devices_down': failed_down}, fdb
        answer, fdb = self._write(run)
        self.notifier.fdb_changed(self._admin, fdb.add, fdb.remove)
        return answer

    @staticmethod
    def _split(session, devices, host):
        """(devices not bound elsewhere, those bound to another host)."""
        if not devices:
            return [], []
        bound_elsewhere = {port_id for (port_id,) in session.execute(
            sa.select(BINDINGS.c.port_id).where(BINDINGS.c.port_id.in_(devices),
                                                BINDINGS.c.host != host))}
        return [d for d in devices if d not in bound_elsewhere], sorted(bound_elsewhere)

    @staticmethod
    def _set_status(session, port_ids, status):
        if port_ids:
            session.execute(PORTS.update().where(
                PORTS.c.id.in_(port_ids), PORTS.c.status != status).values(
                status=status, updated_at=rows.utcnow()))

    def ports_on_host(self, host, status=const.PORT_STATUS_ACTIVE):
        """Ids of the ports bound to ``host`` with this status (a restarted agent compares
        them with what it finds on its bridge)."""
        with self.db.reader() as session:
            return [port_id for (port_id,) in session.execute(
                sa.select(PORTS.c.id).join(BINDINGS, BINDINGS.c.port_id == PORTS.c.id)
                .where(BINDINGS.c.host == host, PORTS.c.status == status))]
