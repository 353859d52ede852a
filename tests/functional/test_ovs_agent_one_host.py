"""One simulated host: a real netmgr-ovs-agent process on prefixed bridges (userspace OVS),
the real RabbitMQ and a real server. Ports plugged turn ACTIVE; instances on one network ping
each other, on different networks they do not; admin_state_up cuts and restores traffic."""

import pytest

from tests.fixtures.agents import wait_for
from tests.functional.rest_helpers import _net

pytestmark = pytest.mark.functional

VLAN_RANGE = 'physnet1:100:199'


@pytest.fixture(scope='module')
def server(module_server_factory, rpc_options):
    return module_server_factory(
        'ovs-one-host', api_workers=1, **rpc_options,
        sections={'l2': {'tenant_network_types': 'vlan', 'network_vlan_ranges': VLAN_RANGE}})


@pytest.fixture
def host(netlab, agent_factory, rpc_options, server):
    int_br, phys_br = netlab.bridge(), netlab.bridge()
    name = netlab.prefix + '-h1'
    agent = agent_factory(name, int_br.name, {'physnet1': phys_br.name}, rpc_options)
    wait_for(lambda: server.client().list('agents', {'host': name}), message='agent report')
    return name, int_br, agent


def _status(api, port_id):
    return api.show('port', port_id)['status']


def boot(netlab, api, host, network, ip):
    """A port bound to ``host`` and an 'instance' namespace plugged like nova's OVS VIF."""
    name, int_br, _ = host
    port = api.create('port', network_id=network['id'], **{'binding:host_id': name})
    ns = netlab.namespace()
    veth = netlab.veth_into(ns, int_br, address=ip + '/24', external_ids={
        'iface-id': port['id'], 'attached-mac': port['mac_address'], 'vm-uuid': ns,
        'iface-status': 'active'})
    netlab.executor.execute(['ip', 'link', 'set', veth.inner, 'address',
                             port['mac_address']], namespace=ns)
    return port, ns


def test_plugged_ports_turn_active_and_talk_only_within_their_network(netlab, server, host):
    api = server.client()
    net_a, _ = _net(api, cidr='10.61.0.0/24')
    net_b, _ = _net(api, cidr='10.61.0.0/24')
    port1, ns1 = boot(netlab, api, host, net_a, '10.61.0.11')
    port2, ns2 = boot(netlab, api, host, net_a, '10.61.0.12')
    port3, ns3 = boot(netlab, api, host, net_b, '10.61.0.13')
    for port in (port1, port2, port3):
        wait_for(lambda p=port: _status(api, p['id']) == 'ACTIVE', message='ACTIVE')
    assert netlab.ping_within(ns1, '10.61.0.12')
    assert not netlab.ping(ns1, '10.61.0.13')
    assert not netlab.ping(ns3, '10.61.0.12')

    api.put('/v2.0/ports/%s' % port2['id'], {'port': {'admin_state_up': False}})
    # the server's port_update notification reaches the agent, which moves the port
    wait_for(lambda: not netlab.ping(ns1, '10.61.0.12'), timeout=15, message='traffic cut')
    assert _status(api, port2['id']) == 'DOWN'
    api.put('/v2.0/ports/%s' % port2['id'], {'port': {'admin_state_up': True}})
    wait_for(lambda: netlab.ping(ns1, '10.61.0.12'), timeout=15, message='traffic back')
    wait_for(lambda: _status(api, port2['id']) == 'ACTIVE', message='ACTIVE again')


def test_lost_flows_are_programmed_again(netlab, server, host):
    """What ovs-vswitchd restarting does to a bridge (every OpenFlow rule gone), done to this
    host's br-int only: the agent notices the missing canary and programs everything again."""
    api = server.client()
    _name, int_br, _agent = host
    network, _ = _net(api, cidr='10.62.0.0/24')
    port1, ns1 = boot(netlab, api, host, network, '10.62.0.11')
    port2, _ns2 = boot(netlab, api, host, network, '10.62.0.12')
    for port in (port1, port2):
        wait_for(lambda p=port: _status(api, p['id']) == 'ACTIVE', message='ACTIVE')
    assert netlab.ping_within(ns1, '10.62.0.12')

    netlab.executor.execute(['ovs-ofctl', 'del-flows', int_br.name])
    wait_for(lambda: 'table=23' in netlab.executor.execute(
        ['ovs-ofctl', 'dump-flows', int_br.name]), timeout=15, message='canary back')
    assert netlab.ping_within(ns1, '10.62.0.12')
