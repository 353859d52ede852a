"""The server's side of the L2 agents' RPC (TOPIC_PLUGIN): their devices' details and status,
tunnel endpoints and security group rules. Paired with netmgr.rpc.plugin_api (see it for the
version history); handlers take and return primitives."""

import oslo_messaging

from netmgr import constants as const
from netmgr.rpc import plugin_api


class PluginEndpoint:
    target = oslo_messaging.Target(version=plugin_api.VERSION)

    def __init__(self, devices, tunnels=None, security_groups=None):
        self.devices = devices
        self.tunnels = tunnels
        self.security_groups = security_groups

    def get_device_details(self, context, device, agent_id=None, host=None):
        return self.devices.details([device], host)[0]

    def get_devices_details_list(self, context, devices, agent_id=None, host=None):
        return self.devices.details(devices, host)

    def update_device_up(self, context, device, agent_id=None, host=None):
        self.devices.set_status([device], host, const.PORT_STATUS_ACTIVE)

    def update_device_down(self, context, device, agent_id=None, host=None):
        done, _failed = self.devices.set_status([device], host, const.PORT_STATUS_DOWN)
        return {'device': device, 'exists': bool(done)}

    def update_device_list(self, context, devices_up, devices_down, agent_id=None,
                           host=None):
        up, failed_up = self.devices.set_status(devices_up, host, const.PORT_STATUS_ACTIVE)
        down, failed_down = self.devices.set_status(devices_down, host,
                                                    const.PORT_STATUS_DOWN)
        return {'devices_up': up, 'failed_devices_up': failed_up,
                'devices_down': down, 'failed_devices_down': failed_down}

    def get_ports_on_host(self, context, host):
        return self.devices.ports_on_host(host)

    def tunnel_sync(self, context, tunnel_ip, tunnel_type, host=None):
        return {'tunnels': self.tunnels.sync(tunnel_ip, tunnel_type, host)}

    def security_group_info(self, context, security_group_ids):
        return self.security_groups.info(security_group_ids)
