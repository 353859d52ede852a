"""The DHCP agent: one dnsmasq per served network, in its ``qdhcp-`` namespace.

Threads: RPC notifications only queue events; one loop applies them in order, so the cache,
the files and the processes are touched by one thread. Events of one pass are gathered
first: a network whose ports changed has its hosts file written once and dnsmasq sent one
SIGHUP. A port event never asks the server anything; subnet and network events fetch that
one network. Any failure sets ``needs_resync``: everything is fetched again after
``resync_interval``. Every ``process_check_interval`` a dead dnsmasq is started again.
"""

import logging
import os
import queue
import shutil
import threading
import time

from netmgr.agent.dhcp import cache as dhcp_cache
from netmgr.agent.dhcp import device as dhcp_device
from netmgr.agent.linux import dnsmasq
from netmgr.agent.linux import ip_lib
from netmgr.agent.linux import process
from netmgr import constants as const
from netmgr import context as nm_context
from netmgr import devnames

LOG = logging.getLogger(__name__)

NETWORK_EVENTS = ('network_create_end', 'network_update_end')
SUBNET_EVENTS = ('subnet_create_end', 'subnet_update_end', 'subnet_delete_end')
PORT_EVENTS = ('port_create_end', 'port_update_end')


class DhcpAgent:
    def __init__(self, host, plugin_rpc, interface_driver, executor, state_path,
                 dnsmasq_options=None, resync_interval=5.0, process_check_interval=5.0):
        self.host = host
        self.plugin_rpc = plugin_rpc
        self.executor = executor
        self.context = nm_context.admin_context()
        self.devices = dhcp_device.DeviceManager(host, plugin_rpc, self.context,
                                                 interface_driver)
        self.dhcp_dir = os.path.join(state_path, 'dhcp')
        self.dnsmasq_options = dict(dnsmasq_options or {})
        self.resync_interval = resync_interval
        self.process_check_interval = process_check_interval
        self.cache = dhcp_cache.NetworkCache()
        self.monitor = process.ProcessMonitor()
        self.interfaces = {}        # network id -> DHCP device name
        self.dhcp_ports = {}        # network id -> DHCP port id
        self.needs_resync = True
        self.first_sync = True
        self.counts = self.cache.counts()
        self._events = queue.Queue()
        self._stop = threading.Event()
        self._next_resync = 0.0
        self._next_check = 0.0

    # ---- inputs (any thread) -------------------------------------------------------------

    def notify(self, event, payload):
        self._events.put((event, payload))

    def stop(self):
        self._stop.set()
        self._events.put(None)

    # ---- the loop ------------------------------------------------------------------------

    def run(self):
        while not self._stop.is_set():
            self.run_once(wait=self._wait_time())

    def _wait_time(self):
        now = time.monotonic()
        wake = self._next_check
        if self.needs_resync:
            wake = min(wake, self._next_resync)
        return max(0.0, wake - now)

    def run_once(self, wait=0.0):
        """One pass: a resync when due, the queued events, the process check when due."""
        if self.needs_resync and time.monotonic() >= self._next_resync:
            self.sync_state()
        events = self._drain(wait)
        if events:
            self.apply_events(events)
        if time.monotonic() >= self._next_check:
            self._next_check = time.monotonic() + self.process_check_interval
            self.monitor.check()
        self.counts = self.cache.counts()

    def _drain(self, wait):
        events = []
        try:
            first = self._events.get(timeout=wait) if wait > 0 else self._events.get_nowait()
        except queue.Empty:
            return events
        events.append(first)
        while True:
            try:
                events.append(self._events.get_nowait())
            except queue.Empty:
                break
        return [e for e in events if e is not None]

    def _failed(self, what, exc):
        LOG.error('%s failed: %s; resynchronising in %.1fs', what, exc,
                  self.resync_interval)
        self.needs_resync = True
        self._next_resync = time.monotonic() + self.resync_interval

    # ---- full synchronisation ------------------------------------------------------------

    def sync_state(self):
        """Fetch every served network and make the host match: configure each, remove what
        is not served any more (also what a previous run of the agent left)."""
        self.needs_resync = False
        try:
            infos = self.plugin_rpc.get_active_networks_info(self.context)
        except Exception as exc:
            self._failed('fetching active networks', exc)
            return
        active = {info['id'] for info in infos}
        for network_id in self.cache.ids() - active:
            self._safely('disabling network %s' % network_id, self.disable_network,
                         network_id)
        if self.first_sync:
            self._safely('removing stale networks', self.remove_stale, active)
        for info in infos:
            self._safely('configuring network %s' % info['id'], self.configure, info)
        self.first_sync = self.first_sync and self.needs_resync
        LOG.info('synchronised %d network(s)', len(self.cache))

    def _safely(self, what, fn, *args):
        try:
            fn(*args)
        except Exception as exc:
            self._failed(what, exc)

    def remove_stale(self, active):
        """After a start: networks with files or a namespace of ours that are not served."""
        recorded = set(os.listdir(self.dhcp_dir)) if os.path.isdir(self.dhcp_dir) else set()
        namespaced = {devnames.network_of_dhcp_namespace(ns)
                      for ns in ip_lib.list_namespaces()}
        namespaced.discard(None)
        for network_id in sorted((recorded | namespaced) - active):
            if network_id in recorded or self.devices.owns_namespace(
                    devnames.dhcp_namespace(network_id)):
                LOG.info('removing stale DHCP of network %s', network_id)
                self.disable_network(network_id)

    # ---- one network ---------------------------------------------------------------------

    def dnsmasq_for(self, network_id):
        opts = self.dnsmasq_options
        log_file = None
        if opts.get('log_dir'):
            log_file = os.path.join(opts['log_dir'], '%s.log' % network_id)
        return dnsmasq.Dnsmasq(self.executor, network_id,
                               os.path.join(self.dhcp_dir, network_id),
                               devnames.dhcp_namespace(network_id),
                               binary=opts.get('binary', 'dnsmasq'),
                               lease_duration=opts.get('lease_duration', 86400),
                               domain=opts.get('domain'),
                               dns_servers=opts.get('dns_servers', ()),
                               log_file=log_file, user=opts.get('user'))

    def configure(self, info):
        """Serve ``info`` (a network info): its port, files and dnsmasq; or stop serving it
        when it has no DHCP-enabled subnet or is administratively down."""
        model = self.cache.put(info)
        if not model.served():
            self.drop_network(model.id)
            return
        port, name = self.devices.setup(model)
        if port is None:
            self.drop_network(model.id)
            return
        self.cache.put_port(port)
        self.interfaces[model.id] = name
        self.dhcp_ports[model.id] = port['id']
        self.enable_dnsmasq(model.id)

    def enable_dnsmasq(self, network_id):
        model = self.cache.get(network_id)
        server = self.dnsmasq_for(network_id)
        server.write(model.ports.values(), model.subnets.values(), model.network.get('mtu'))
        how = server.enable(self.interfaces[network_id], model.subnets.values())
        self.monitor.register(network_id, server.process,
                              lambda: self.enable_dnsmasq(network_id))
        LOG.info('dnsmasq of network %s %s', network_id, how)

    def refresh_network(self, network_id):
        info = self.plugin_rpc.get_network_info(self.context, network_id)
        if info is None:
            self.disable_network(network_id, release=False)
        else:
            self.configure(info)

    def drop_network(self, network_id):
        """Stop serving a network; one never set up here is only forgotten."""
        if (network_id in self.interfaces or
                ip_lib.namespace_exists(devnames.dhcp_namespace(network_id)) or
                os.path.isdir(os.path.join(self.dhcp_dir, network_id))):
            self.disable_network(network_id)
        else:
            self.cache.remove(network_id)

    def disable_network(self, network_id, release=True):
        """No dnsmasq, namespace, OVS port, files or (``release``) server port left."""
        self.monitor.unregister(network_id)
        self.dnsmasq_for(network_id).disable(remove_files=False)
        self.devices.destroy(network_id, release=release)
        shutil.rmtree(os.path.join(self.dhcp_dir, network_id), ignore_errors=True)
        self.cache.remove(network_id)
        self.interfaces.pop(network_id, None)
        self.dhcp_ports.pop(network_id, None)

    # ---- notifications -------------------------------------------------------------------

    def apply_events(self, events):
        hosts_dirty = {}        # network id -> [(ip, mac) leases to release]
        refresh = set()
        for event, payload in events:
            try:
                self._apply(event, payload, hosts_dirty, refresh)
            except Exception as exc:
                self._failed('handling %s' % event, exc)
        for network_id in sorted(refresh):
            hosts_dirty.pop(network_id, None)
            self._safely('refreshing network %s' % network_id, self.refresh_network,
                         network_id)
        for network_id, released in sorted(hosts_dirty.items()):
            self._safely('updating hosts of network %s' % network_id, self.update_hosts,
                         network_id, released)

    def _apply(self, event, payload, hosts_dirty, refresh):
        if event in NETWORK_EVENTS:
            refresh.add(payload['network']['id'])
        elif event == 'network_delete_end':
            refresh.discard(payload['network_id'])
            hosts_dirty.pop(payload['network_id'], None)
            if payload['network_id'] in self.cache.ids() or ip_lib.namespace_exists(
                    devnames.dhcp_namespace(payload['network_id'])):
                self.disable_network(payload['network_id'], release=False)
        elif event in SUBNET_EVENTS:
            refresh.add(payload['subnet']['network_id'] if 'subnet' in payload
                        else payload['network_id'])
        elif event in PORT_EVENTS:
            self._port_changed(payload['port'], hosts_dirty, refresh)
        elif event == 'port_delete_end':
            self._port_removed(payload['network_id'], payload['port_id'], hosts_dirty,
                               refresh)
        else:
            LOG.debug('ignoring %s', event)

    def _port_changed(self, port, hosts_dirty, refresh):
        model, previous = self.cache.put_port(port)
        if model is None:
            return
        if any(ip['subnet_id'] not in model.subnets for ip in port.get('fixed_ips') or ()):
            refresh.add(model.id)         # a subnet this agent has not heard of yet
        elif previous is None or (dhcp_cache.host_entries(previous) !=
                                  dhcp_cache.host_entries(port)):
            released = hosts_dirty.setdefault(model.id, [])
            if previous is not None:
                released.extend(_gone_leases(previous, port))
            if port['id'] == self.dhcp_ports.get(model.id):
                refresh.add(model.id)     # the DHCP port's own addresses changed

    def _port_removed(self, network_id, port_id, hosts_dirty, refresh):
        model, previous = self.cache.remove_port(network_id, port_id)
        if model is None or previous is None:
            return
        if port_id == self.dhcp_ports.get(network_id):
            refresh.add(network_id)
            return
        hosts_dirty.setdefault(network_id, []).extend(_gone_leases(previous, None))

    def update_hosts(self, network_id, released=()):
        """Rewrite the network's hosts file from the cache; SIGHUP when it changed."""
        model = self.cache.get(network_id)
        if model is None or network_id not in self.interfaces:
            return
        server = self.dnsmasq_for(network_id)
        if server.write_hosts(model.ports.values(), model.subnets.values()):
            if not server.process.reload():
                self.enable_dnsmasq(network_id)
        for ip_address, mac in released:
            server.release_lease(self.interfaces[network_id], ip_address, mac)

    # ---- state -------------------------------------------------------------------------------

    def state(self, start_flag=False):
        state = {'binary': 'netmgr-dhcp-agent', 'host': self.host,
                 'topic': const.TOPIC_DHCP_AGENT, 'agent_type': const.AGENT_TYPE_DHCP,
                 'configurations': dict(self.counts, dhcp_driver='dnsmasq',
                                        dhcp_lease_duration=self.dnsmasq_options.get(
                                            'lease_duration', 86400))}
        if start_flag:
            state['start_flag'] = True
        return state


def _gone_leases(old, new):
    """(ip, mac) of ``old`` that ``new`` (None: deleted) no longer has."""
    kept = set()
    if new is not None:
        kept = {(ip['ip_address'], new['mac_address']) for ip in new.get('fixed_ips') or ()}
    return [(ip['ip_address'], old['mac_address']) for ip in old.get('fixed_ips') or ()
            if (ip['ip_address'], old['mac_address']) not in kept]
