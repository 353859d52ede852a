"""DHCP agents -> server: the networks an agent serves and the DHCP port it holds on each.
Paired with netmgr.services.rpc.dhcp.DhcpRpcEndpoint.

A network info is the network dict with ``subnets`` (subnet dicts) and ``ports`` (port dicts)
in place of its subnet ids.

Version history:
    1.0 - get_active_networks_info, get_network_info, get_dhcp_port, release_dhcp_port
"""

from netmgr import constants as const
from netmgr.rpc import transport as rpc_transport

VERSION = '1.0'


class DhcpPluginApi:
    def __init__(self, transport, host, timeout=None):
        self.host = host
        self.client = rpc_transport.get_client(transport, const.TOPIC_DHCP_PLUGIN, VERSION,
                                               timeout=timeout)

    def get_active_networks_info(self, context):
        """Network infos of every network with a DHCP-enabled subnet."""
        return self.client.prepare().call(context, 'get_active_networks_info',
                                          host=self.host)

    def get_network_info(self, context, network_id):
        """The network info, or None when the network is gone."""
        return self.client.prepare().call(context, 'get_network_info', network_id=network_id,
                                          host=self.host)

    def get_dhcp_port(self, context, network_id, device_id):
        """The DHCP port ``device_id`` of this host on the network, made or brought to an
        address on each DHCP-enabled subnet; None when the network has none (or is gone)."""
        return self.client.prepare().call(context, 'get_dhcp_port', network_id=network_id,
                                          device_id=device_id, host=self.host)

    def release_dhcp_port(self, context, network_id, device_id):
        return self.client.prepare().call(context, 'release_dhcp_port',
                                          network_id=network_id, device_id=device_id,
                                          host=self.host)
