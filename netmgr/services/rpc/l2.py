"""The server's side of the L2 agents' RPC (TOPIC_PLUGIN): their devices' details and status,
tunnel endpoints, FDB entries of tunnel networks and security group rules. Paired with
netmgr.rpc.plugin_api (see it for the version history); handlers take and return
primitives."""

import oslo_messaging

from netmgr.rpc import plugin_api


class PluginEndpoint:
    target = oslo_messaging.Target(version=plugin_api.VERSION)

    def __init__(self, devices, tunnels=None, security_groups=None, l2pop=None):
        self.devices = devices
        self.tunnels = tunnels
        self.security_groups = security_groups
        self.l2pop = l2pop

    def get_device_details(self, context, device, agent_id=None, host=None):
        return self.devices.details([device], host)[0]

    def get_devices_details_list(self, context, devices, agent_id=None, host=None):
        return self.devices.details(devices, host)

    def update_device_up(self, context, device, agent_id=None, host=None):
        self.devices.report([device], [], host)

    def update_device_down(self, context, device, agent_id=None, host=None):
        done = self.devices.report([], [device], host)['devices_down']
        return {'device': device, 'exists': bool(done)}

    def update_device_list(self, context, devices_up, devices_down, agent_id=None,
                           host=None):
        return self.devices.report(devices_up, devices_down, host)

    def get_ports_on_host(self, context, host):
        return self.devices.ports_on_host(host)

    def tunnel_sync(self, context, tunnel_ip, tunnel_type, host=None):
        return {'tunnels': self.tunnels.sync(tunnel_ip, tunnel_type, host)}

    def get_fdb_entries(self, context, network_ids, host=None):
        return self.l2pop.fdb_entries(network_ids, host)

    def security_group_info(self, context, security_group_ids):
        return self.security_groups.info(security_group_ids)
