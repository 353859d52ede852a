"""The Linux bridge L2 agent: puts the instance taps of its host on their network's bridge.

The main loop lists the host's ``tap<port-id[:11]>`` devices when a link event names a tap,
after a port notification, and at the latest every ``polling_interval`` seconds. It asks the
server about new taps by that 11 character prefix (the server resolves it among the ports
bound to this host and answers with the full 'port_id'), wires them through the
BridgeManager and reports up/down in one call. Up/down reports that failed are kept and sent
again; taps whose details could not be fetched stay new. After a (re)start every tap present
is wired again (idempotent: traffic goes on) and the server's ACTIVE ports of this host
without a tap are reported down.

With a VXLAN local_ip the agent announces it at each (re)start (tunnel_sync) and learns every
other host's tunnel IP, then those announced later (tunnel_update): broadcast and unknown
unicast of its VXLAN networks is flooded to all of them and to [VXLAN] remote_ips.
"""

import dataclasses
import logging
import threading

from netmgr.agent.common import loop as agent_loop
from netmgr.agent.l2.linuxbridge import bridges as lb_bridges
from netmgr import constants as const
from netmgr import context as nm_context
from netmgr import devnames

LOG = logging.getLogger(__name__)
MAX_BACKOFF = 10.0


@dataclasses.dataclass
class Tap:
    port_id: str = None         # None: the server knows no port of this host for it
    network_id: str = None      # None: not on any bridge


