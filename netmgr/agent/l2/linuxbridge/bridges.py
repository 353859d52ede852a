"""The kernel side of the Linux bridge agent: one bridge ``brq<network-id[:11]>`` per network
with instance taps, joined to the network's segment: the physical interface itself (flat),
a ``vxlan-<vni>`` device flooding to the other hosts (vxlan), or nothing (local).

A bridge without taps is removed with its VXLAN device; a physical interface is only
released. Everything here is idempotent, so a restarted agent re-applies it without cutting
traffic.
"""

import logging

from netmgr.agent.linux import bridge_lib
from netmgr.agent.linux import ip_lib
from netmgr import constants as const
from netmgr import devnames
from netmgr import exceptions

LOG = logging.getLogger(__name__)


class UnsupportedSegment(exceptions.AgentError):
    message = 'network %(network_id)s: %(reason)s'


class BridgeManager:
    """Bridges of one host (``namespace`` None: the agent's own)."""

    def __init__(self, interface_mappings, local_ip=None, remote_ips=(), vxlan_port=4789,
                 namespace=None):
        self.interface_mappings = dict(interface_mappings)
        self.local_ip = local_ip
        self.static_remote_ips = list(remote_ips)      # [VXLAN] remote_ips
        self.remote_ips = list(remote_ips)             # those plus the announced ones
        self.vxlan_port = vxlan_port
        self.namespace = namespace

    # ---- what the host has -----------------------------------------------------------------

    def monitor(self, callback):
        """A started monitor calling ``callback(device name)`` on link events (``stop()``)."""
        monitor = ip_lib.LinkMonitor(callback, self.namespace)
        monitor.start()
        return monitor

    def taps(self):
        """Names of the instance taps present now."""
        return {name for name in ip_lib.list_devices(self.namespace)
                if devnames.is_tap(name)}

    def network_bridges(self):
        """{bridge name: [member names]} of the brq bridges present now."""
        return {link['name']: self._bridge(link['name']).interfaces()
                for link in ip_lib.list_links(self.namespace)
                if link['kind'] == 'bridge' and link['name'].startswith(devnames.NETWORK_BRIDGE)}

    # ---- wiring ------------------------------------------------------------------------------

    def check_segment(self, network_id, segment):
        """Raise UnsupportedSegment if this host cannot carry ``segment``."""
        network_type = segment.get('network_type')
        if network_type == const.TYPE_FLAT:
            if segment.get('physical_network') not in self.interface_mappings:
                raise UnsupportedSegment(
                    network_id=network_id,
                    reason='physical network %s has no interface on this host'
                           % segment.get('physical_network'))
        elif network_type == const.TYPE_VXLAN:
            if not self.local_ip:
                raise UnsupportedSegment(network_id=network_id,
                                         reason='vxlan needs [VXLAN] local_ip')
        elif network_type != const.TYPE_LOCAL:
            raise UnsupportedSegment(network_id=network_id,
                                     reason='network type %s is not supported by this agent'
                                            % network_type)

    def plug(self, tap, network_id, segment):
        """The network's bridge and segment device, with ``tap`` enslaved and up."""
        self.check_segment(network_id, segment)
        if segment['network_type'] == const.TYPE_FLAT:
            interface = self.interface_mappings[segment['physical_network']]
            if not ip_lib.device_exists(interface, self.namespace):
                raise UnsupportedSegment(network_id=network_id,
                                         reason='interface %s is missing' % interface)
        bridge = self._bridge(devnames.network_bridge_name(network_id)).create()
        uplink = self._uplink(segment)
        if uplink is not None:
            bridge.add_interface(uplink)
            ip_lib.IPDevice(uplink, self.namespace).set_up()
        bridge.add_interface(tap)
        ip_lib.IPDevice(tap, self.namespace).set_up()

    def unplug(self, tap, network_id):
        """Release ``tap`` (still present) from the network's bridge."""
        self._bridge(devnames.network_bridge_name(network_id)).delete_interface(tap)

    def remove_if_unused(self, bridge):
        """Remove ``bridge`` and its VXLAN device when no tap is on it; True if removed."""
        bridge = self._bridge(bridge)
        members = bridge.interfaces()
        if any(devnames.is_tap(m) for m in members):
            return False
        bridge.delete()
        for member in members:
            if member.startswith(devnames.VXLAN):
                ip_lib.IPDevice(member, self.namespace).delete(if_exists=True)
        LOG.info('removed bridge %s (no instance left on it)', bridge.name)
        return True

    def _uplink(self, segment):
        if segment['network_type'] == const.TYPE_FLAT:
            return self.interface_mappings[segment['physical_network']]
        if segment['network_type'] == const.TYPE_VXLAN:
            name = devnames.vxlan_name(segment['segmentation_id'])
            bridge_lib.add_vxlan(name, segment['segmentation_id'], self.local_ip,
                                 port=self.vxlan_port, namespace=self.namespace)
            self._flood(name)
            return name
        return None

    def set_remote_ips(self, remote_ips):
        """Flood to ``remote_ips`` (and the configured ones) from now on, on the VXLAN
        devices present too."""
        self.remote_ips = sorted((set(self.static_remote_ips) | set(remote_ips)) -
                                 {self.local_ip})
        for link in ip_lib.list_links(self.namespace):
            if link['kind'] == bridge_lib.VXLAN_KIND and link['name'].startswith(devnames.VXLAN):
                self._flood(link['name'])

    def _flood(self, vxlan_device):
        """One flood entry per remote IP on ``vxlan_device``, none for others."""
        present = set(bridge_lib.flood_entries(vxlan_device, self.namespace))
        for remote in set(self.remote_ips) - present:
            bridge_lib.add_flood_entry(vxlan_device, remote, self.namespace)
        for remote in present - set(self.remote_ips):     # a remote went away
            bridge_lib.delete_flood_entry(vxlan_device, remote, self.namespace)

    def _bridge(self, name):
        return bridge_lib.LinuxBridge(name, self.namespace)
