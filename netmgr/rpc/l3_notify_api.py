"""Server -> L3 agents (fanout): which routers changed, after commit. Agents fetch those
routers with the L3 plugin API's sync_routers. Paired with the L3 agent's notification
endpoint.

Version history:
    1.0 - routers_updated, router_deleted
"""

from netmgr import constants as const
from netmgr.rpc import transport as rpc_transport

VERSION = '1.0'


class L3AgentNotifyAPI:
    def __init__(self, transport, topic=const.TOPIC_L3_AGENT):
        self.client = rpc_transport.get_client(transport, topic, VERSION, fanout=True)

    def routers_updated(self, context, router_ids):
        self.client.prepare(fanout=True).cast(context, 'routers_updated',
                                              router_ids=list(router_ids))

    def router_deleted(self, context, router_id):
        self.client.prepare(fanout=True).cast(context, 'router_deleted', router_id=router_id)
