"""Server notifications to the L3 agent become its router inputs."""

from netmgr.agent.l3 import notify_endpoint
from netmgr.rpc import l3_notify_api


class RecordingAgent:
    def __init__(self):
        self.calls = []

    def routers_updated(self, router_ids):
        self.calls.append(('updated', router_ids))

    def router_deleted(self, router_id):
        self.calls.append(('deleted', router_id))


def test_router_notifications_reach_the_agent():
    agent = RecordingAgent()
    endpoint = notify_endpoint.L3NotifyEndpoint(agent)
    endpoint.routers_updated('ctx', ['r1', 'r2'], operation='update')
    endpoint.routers_updated('ctx', None)
    endpoint.router_deleted('ctx', 'r3')
    assert agent.calls == [('updated', ['r1', 'r2']), ('updated', []), ('deleted', 'r3')]
    assert endpoint.target.version == l3_notify_api.VERSION
