"""The Open vSwitch L2 agent: wires the instance ports of br-int as OVSDB reports them.

Threads: the OVSDB monitor's notify thread only records iface ids; the main loop gathers them
for ``batch_window`` seconds, asks the server for their details in one call, programs br-int
and the physical bridges, then reports up/down in one call. An RPC failure keeps the batch
pending and retries with a growing delay. The canary flow is checked every
``canary_interval``; when ovs-vswitchd lost its flows everything is programmed again.
"""

import logging
import threading
import time

from netmgr.agent.common import loop as agent_loop
from netmgr.agent.l2.ovs import bridges as ovs_bridges
from netmgr.agent.l2.ovs import port_wiring
from netmgr import constants as const
from netmgr import context as nm_context

LOG = logging.getLogger(__name__)
MAX_BACKOFF = 10.0


class OVSAgent:
    def __init__(self, host, int_br, links, plugin_rpc, batch_window=0.03,
                 canary_interval=1.0, ovs_config=None):
        self.host = host
        self.agent_id = 'ovs-agent-%s' % host
        self.int_br = int_br
        self.links = links
        self.plugin_rpc = plugin_rpc
        self.canary_interval = canary_interval
        self.ovs_config = ovs_config or {}
        self.wiring = port_wiring.PortWiring(int_br, links)
        self.context = nm_context.admin_context()
        self._lock = threading.Lock()
        self.loop = agent_loop.AgentLoop(self._pass, lambda: self.canary_interval, MAX_BACKOFF,
                                         batch_window, name='port processing')
        self._pending = set()       # iface ids to (re)process
        self._gone = set()          # iface ids removed from OVSDB
        self._report_down = set()   # server ports of this host not on br-int (restart)
        self.known = set()          # iface ids wired or dead on br-int now
        self._last_canary = 0.0

    # ---- inputs (any thread) -------------------------------------------------------------

    def interface_changed(self, change):
        if not change.iface_id:
            return
        with self._lock:
            if change.event == 'removed':
                self._gone.add(change.iface_id)
                self._pending.discard(change.iface_id)
            else:
                self._pending.add(change.iface_id)
                self._gone.discard(change.iface_id)
        self.loop.wake()

    def port_updated(self, port_id):
        with self._lock:
            self._pending.add(port_id)
        self.loop.wake()

    def port_deleted(self, port_id):
        with self._lock:
            if port_id in self.known:
                self._gone.add(port_id)
        self.loop.wake()

    def network_deleted(self, network_id):
        with self._lock:
            mapping = self.wiring.vlans.get(network_id)
            if mapping is not None:
                self._pending.update(mapping.ports)
        self.loop.wake()

    def tunnel_added(self, tunnel_ip, tunnel_type, host=None):
        """Tunnels are not carried by this agent."""

    def security_groups_changed(self, group_ids):
        """Ports are not filtered by this agent."""

    def device_count(self):
        return len(self.known)

    # ---- start ---------------------------------------------------------------------------

    def start_sync(self):
        """After (re)start: keep existing tags, process every VIF port, and plan to report
        down the server's ports of this host that are not on br-int any more."""
        ovs_bridges.install_base_flows(self.int_br, self.links)
        vifs = self.int_br.vif_ports()
        self.wiring.restore(vifs, self.int_br.port_vlans([v.port_name for v in vifs]))
        self.wiring.reprogram_all()     # same rules again: idempotent, no traffic cut
        on_bridge = {v.iface_id for v in vifs}
        with self._lock:
            self._pending.update(on_bridge)
            self._resync_server = True
        self.loop.wake()

    _resync_server = False

    # ---- the loop ------------------------------------------------------------------------

    def stop(self):
        self.loop.stop()

    def run(self):
        self.loop.run()

    def _pass(self):
        now = time.monotonic()
        if now - self._last_canary >= self.canary_interval:
            self._last_canary = now
            self.check_canary()
        self.process_once()

    def check_canary(self):
        try:
            if ovs_bridges.canary_present(self.int_br):
                return
        except Exception as exc:
            LOG.warning('canary check failed: %s', exc)
            return
        LOG.warning('flows of %s are gone (ovs-vswitchd restarted?): reprogramming',
                    self.int_br.name)
        ovs_bridges.install_base_flows(self.int_br, self.links)
        self.wiring.reprogram_all()

    def process_once(self):
        """One batch. On failure the batch goes back to pending (nothing is lost)."""
        with self._lock:
            pending, gone = self._pending, self._gone
            self._pending, self._gone = set(), set()
            resync = self._resync_server
        try:
            self._process(pending, gone, resync)
        except Exception:
            with self._lock:
                self._pending |= pending - self._gone
                self._gone |= gone
            raise
        self._resync_server = self._resync_server and not resync

    def _process(self, pending, gone, resync):
        down = set()
        if gone:
            self.wiring.remove(gone)
            self.known -= gone
            down |= gone
        vifs = {v.iface_id: v for v in self.int_br.vif_ports()} if (pending or resync) else {}
        if resync:
            server_ports = self.plugin_rpc.get_ports_on_host(self.context, self.host)
            down |= set(server_ports) - set(vifs)
        wanted = [p for p in pending if p in vifs]
        up = []
        if wanted:
            details = self.plugin_rpc.get_devices_details_list(self.context, wanted,
                                                               self.agent_id, self.host)
            up, dead = self.wiring.wire(vifs, details)
            self.known |= set(wanted)
            down |= set(dead)
        down -= set(up)
        if up or down:
            self.plugin_rpc.update_device_list(self.context, sorted(up), sorted(down),
                                               self.agent_id, self.host)

    def state(self, start_flag=False):
        state = {'binary': 'netmgr-ovs-agent', 'host': self.host,
                 'topic': const.TOPIC_L2_AGENT, 'agent_type': const.AGENT_TYPE_OVS,
                 'configurations': dict(self.ovs_config, devices=self.device_count(),
                                        ovs_hybrid_plug=False)}
        if start_flag:
            state['start_flag'] = True
        return state
