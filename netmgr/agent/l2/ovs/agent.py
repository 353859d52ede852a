"""The Open vSwitch L2 agent: wires the instance ports of br-int as OVSDB reports them.

Threads: the OVSDB monitor's notify thread only records iface ids, and the RPC thread only
queues what the server casts (tunnel endpoints, FDB entries); the main loop gathers port
changes for ``batch_window`` seconds, asks the server for their details in one call, programs
br-int, the physical bridges and br-tun, then reports up/down in one call. An RPC failure keeps
the batch pending and retries with a growing delay. The canary flows (br-int and br-tun) are
checked every ``canary_interval``; when ovs-vswitchd lost its flows everything is programmed
again from the agent's state.

Tunnels (with an Overlay): at start and after the server connection came back (rpc_revived)
the agent announces its endpoint for each tunnel type (tunnel_sync) and gets a tunnel port to
every other host's; later hosts come by tunnel_update. With L2 population, a tunnel network's
FDB entries are pulled (get_fdb_entries) once it has a local VLAN here, before its ports are
reported up, and again after a restart or reconnect; the add/remove casts keep them current.
After a restart or reconnect, br-tun flows left from before that the agent would not program
now are deleted once every network was pulled.
"""

import contextlib
import logging
import threading
import time

from netmgr.agent.common import loop as agent_loop
from netmgr.agent.l2.ovs import bridges as ovs_bridges
from netmgr.agent.l2.ovs import flows
from netmgr.agent.l2.ovs import port_wiring
from netmgr import constants as const
from netmgr import context as nm_context

LOG = logging.getLogger(__name__)
MAX_BACKOFF = 10.0


