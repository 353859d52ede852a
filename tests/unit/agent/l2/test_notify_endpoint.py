"""Server notifications to an L2 agent become calls of the agent's inputs."""

from netmgr.agent.l2.linuxbridge import agent as lb_agent
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

    def fdb_added(self, fdb_entries):
        self.calls.append(('fdb_added', fdb_entries))

    def fdb_removed(self, fdb_entries):
        self.calls.append(('fdb_removed', fdb_entries))

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
    entries = {'n3': {'segment_id': 7, 'network_type': 'gre',
                      'ports': {'192.0.2.2': [['00:00:00:00:00:00', '0.0.0.0']]}}}
    endpoint.add_fdb_entries(context, entries)
    endpoint.remove_fdb_entries(context, fdb_entries=entries)
    assert agent.calls == [('port_updated', 'p1'), ('port_deleted', 'p2'),
                           ('network_deleted', 'n2'), ('tunnel_added', '192.0.2.2', 'vxlan', 'h2'),
                           ('security_groups_changed', ['sg1']),
                           ('security_groups_changed', ['sg2']),
                           ('fdb_added', entries), ('fdb_removed', entries)]
    assert endpoint.target.version == agent_notify_api.VERSION


def test_a_tunnel_endpoint_reaches_the_agent_normalised_or_not_at_all():
    agent = RecordingAgent()
    endpoint = notify_endpoint.L2NotifyEndpoint(agent)
    context = nm_context.admin_context()
    endpoint.tunnel_update(context, 'bogus', 'vxlan', host='h5')
    endpoint.tunnel_update(context, '2001:DB8:0::2', 'vxlan', host='h6')
    assert agent.calls == [('tunnel_added', '2001:db8::2', 'vxlan', 'h6')]


def test_an_ovs_agent_without_tunnels_ignores_them_and_security_groups():
    agent = ovs_agent.OVSAgent('h1', None, {}, None)
    endpoint = notify_endpoint.L2NotifyEndpoint(agent)
    context = nm_context.admin_context()
    endpoint.tunnel_update(context, '192.0.2.2', 'vxlan', host='h2')
    endpoint.add_fdb_entries(context, {'n1': {}})
    endpoint.remove_fdb_entries(context, {'n1': {}})
    endpoint.security_groups_member_updated(context, ['sg1'])
    agent.rpc_revived()
    assert not agent.loop.woken


def test_the_linuxbridge_agent_ignores_fdb_entries():
    agent = lb_agent.LinuxBridgeAgent('h1', None, None)
    endpoint = notify_endpoint.L2NotifyEndpoint(agent)
    endpoint.add_fdb_entries(nm_context.admin_context(), {'n1': {}})
    endpoint.remove_fdb_entries(nm_context.admin_context(), {'n1': {}})
    assert not agent.loop.woken