class LinuxBridgeAgent:
    def __init__(self, host, bridges, plugin_rpc, polling_interval=2.0, configurations=None,
                 firewall=None):
        self.host = host
        self.agent_id = 'lb-agent-%s' % host
        self.bridges = bridges
        self.plugin_rpc = plugin_rpc
        self.configurations = configurations or {}
        self.context = nm_context.admin_context()
        self.taps = {}              # tap name -> Tap, for every tap seen and processed
        self._up, self._down = set(), set()     # port ids still to report
        self._unsupported = set()   # networks whose "cannot carry" was logged
        self._lock = threading.Lock()
        self._pending = set()       # taps to process again (port notifications)
        self.loop = agent_loop.AgentLoop(self.process_once, lambda: polling_interval,
                                         MAX_BACKOFF, name='tap processing')
        self._resync = True
        self._tunnel_ips = set()    # other hosts' tunnel IPs, announced to this agent
        self._tunnels_changed = False
        self.firewall = firewall    # None: ports are not filtered
        self.filtered = {}          # tap -> details, of the wired taps
        self._firewall_changed = True

    # ---- inputs (any thread) ---------------------------------------------------------------

    def port_updated(self, port_id):
        with self._lock:
            self._pending.add(devnames.tap_name(port_id))
            # a port anywhere may have joined or left a group our ports' rules name
            self._firewall_changed = True
        self.loop.wake()

    port_deleted = port_updated

    def device_changed(self, name):
        """A link event (any thread): a tap appeared, changed or went."""
        if name and devnames.is_tap(name):
            self.loop.wake()

    def network_deleted(self, network_id):
        with self._lock:
            self._pending.update(t for t, s in self.taps.items() if s.network_id == network_id)
        self.loop.wake()

    def tunnel_added(self, tunnel_ip, tunnel_type, host=None):
        """Another host announced its tunnel endpoint (any thread)."""
        if tunnel_type != const.TYPE_VXLAN or not self.bridges.local_ip:
            return
        with self._lock:
            if tunnel_ip not in self._tunnel_ips:
                self._tunnel_ips.add(tunnel_ip)
                self._tunnels_changed = True
        self.loop.wake()

    def fdb_added(self, fdb_entries):
        """L2 population is not used: every vxlan network floods to every known host."""

    def fdb_removed(self, fdb_entries):
        """L2 population is not used."""

    def security_groups_changed(self, group_ids):
        """Rules or members of security groups changed (any thread)."""
        with self._lock:
            self._firewall_changed = True
        self.loop.wake()

    def device_count(self):
        return sum(1 for tap in self.taps.values() if tap.network_id)

    # ---- the loop ------------------------------------------------------------------------

    def stop(self):
        self.loop.stop()

    def run(self):
        self.loop.wake()        # the first pass at once
        self.loop.run()

    def process_once(self):
        present = self.bridges.taps()
        with self._lock:
            pending, self._pending = self._pending, set()
        try:
            self._process(present, pending)
        except Exception:
            with self._lock:
                self._pending |= pending
            raise

    def _process(self, present, pending):
        touched = set()     # bridges a tap left
        for name in sorted(set(self.taps) - present):
            tap = self.taps.pop(name)
            self.filtered.pop(name, None)
            self._forget(tap, touched)
        resync = self._resync
        if resync:
            self._sync_tunnels()
            active = self.plugin_rpc.get_ports_on_host(self.context, self.host)
            self._down |= {p for p in active if devnames.tap_name(p) not in present}
        with self._lock:
            tunnels_changed, self._tunnels_changed = self._tunnels_changed, False
            tunnel_ips = set(self._tunnel_ips)
        if tunnels_changed:
            try:
                self.bridges.set_remote_ips(tunnel_ips)
            except Exception:
                with self._lock:
                    self._tunnels_changed = True
                raise
        todo = sorted((present - set(self.taps)) | (pending & present))
        if todo:
            details = self.plugin_rpc.get_devices_details_list(
                self.context, [devnames.port_id_prefix(t) for t in todo], self.agent_id,
                self.host)
            for name, entry in zip(todo, details):
                self._wire(name, entry, touched)
        self._filter(resync or todo or touched)
        for bridge in sorted(touched):
            self.bridges.remove_if_unused(bridge)
        if resync:
            # bridges left empty while the agent was away
            for bridge, members in sorted(self.bridges.network_bridges().items()):
                if not any(devnames.is_tap(m) for m in members):
                    self.bridges.remove_if_unused(bridge)
            self._resync = False
        self._report()

    def _filter(self, taps_changed):
        """Rewrite the firewall when taps changed or security groups did (before the ports
        are reported up: an ACTIVE port is filtered)."""
        if self.firewall is None:
            return
        with self._lock:
            changed, self._firewall_changed = self._firewall_changed or bool(taps_changed), False
        if not changed:
            return
        try:
            groups = self.firewall.groups_of(self.filtered)
            info = (self.plugin_rpc.security_group_info(self.context, groups) if groups else
                    {'security_groups': {}, 'sg_member_ips': {}})
            self.firewall.update(self.filtered, info)
        except Exception:
            with self._lock:
                self._firewall_changed = True
            raise

    def _sync_tunnels(self):
        if not self.bridges.local_ip:
            return
        answer = self.plugin_rpc.tunnel_sync(self.context, self.bridges.local_ip,
                                             const.TYPE_VXLAN, self.host)
        with self._lock:
            self._tunnel_ips |= {t['ip_address'] for t in answer.get('tunnels', ())}
            self._tunnels_changed = True

    def _forget(self, tap, touched):
        if tap.port_id:
            self._down.add(tap.port_id)
            self._up.discard(tap.port_id)
        if tap.network_id:
            touched.add(devnames.network_bridge_name(tap.network_id))

    def _wire(self, name, entry, touched):
        old = self.taps.get(name) or Tap()
        port_id, network_id = entry.get('port_id'), entry.get('network_id')
        if old.network_id and old.network_id != network_id or (
                old.network_id and not entry.get('admin_state_up')):
            self.bridges.unplug(name, old.network_id)
            touched.add(devnames.network_bridge_name(old.network_id))
        if not port_id or 'network_type' not in entry:
            if old.port_id:
                self._down.add(old.port_id)
                self._up.discard(old.port_id)
            self.taps[name] = Tap()
            self.filtered.pop(name, None)
            LOG.debug('%s: no port of this host for it', name)
            return
        if not entry.get('admin_state_up'):
            self.taps[name] = Tap(port_id)
            self.filtered.pop(name, None)
            self._report_state(port_id, up=False)
            return
        segment = {k: entry.get(k)
                   for k in ('network_type', 'physical_network', 'segmentation_id')}
        try:
            self.bridges.plug(name, network_id, segment)
        except lb_bridges.UnsupportedSegment as exc:
            if network_id not in self._unsupported:
                self._unsupported.add(network_id)
                LOG.warning('%s stays down: %s', port_id, exc)
            self.taps[name] = Tap(port_id)
            self.filtered.pop(name, None)
            self._report_state(port_id, up=False)
            return
        self.taps[name] = Tap(port_id, network_id)
        self.filtered[name] = entry
        self._report_state(port_id, up=True)

    def _report_state(self, port_id, up):
        (self._up if up else self._down).add(port_id)
        (self._down if up else self._up).discard(port_id)

    def _report(self):
        up, down = sorted(self._up), sorted(self._down - self._up)
        if up or down:
            self.plugin_rpc.update_device_list(self.context, up, down, self.agent_id,
                                               self.host)
        self._up.difference_update(up)
        self._down.difference_update(down)

    def state(self, start_flag=False):
        state = {'binary': 'netmgr-linuxbridge-agent', 'host': self.host,
                 'topic': const.TOPIC_L2_AGENT, 'agent_type': const.AGENT_TYPE_LINUXBRIDGE,
                 'configurations': dict(self.configurations, devices=self.device_count())}
        if start_flag:
            state['start_flag'] = True
        return state