class OVSAgent:
    def __init__(self, host, int_br, links, plugin_rpc, batch_window=0.03,
                 canary_interval=1.0, ovs_config=None, overlay=None):
        self.host = host
        self.agent_id = 'ovs-agent-%s' % host
        self.int_br = int_br
        self.links = links
        self.overlay = overlay      # tunnels.Overlay of br-tun, None without tunnel types
        self.plugin_rpc = plugin_rpc
        self.canary_interval = canary_interval
        self.ovs_config = ovs_config or {}
        self.wiring = port_wiring.PortWiring(int_br, links, overlay=overlay)
        self.context = nm_context.admin_context()
        self._lock = threading.Lock()
        self.loop = agent_loop.AgentLoop(self._pass, lambda: self.canary_interval, MAX_BACKOFF,
                                         batch_window, name='port processing')
        self._pending = set()       # iface ids to (re)process
        self._gone = set()          # iface ids removed from OVSDB
        self._report_down = set()   # server ports of this host not on br-int (restart)
        self.known = set()          # iface ids wired or dead on br-int now
        self._last_canary = 0.0
        self._casts = []            # (kind, payload): tunnel endpoints and FDB entries
        self._tunnels_synced = overlay is None
        self._refresh = False       # pull every network's FDB entries again, then sweep
        self._sweep = False         # reprogram br-tun and delete flows left from before

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
        """Another host announced its tunnel endpoint (any thread)."""
        if self.overlay is None or not self.overlay.carries(tunnel_type):
            return
        self._cast('tunnel', (tunnel_type, tunnel_ip))

    def fdb_added(self, fdb_entries):
        """L2 population: ports of tunnel networks are up on other hosts (any thread)."""
        self._cast('add', fdb_entries)

    def fdb_removed(self, fdb_entries):
        self._cast('remove', fdb_entries)

    def _cast(self, kind, payload):
        if self.overlay is None or (kind != 'tunnel' and
                                    not self.overlay.settings.l2_population):
            return
        with self._lock:
            self._casts.append((kind, payload))
        self.loop.wake()

    def rpc_revived(self):
        """The server answers again after it did not (RabbitMQ or the server restarted):
        casts may have been lost, so announce the endpoint and pull the FDB entries again."""
        if self.overlay is None:
            return
        with self._lock:
            self._refresh = True
        self.loop.wake()

    def security_groups_changed(self, group_ids):
        """Ports are not filtered by this agent."""

    def device_count(self):
        return len(self.known)

    # ---- start ---------------------------------------------------------------------------

    def start_sync(self):
        """After (re)start: keep existing tags, process every VIF port, and plan to report
        down the server's ports of this host that are not on br-int any more. br-tun keeps
        its network flows until the FDB entries are pulled again."""
        if self.overlay is not None:
            self.overlay.restore(self.overlay.bridge.interfaces())
            self._refresh = True
        ovs_bridges.install_base_flows(self.int_br, self.links, self.overlay)
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
        bridges = [self.int_br] + ([self.overlay.bridge] if self.overlay else [])
        try:
            lost = [b.name for b in bridges if not ovs_bridges.canary_present(b)]
        except Exception as exc:
            LOG.warning('canary check failed: %s', exc)
            return
        if not lost:
            return
        LOG.warning('flows of %s are gone (ovs-vswitchd restarted?): reprogramming',
                    ', '.join(lost))
        ovs_bridges.install_base_flows(self.int_br, self.links, self.overlay)
        self.wiring.reprogram_all()

    def process_once(self):
        """One batch. On failure the batch goes back to pending (nothing is lost)."""
        self._sync_tunnels()
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
        self._pull_fdb()
        self._apply_casts()
        self._sweep_tunnel_flows()

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
            self._pull_fdb()        # before the ports are up: their floods reach the others
        down -= set(up)
        if up or down:
            self.plugin_rpc.update_device_list(self.context, sorted(up), sorted(down),
                                               self.agent_id, self.host)

    # ---- tunnels ---------------------------------------------------------------------------

    def _tunnel_mappings(self):
        return [m for m in self.wiring.vlans.networks() if self.overlay.carries(m.network_type)]

    @contextlib.contextmanager
    def _tunnel_changes(self):
        """br-tun changes of one step, applied at its end; when a step fails midway, br-tun
        is reprogrammed from the agent's state (and swept) by a later pass."""
        changes = flows.Changes()
        try:
            yield changes
            changes.apply()
        except Exception:
            self._sweep = True
            raise

    def _sync_tunnels(self):
        if self.overlay is None:
            return
        with self._lock:
            if self._refresh:
                self._refresh, self._tunnels_synced, self._sweep = False, False, True
                self.overlay.forget_entries()
        if self._tunnels_synced:
            return
        with self._tunnel_changes() as changes:
            for tunnel_type in self.overlay.tunnel_types:
                answer = self.plugin_rpc.tunnel_sync(self.context, self.overlay.settings.local_ip,
                                                     tunnel_type, self.host)
                self.overlay.keep_tunnels(tunnel_type,
                                          {t['ip_address'] for t in answer.get('tunnels', ())},
                                          changes, self._tunnel_mappings())
        self._tunnels_synced = True

    def _pull_fdb(self):
        """The FDB entries of the tunnel networks here that were not pulled yet."""
        if self.overlay is None or not self.overlay.settings.l2_population:
            return
        wanted = [m for m in self._tunnel_mappings() if not self.overlay.pulled(m.network_id)]
        if not wanted:
            return
        entries = self.plugin_rpc.get_fdb_entries(self.context,
                                                  [m.network_id for m in wanted], self.host)
        with self._tunnel_changes() as changes:
            self.overlay.replace_entries(wanted, entries or {}, changes)

    def _apply_casts(self):
        with self._lock:
            casts, self._casts = self._casts, []
        if not casts:
            return
        done = 0
        steps = {'tunnel': lambda p, c: self.overlay.add_tunnel(*p, c, self._tunnel_mappings()),
                 'add': lambda p, c: self.overlay.add_entries(self.wiring.vlans, p, c),
                 'remove': lambda p, c: self.overlay.remove_entries(self.wiring.vlans, p, c)}
        try:
            with self._tunnel_changes() as changes:
                for kind, payload in casts:
                    steps[kind](payload, changes)
                    done += 1
        except Exception:
            with self._lock:
                self._casts[:0] = casts[done:]
            raise

    def _sweep_tunnel_flows(self):
        if self.overlay is None or not self._sweep or not self._tunnels_synced:
            return
        mappings = self._tunnel_mappings()
        if self.overlay.settings.l2_population and not all(
                self.overlay.pulled(m.network_id) for m in mappings):
            return
        with self._tunnel_changes() as changes:
            for flow in self.overlay.all_flows(mappings):
                changes.add(self.overlay.bridge, flow)
            self.overlay.sweep(mappings, changes)
        self._sweep = False
        LOG.info('%s resynchronised: %d tunnel networks, %d tunnel ports',
                 self.overlay.bridge.name, len(mappings), len(self.overlay.ports))

    def state(self, start_flag=False):
        state = {'binary': 'netmgr-ovs-agent', 'host': self.host,
                 'topic': const.TOPIC_L2_AGENT, 'agent_type': const.AGENT_TYPE_OVS,
                 'configurations': dict(self.ovs_config, devices=self.device_count(),
                                        ovs_hybrid_plug=False)}
        if start_flag:
            state['start_flag'] = True
        return state
