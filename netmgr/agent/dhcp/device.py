"""The DHCP port of a network on this host: asked of the server, plugged into the
integration bridge from the network's ``qdhcp-`` namespace, given its addresses.

The device id (``dhcp<uuid5 of the host>-<network id>``) is stable per host and network, so
a restarted agent gets the same port back instead of a second one.
"""

import ipaddress
import logging
import uuid

from netmgr.agent.linux import ip_lib
from netmgr import devnames

LOG = logging.getLogger(__name__)


def device_id(host, network_id):
    return 'dhcp%s-%s' % (uuid.uuid5(uuid.NAMESPACE_DNS, host), network_id)


def port_cidrs(port, subnets):
    """'ip/prefixlen' of the port's addresses on the given subnets (by id)."""
    cidrs = []
    for fixed in port.get('fixed_ips') or ():
        subnet = subnets.get(fixed['subnet_id'])
        if subnet is not None:
            prefix = ipaddress.ip_network(subnet['cidr']).prefixlen
            cidrs.append('%s/%d' % (fixed['ip_address'], prefix))
    return cidrs


class DeviceManager:
    def __init__(self, host, plugin_rpc, context, driver):
        self.host = host
        self.plugin_rpc = plugin_rpc
        self.context = context
        self.driver = driver

    def device_id(self, network_id):
        return device_id(self.host, network_id)

    def setup(self, model):
        """Make the network's DHCP port ready: (port, device name), or (None, None) when
        the server has no DHCP-enabled subnet for it any more."""
        port = self.plugin_rpc.get_dhcp_port(self.context, model.id, self.device_id(model.id))
        if port is None:
            return None, None
        name = devnames.tap_name(port['id'])
        ns = devnames.dhcp_namespace(model.id)
        self.driver.plug(model.id, port['id'], name, port['mac_address'], ns,
                         mtu=model.network.get('mtu'))
        self.driver.init_l3(name, port_cidrs(port, model.subnets), ns)
        return port, name

    def destroy(self, network_id, release=True):
        """Unplug every device of the namespace, remove it, and give the port back."""
        ns = devnames.dhcp_namespace(network_id)
        self.unplug_namespace(ns)
        if release:
            self.plugin_rpc.release_dhcp_port(self.context, network_id,
                                              self.device_id(network_id))

    def unplug_namespace(self, ns):
        if ip_lib.namespace_exists(ns):
            for link in ip_lib.list_links(ns):
                if link['kind'] == 'veth':
                    self.driver.unplug(link['name'], ns)
            ip_lib.delete_namespace(ns)

    def owns_namespace(self, ns):
        """A namespace is this agent's when one of its veths has its peer on our bridge."""
        if not ip_lib.namespace_exists(ns):
            return False
        ours = set(self.driver.ovsdb.bridge(self.driver.integration_bridge).port_names())
        return any(devnames.peer_name(link['name']) in ours
                   for link in ip_lib.list_links(ns) if link['kind'] == 'veth')
