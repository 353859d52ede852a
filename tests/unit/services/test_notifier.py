"""Agents hear about changes after they commit, over their fanout topics: L2 agents about
ports and networks, DHCP agents about networks, subnets and ports, L3 agents about routers."""

import functools
import inspect
import threading

import oslo_messaging
import pytest

from netmgr import client as client_mod
from netmgr import constants as const
from netmgr import context as ctx
from netmgr.rpc import transport as rpc_transport
from netmgr.services import notifier
from netmgr import wiring
from tests.unit import conftest as unit_conftest

L2_MESSAGES = ('port_update', 'port_delete', 'network_update', 'network_delete')
DHCP_MESSAGES = tuple('%s_%s_end' % (kind, verb) for kind in ('network', 'subnet', 'port')
                      for verb in ('create', 'update', 'delete'))
L3_MESSAGES = ('routers_updated', 'router_deleted')
VLAN_OPTIONS = {'l2.network_vlan_ranges': ['physnet1:100:199'],
                'l2.tenant_network_types': ['vlan']}


class Recorder:
    target = oslo_messaging.Target(version='1.0')

    def __init__(self):
        self.seen = []
        self.event = threading.Condition()

    def record(self, name, **kwargs):
        with self.event:
            self.seen.append((name, kwargs))
            self.event.notify_all()

    def wait_for(self, count, timeout=10):
        with self.event:
            self.event.wait_for(lambda: len(self.seen) >= count, timeout)
        return list(self.seen)

    def names(self):
        return [name for name, _ in self.seen]


def recorder_for(messages):
    recorder = Recorder()
    for name in messages:
        setattr(recorder, name, lambda context, _n=name, **kw: recorder.record(_n, **kw))
    return recorder


@pytest.fixture
def wired(make_conf):
    conf = make_conf(transport_url='fake://', host='agent-host', **VLAN_OPTIONS)
    transport = rpc_transport.get_transport(conf)
    recorders = {const.TOPIC_L2_AGENT: recorder_for(L2_MESSAGES),
                 const.TOPIC_DHCP_AGENT: recorder_for(DHCP_MESSAGES),
                 const.TOPIC_L3_AGENT: recorder_for(L3_MESSAGES)}
    servers = [rpc_transport.get_server(transport, topic, 'agent-host', [recorder])
               for topic, recorder in recorders.items()]
    for server in servers:
        server.start()
    db = unit_conftest.new_schema_db()
    ops, services = wiring.build(
        conf, db, notifier_factory=functools.partial(notifier.AgentNotifier, transport))
    client = client_mod.Client(ops, ctx.admin_context(unit_conftest.ADMIN_TENANT), services)
    yield client, recorders
    for server in servers:
        server.stop()
        server.wait()
    transport.cleanup()
    db.dispose()


def test_port_and_network_changes_reach_l2_agents(wired):
    client, recorders = wired
    recorder = recorders[const.TOPIC_L2_AGENT]
    network = client.create_network(name='n1')
    client.create_subnet(network_id=network['id'], ip_version=4, cidr='10.0.0.0/24')
    port = client.create_port(network_id=network['id'])
    client.update_port(port['id'], admin_state_up=False)
    client.delete_port(port['id'])
    client.update_network(network['id'], name='n2')
    client.delete_network(network['id'])
    seen = recorder.wait_for(4)
    assert [name for name, _ in seen] == list(L2_MESSAGES)
    update = seen[0][1]
    assert update['port']['id'] == port['id'] and update['port']['admin_state_up'] is False
    assert update['network_type'] == 'vlan' and update['physical_network'] == 'physnet1'
    assert 100 <= update['segmentation_id'] <= 199
    assert seen[1][1] == {'port_id': port['id']}
    assert seen[2][1]['network']['name'] == 'n2'
    assert seen[3][1] == {'network_id': network['id']}


def test_dhcp_agents_hear_of_networks_subnets_and_ports(wired):
    client, recorders = wired
    recorder = recorders[const.TOPIC_DHCP_AGENT]
    network = client.create_network(name='n1')
    subnet = client.create_subnet(network_id=network['id'], ip_version=4,
                                  cidr='10.0.0.0/24')
    client.update_subnet(subnet['id'], name='s2')
    port = client.create_port(network_id=network['id'])
    client.update_port(port['id'], name='p2')
    client.delete_port(port['id'])
    client.delete_subnet(subnet['id'])
    client.update_network(network['id'], name='n2')
    client.delete_network(network['id'])
    seen = dict(recorder.wait_for(9))
    assert recorder.names() == ['network_create_end', 'subnet_create_end',
                                'subnet_update_end', 'port_create_end', 'port_update_end',
                                'port_delete_end', 'subnet_delete_end',
                                'network_update_end', 'network_delete_end']
    assert seen['network_create_end']['payload']['network']['id'] == network['id']
    assert seen['subnet_update_end']['payload']['subnet']['name'] == 's2'
    assert seen['port_create_end']['payload']['port']['mac_address'] == port['mac_address']
    assert seen['port_delete_end']['payload'] == {'port_id': port['id'],
                                                  'network_id': network['id']}
    assert seen['subnet_delete_end']['payload'] == {'subnet_id': subnet['id'],
                                                    'network_id': network['id']}
    assert seen['network_delete_end']['payload'] == {'network_id': network['id']}


