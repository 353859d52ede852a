"""Server -> L3 agent notifications (fanout on TOPIC_L3_AGENT), handed to the agent's queue."""

import oslo_messaging

from netmgr.rpc import l3_notify_api


class L3NotifyEndpoint:
    target = oslo_messaging.Target(version=l3_notify_api.VERSION)

    def __init__(self, agent):
        self.agent = agent

    def routers_updated(self, context, router_ids, **kwargs):
        self.agent.routers_updated(router_ids or [])

    def router_deleted(self, context, router_id, **kwargs):
        self.agent.router_deleted(router_id)
