"""binding:* on ports and what L2 agents get over RPC about the ports of their host."""

import pytest

from netmgr import constants as const
from netmgr import context as ctx
from netmgr import exceptions
from netmgr.rpc import plugin_api
from netmgr.rpc import transport as rpc_transport
from netmgr.services.rpc import server
from tests.unit.conftest import as_tenant

HOST = 'compute-1'
PHYSNET_ON_HOST = {'bridge_mappings': {'physnet1': 'br-eth1'}, 'datapath_type': 'netdev',
                   'tunnel_types': []}


@pytest.fixture
def client(make_client):
    return make_client(**{'l2.network_vlan_ranges': ['physnet1:100:199'],
                          'l2.tenant_network_types': ['vlan']})


def _agent(client, host=HOST, configurations=PHYSNET_ON_HOST):
    return client.services.agents.report_state({
        'agent_type': const.AGENT_TYPE_OVS, 'binary': 'netmgr-ovs-agent',
        'topic': const.TOPIC_L2_AGENT, 'host': host, 'configurations': configurations})


@pytest.fixture
def network(client):
    net = client.create_network(name='n1')
    client.create_subnet(network_id=net['id'], ip_version=4, cidr='10.0.0.0/24')
    return net


def _port(client, network, **attrs):
    return client.create_port(network_id=network['id'], **attrs)


def test_a_port_without_host_is_unbound(client, network):
    port = _port(client, network)
    assert port['binding:host_id'] == '' and port['binding:vif_type'] == 'unbound'
    assert port['binding:vif_details'] == {} and port['binding:vnic_type'] == 'normal'
    assert port['binding:profile'] == {}


def test_a_live_agent_serving_the_physnet_binds_the_port(client, network):
    _agent(client)
    port = _port(client, network, **{'binding:host_id': HOST})
    assert port['binding:vif_type'] == 'ovs'
    assert port['binding:vif_details']['datapath_type'] == 'netdev'
    assert port['binding:vif_details']['port_filter'] is True
    assert port['binding:vif_details']['bridge_name'] == 'br-int'
    assert client.show_port(port['id'])['binding:vif_type'] == 'ovs'


def test_the_bridge_is_the_agents_own_integration_bridge(client, network):
    _agent(client, configurations=dict(PHYSNET_ON_HOST, integration_bridge='br-lab7'))
    port = _port(client, network, **{'binding:host_id': HOST})
    assert port['binding:vif_details']['bridge_name'] == 'br-lab7'


def test_no_agent_or_wrong_physnet_or_vnic_fails_the_binding(client, network):
    assert _port(client, network, **{'binding:host_id': HOST})['binding:vif_type'] == \
        'binding_failed'
    _agent(client, configurations={'bridge_mappings': {'physnet9': 'br-x'}})
    assert _port(client, network, **{'binding:host_id': HOST})['binding:vif_type'] == \
        'binding_failed'
    _agent(client)
    assert _port(client, network, **{'binding:host_id': HOST, 'binding:vnic_type': 'direct'}
                 )['binding:vif_type'] == 'binding_failed'


def test_a_dead_or_disabled_agent_does_not_bind(client, network):
    agent_id = _agent(client)
    client.update('agents', 'agent', agent_id, {'admin_state_up': False})
    assert _port(client, network, **{'binding:host_id': HOST})['binding:vif_type'] == \
        'binding_failed'


def test_setting_the_host_later_binds_and_clearing_it_unbinds(client, network):
    _agent(client)
    port = _port(client, network)
    port = client.update_port(port['id'], **{'binding:host_id': HOST,
                                             'binding:profile': {'pci_slot': 'x'}})
    assert port['binding:vif_type'] == 'ovs' and port['binding:profile'] == {'pci_slot': 'x'}
    port = client.update_port(port['id'], **{'binding:host_id': ''})
    assert port['binding:vif_type'] == 'unbound' and port['binding:profile'] == {'pci_slot': 'x'}


def test_tenants_neither_set_nor_see_bindings(client, network):
    client.update_network(network['id'], shared=True)
    tenant = as_tenant(client, 'tenant-a')
    with pytest.raises(exceptions.PolicyNotAuthorized):
        tenant.create_port(network_id=network['id'], **{'binding:host_id': HOST})
    port = tenant.create_port(network_id=network['id'])
    assert 'binding:host_id' not in port and 'binding:vif_type' not in port
    assert port['binding:vnic_type'] == 'normal'


