"""Plugging a namespace into the integration bridge: the device gateway agents (DHCP, L3) own.

A port of a ``qdhcp-``/``qrouter-`` namespace is a veth pair: ``device_name`` inside the
namespace carries the port's MAC and addresses; its peer sits in the host namespace on the
bridge with the Interface external_ids the L2 agent looks for (iface-id, attached-mac,
iface-status), so the L2 agent tags it and reports the port up exactly like an instance port.
"""

import ipaddress

from netmgr.agent.linux import ip_lib
from netmgr import devnames


def _is_link_local(cidr):
    return ipaddress.ip_interface(cidr).ip.is_link_local


class OVSInterfaceDriver:
    def __init__(self, executor, ovsdb, integration_bridge, datapath_type='system'):
        self.executor = executor
        self.ovsdb = ovsdb
        self.integration_bridge = integration_bridge
        self.datapath_type = datapath_type

    def plug(self, network_id, port_id, device_name, mac_address, namespace, bridge=None,
             mtu=None):
        """Make (or repair) the pair and its OVS port; idempotent."""
        outer_name = devnames.peer_name(device_name)
        ip_lib.create_namespace(namespace)
        inner = ip_lib.IPDevice(device_name, namespace)
        outer = ip_lib.IPDevice(outer_name)
        if not (inner.exists() and outer.exists()):
            # Half a pair (an interrupted plug) cannot be completed: start again.
            inner.delete(if_exists=True)
            outer.delete(if_exists=True)
            ip_lib.add_veth(outer_name, device_name, peer_namespace=namespace)
        if inner.link()['address'] != mac_address.lower():
            inner.set_address(mac_address)
        if mtu:
            for device in (outer, inner):
                device.set_mtu(mtu)
        if self.datapath_type == 'netdev':
            for device in (outer, inner):
                device.disable_tx_checksum(self.executor)
        self.ovsdb.bridge(bridge or self.integration_bridge).add_port(
            outer_name, external_ids={'iface-id': port_id, 'attached-mac': mac_address,
                                      'iface-status': 'active'})
        outer.set_up()
        inner.set_up()
        return inner

    def unplug(self, device_name, namespace, bridge=None):
        """Remove the OVS port and both ends; nothing there is fine."""
        outer_name = devnames.peer_name(device_name)
        if bridge:
            self.ovsdb.bridge(bridge).delete_port(outer_name)
        else:
            self.ovsdb.run([self.ovsdb.api.del_port(outer_name, if_exists=True)])
        ip_lib.IPDevice(outer_name).delete(if_exists=True)
        if namespace and ip_lib.namespace_exists(namespace):
            ip_lib.IPDevice(device_name, namespace).delete(if_exists=True)

    def init_l3(self, device_name, cidrs, namespace):
        """Give the device exactly ``cidrs`` (IPv6 link-local ones are the kernel's and
        stay), then bring it up."""
        device = ip_lib.IPDevice(device_name, namespace)
        wanted = {str(ipaddress.ip_interface(cidr)) for cidr in cidrs}
        present = set()
        for cidr in device.list_addresses():
            normal = str(ipaddress.ip_interface(cidr))
            present.add(normal)
            if normal not in wanted and not _is_link_local(normal):
                device.delete_address(cidr)
        for cidr in sorted(wanted - present):
            device.add_address(cidr)
        device.set_up()
        return device
