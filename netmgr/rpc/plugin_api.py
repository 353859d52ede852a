"""Agents -> server: what an L2 agent asks about the devices (ports) it finds on its host and
what it reports back. Paired with netmgr.services.rpc.l2.PluginEndpoint.

Version history:
    1.0 - get_device_details, get_devices_details_list, update_device_up,
          update_device_down
    1.1 - update_device_list (batched up/down), get_ports_on_host
    1.2 - tunnel_sync
    1.3 - security_group_info
    1.4 - get_fdb_entries (L2 population of tunnel networks)
"""

from netmgr import constants as const
from netmgr.rpc import transport as rpc_transport

VERSION = '1.4'
BASE_VERSION = '1.0'      # calls carry the version that introduced them


class PluginApi:
    def __init__(self, transport, timeout=None):
        self.client = rpc_transport.get_client(transport, const.TOPIC_PLUGIN, BASE_VERSION,
                                               timeout=timeout)

    def get_device_details(self, context, device, agent_id, host):
        return self.client.prepare().call(context, 'get_device_details', device=device,
                                          agent_id=agent_id, host=host)

    def get_devices_details_list(self, context, devices, agent_id, host):
        return self.client.prepare().call(context, 'get_devices_details_list',
                                          devices=list(devices), agent_id=agent_id, host=host)

    def update_device_up(self, context, device, agent_id, host):
        return self.client.prepare().call(context, 'update_device_up', device=device,
                                          agent_id=agent_id, host=host)

    def update_device_down(self, context, device, agent_id, host):
        return self.client.prepare().call(context, 'update_device_down', device=device,
                                          agent_id=agent_id, host=host)

    def update_device_list(self, context, devices_up, devices_down, agent_id, host):
        return self.client.prepare(version='1.1').call(
            context, 'update_device_list', devices_up=list(devices_up),
            devices_down=list(devices_down), agent_id=agent_id, host=host)

    def get_ports_on_host(self, context, host):
        return self.client.prepare(version='1.1').call(context, 'get_ports_on_host',
                                                       host=host)

    def tunnel_sync(self, context, tunnel_ip, tunnel_type, host):
        """{'tunnels': [{'ip_address', 'host'}]}: every host's endpoint, this one's included."""
        return self.client.prepare(version='1.2').call(context, 'tunnel_sync',
                                                       tunnel_ip=tunnel_ip,
                                                       tunnel_type=tunnel_type, host=host)

    def security_group_info(self, context, security_group_ids):
        """Rules of the groups and the member addresses of their remote groups."""
        return self.client.prepare(version='1.3').call(
            context, 'security_group_info', security_group_ids=list(security_group_ids))

    def get_fdb_entries(self, context, network_ids, host):
        """The FDB entries of these networks on every host but ``host``, in the format of
        add_fdb_entries (netmgr.services.l2pop); networks without ports elsewhere are absent."""
        return self.client.prepare(version='1.4').call(
            context, 'get_fdb_entries', network_ids=list(network_ids), host=host)