def _external_and_internal(client):
    ext = client.create_network(name='ext', **{'router:external': True})
    client.create_subnet(network_id=ext['id'], ip_version=4, cidr='172.24.4.0/24')
    net = client.create_network(name='n1')
    subnet = client.create_subnet(network_id=net['id'], ip_version=4, cidr='10.0.0.0/24')
    return ext, net, subnet


def test_l3_agents_hear_of_every_router_change(wired):
    client, recorders = wired
    recorder = recorders[const.TOPIC_L3_AGENT]
    ext, net, subnet = _external_and_internal(client)
    router = client.create_router(name='r1', external_gateway_info={'network_id': ext['id']})
    client.add_router_interface(router['id'], subnet_id=subnet['id'])
    port = client.create_port(network_id=net['id'])
    fip = client.create_floatingip(floating_network_id=ext['id'], port_id=port['id'])
    client.update_floatingip(fip['id'], port_id=None)
    client.update_floatingip(fip['id'], port_id=port['id'])
    client.delete_port(port['id'])          # its floating IP goes with it
    client.delete_floatingip(fip['id'])     # now unassociated: no router to tell
    client.remove_router_interface(router['id'], subnet_id=subnet['id'])
    client.delete_router(router['id'])
    seen = recorder.wait_for(8)
    assert recorder.names() == ['routers_updated'] * 7 + ['router_deleted']
    assert all(kw == {'router_ids': [router['id']]} for _, kw in seen[:7])
    assert seen[7][1] == {'router_id': router['id']}


def test_a_failed_notification_does_not_fail_the_call(wired):
    client, _recorders = wired
    network = client.create_network(name='n1')
    port = client.create_port(network_id=network['id'])

    def broken(*args, **kwargs):
        raise oslo_messaging.MessagingTimeout('broker away')
    client.services.ports.notifier.l2.port_update = broken
    client.services.ports.notifier.dhcp.port_update_end = broken
    assert client.update_port(port['id'], name='still-works')['name'] == 'still-works'


def _public_methods(cls):
    return {name: inspect.signature(member) for name, member in inspect.getmembers(cls)
            if not name.startswith('_') and inspect.isfunction(member)}


def test_null_notifier_has_every_method_of_the_agent_notifier():
    """Services call their notifier unconditionally: the null one answers every call."""
    methods = _public_methods(notifier.AgentNotifier)
    assert methods
    assert _public_methods(notifier.NullNotifier) == methods


def test_without_rpc_nothing_is_sent(client):
    assert isinstance(client.services.ports.notifier, notifier.NullNotifier)
    assert not isinstance(client.services.ports.notifier, notifier.AgentNotifier)


def test_security_group_changes_reach_l2_agents(wired):
    """Rule changes name their group; a new port names the groups it joined (their members
    changed). Heard by an agent of notify API 1.2."""
    client, recorders = wired
    transport = client.services.ports.notifier.l2.client.transport
    recorder = recorder_for(('security_groups_rule_updated', 'security_groups_member_updated',
                             'port_update', 'port_delete'))
    recorder.target = oslo_messaging.Target(version='1.2')
    server = rpc_transport.get_server(transport, const.TOPIC_L2_AGENT, 'sg-agent', [recorder])
    server.start()
    try:
        group = client.create_security_group(name='web')
        rule = client.create_security_group_rule(security_group_id=group['id'],
                                                 direction='ingress', protocol='icmp')
        network = client.create_network(name='n1')
        client.create_subnet(network_id=network['id'], ip_version=4, cidr='10.0.0.0/24')
        client.create_port(network_id=network['id'], security_groups=[group['id']])
        client.delete_security_group_rule(rule['id'])
        seen = recorder.wait_for(3)
    finally:
        server.stop()
        server.wait()
    assert seen == [('security_groups_rule_updated', {'security_groups': [group['id']]}),
                    ('security_groups_member_updated', {'security_groups': [group['id']]}),
                    ('security_groups_rule_updated', {'security_groups': [group['id']]})]
