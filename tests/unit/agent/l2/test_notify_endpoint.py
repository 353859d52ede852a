"""Server notifications to an L2 agent become calls of the agent's inputs."""

from netmgr.agent.l2 import notify_endpoint
from netmgr.agent.l2.ovs import agent as ovs_agent
from netmgr import context as nm_context
from netmgr.rpc import agent_notify_api


class RecordingAgent:
    def __init__(self):
        self.calls = []

    def port_updated(self, port_id):
        self.calls.append(('port_updated', port_id))

    def port_deleted(self, port_id):
        self.calls.append(('port_deleted', port_id))

    def network_deleted(self, network_id):
        self.calls.append(('network_deleted', network_id))

    def tunnel_added(self, tunnel_ip, tunnel_type, host=None):
        self.calls.append(('tunnel_added', tunnel_ip, tunnel_type, host))

    def security_groups_changed(self, group_ids):
        self.calls.append(('security_groups_changed', group_ids))


def test_each_notification_reaches_the_agent():
    agent = RecordingAgent()
    endpoint = notify_endpoint.L2NotifyEndpoint(agent)
    context = nm_context.admin_context()
    endpoint.port_update(context, {'id': 'p1'}, network_type='vxlan', segmentation_id=301,
                         physical_network=None, future='ignored')
    endpoint.port_delete(context, 'p2')
    endpoint.network_update(context, {'id': 'n1', 'admin_state_up': False})
    endpoint.network_delete(context, 'n2')
    endpoint.tunnel_update(context, '192.0.2.2', 'vxlan', host='h2')
    endpoint.security_groups_rule_updated(context, ['sg1'])
    endpoint.security_groups_member_updated(context, ['sg2'])
    assert agent.calls == [('port_updated', 'p1'), ('port_deleted', 'p2'),
                           ('network_deleted', 'n2'), ('tunnel_added', '192.0.2.2', 'vxlan', 'h2'),
                           ('security_groups_changed', ['sg1']),
                           ('security_groups_changed', ['sg2'])]
    assert endpoint.target.version == agent_notify_api.VERSION


def test_the_ovs_agent_ignores_tunnels_and_security_groups():
    agent = ovs_agent.OVSAgent('h1', None, {}, None)
    endpoint = notify_endpoint.L2NotifyEndpoint(agent)
    context = nm_context.admin_context()
    endpoint.tunnel_update(context, '192.0.2.2', 'vxlan', host='h2')
    endpoint.security_groups_member_updated(context, ['sg1'])
    assert not agent.loop.woken
