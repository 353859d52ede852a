"""L3 agents -> server: the routers an agent must set up on its host and the status of the
floating IPs it configured. Paired with netmgr.services.rpc.l3.L3RpcEndpoint.

Version history:
    1.0 - sync_routers, update_floatingip_statuses
"""

from netmgr import constants as const
from netmgr.rpc import transport as rpc_transport

VERSION = '1.0'


class L3PluginApi:
    def __init__(self, transport, timeout=None):
        self.client = rpc_transport.get_client(transport, const.TOPIC_L3_PLUGIN, VERSION,
                                               timeout=timeout)

    def sync_routers(self, context, host, router_ids=None):
        """[router dict] of those routers (every router when ``router_ids`` is None); a
        router that no longer exists is simply not in the answer."""
        return self.client.prepare().call(
            context, 'sync_routers', host=host,
            router_ids=None if router_ids is None else list(router_ids))

    def update_floatingip_statuses(self, context, router_id, fip_statuses):
        """``fip_statuses``: {floating IP id: 'ACTIVE' | 'DOWN' | 'ERROR'}, every floating IP
        the agent has on that router (the router's others are set DOWN)."""
        return self.client.prepare().call(context, 'update_floatingip_statuses',
                                          router_id=router_id,
                                          fip_statuses=dict(fip_statuses))