def test_ports_filter_by_host(client, network):
    bound = _port(client, network, **{'binding:host_id': HOST})
    unbound = _port(client, network)
    assert [p['id'] for p in client.list_ports(**{'binding:host_id': HOST})] == [bound['id']]
    assert [p['id'] for p in client.list_ports(**{'binding:host_id': ''})] == [unbound['id']]


def test_device_details_only_for_the_bound_host(client, network):
    _agent(client)
    port = _port(client, network, **{'binding:host_id': HOST})
    devices = client.services.devices
    [details] = devices.details([port['id']], HOST)
    assert details['device'] == details['port_id'] == port['id']
    assert (details['network_type'], details['physical_network']) == ('vlan', 'physnet1')
    assert 100 <= details['segmentation_id'] <= 199
    assert details['mac_address'] == port['mac_address'] and details['admin_state_up'] is True
    assert details['fixed_ips'] == port['fixed_ips']
    assert devices.details([port['id']], 'compute-2') == [{'device': port['id']}]
    assert devices.details(['no-such-port'], HOST) == [{'device': 'no-such-port'}]


def test_device_details_resolve_the_tap_prefix_of_a_port_bound_to_the_host(client, network):
    _agent(client)
    port = _port(client, network, **{'binding:host_id': HOST})
    other = _port(client, network, **{'binding:host_id': 'compute-2'})
    devices = client.services.devices
    [details, elsewhere] = devices.details([port['id'][:11], other['id'][:11]], HOST)
    assert details['device'] == port['id'][:11] and details['port_id'] == port['id']
    assert details['network_type'] == 'vlan'
    assert elsewhere == {'device': other['id'][:11]}


def test_status_follows_the_agent_of_the_bound_host(client, network):
    port = _port(client, network, **{'binding:host_id': HOST})
    devices = client.services.devices
    assert devices.report([port['id']], [], 'compute-2') == {
        'devices_up': [], 'failed_devices_up': [port['id']],
        'devices_down': [], 'failed_devices_down': []}
    assert client.show_port(port['id'])['status'] == 'DOWN'
    assert devices.report([port['id'], 'gone'], [], HOST)['devices_up'] == [port['id'], 'gone']
    assert client.show_port(port['id'])['status'] == 'ACTIVE'
    assert devices.ports_on_host(HOST) == [port['id']]
    assert devices.report([], [port['id']], HOST)['devices_down'] == [port['id']]
    assert devices.ports_on_host(HOST) == []


def test_plugin_rpc_round_trip(client, network, make_conf):
    _agent(client)
    port = _port(client, network, **{'binding:host_id': HOST})
    conf = make_conf(transport_url='fake://', host='server-1')
    transport = rpc_transport.get_transport(conf)
    service = server.RpcService(conf, client.services, transport=transport).start()
    try:
        api = plugin_api.PluginApi(transport, timeout=10)
        context = ctx.admin_context()
        [details] = api.get_devices_details_list(context, [port['id']], 'agent-1', HOST)
        assert details['network_type'] == 'vlan'
        answer = api.update_device_list(context, [port['id']], [], 'agent-1', HOST)
        assert answer == {'devices_up': [port['id']], 'failed_devices_up': [],
                          'devices_down': [], 'failed_devices_down': []}
        assert api.get_ports_on_host(context, HOST) == [port['id']]
    finally:
        service.stop()
        transport.cleanup()
    assert client.show_port(port['id'])['status'] == 'ACTIVE'


@pytest.mark.parametrize('network_type', ['vxlan', 'gre', 'geneve'])
def test_a_tunnel_network_binds_only_where_the_agent_carries_its_type(make_client,
                                                                      network_type):
    client = make_client()
    network = client.create_network(name='t', **{'provider:network_type': network_type})
    others = [t for t in ('vxlan', 'gre', 'geneve') if t != network_type]
    _agent(client, host='h-other', configurations={'tunnel_types': others})
    _agent(client, host='h-mine', configurations={'tunnel_types': [network_type]})
    assert _port(client, network, **{'binding:host_id': 'h-other'})['binding:vif_type'] == \
        'binding_failed'
    assert _port(client, network, **{'binding:host_id': 'h-mine'})['binding:vif_type'] == 'ovs'
