"""The server's L3 agent RPC (in-memory SQLite): what sync_routers tells an agent, the
bindings it makes, and floating IP statuses reported back."""

import pytest

from netmgr.services.rpc import l3
from tests.unit.conftest import as_tenant

GW = 'external_gateway_info'
HOST = 'gw-host'


@pytest.fixture
def endpoint(client):
    return l3.L3RpcEndpoint(client.services.ports, client.services.router_sync)


@pytest.fixture
def setup(client):
    ext = client.create_network(name='ext', **{'router:external': True})
    ext_subnet = client.create_subnet(network_id=ext['id'], ip_version=4,
                                      cidr='172.24.4.0/24')
    tenant = as_tenant(client, 'tenant-a')
    subnets = []
    for cidr in ('10.0.0.0/24', '10.0.1.0/24'):
        net = tenant.create_network(name=cidr)
        subnets.append(tenant.create_subnet(network_id=net['id'], ip_version=4, cidr=cidr))
    router = tenant.create_router(name='r', **{GW: {'network_id': ext['id']}})
    for subnet in subnets:
        tenant.add_router_interface(router['id'], subnet_id=subnet['id'])
    vm = tenant.create_port(network_id=subnets[0]['network_id'], device_owner='compute:x')
    fip = tenant.create_floatingip(floating_network_id=ext['id'], port_id=vm['id'])
    return {'ext': ext, 'ext_subnet': ext_subnet, 'subnets': subnets, 'router': router,
            'vm': vm, 'fip': fip, 'tenant': tenant}


def test_sync_routers_describes_the_router(endpoint, setup):
    [router] = endpoint.sync_routers(None, HOST)
    assert router['id'] == setup['router']['id'] and router['tenant_id'] == 'tenant-a'
    assert router['admin_state_up'] is True and router['enable_snat'] is True
    gw = router['gw_port']
    assert gw['device_owner'] == 'network:router_gateway'
    assert gw['network_id'] == router['external_network_id'] == setup['ext']['id']
    assert gw['subnets'] == [{'id': setup['ext_subnet']['id'], 'cidr': '172.24.4.0/24',
                              'gateway_ip': '172.24.4.1'}]
    cidrs = sorted(s['cidr'] for p in router['_interfaces'] for s in p['subnets'])
    assert cidrs == ['10.0.0.0/24', '10.0.1.0/24']
    assert sorted(ip['ip_address'] for p in router['_interfaces'] for ip in p['fixed_ips']) \
        == ['10.0.0.1', '10.0.1.1']
    [fip] = router['_floatingips']
    assert fip == {'id': setup['fip']['id'],
                   'floating_ip_address': setup['fip']['floating_ip_address'],
                   'fixed_ip_address': setup['vm']['fixed_ips'][0]['ip_address'],
                   'port_id': setup['vm']['id'], 'router_id': router['id'],
                   'status': 'ACTIVE'}


def test_router_ports_are_bound_to_the_asking_host_once(endpoint, setup, client):
    [router] = endpoint.sync_routers(None, HOST)
    ports = [router['gw_port']] + router['_interfaces']
    assert {p['binding:host_id'] for p in ports} == {HOST}
    for port in ports:   # stored, and the VIF type computed (no OVS agent: binding_failed)
        stored = client.show_port(port['id'])
        assert stored['binding:host_id'] == HOST
        assert stored['binding:vif_type'] == 'binding_failed'
    [again] = endpoint.sync_routers(None, HOST)
    assert [p['binding:host_id'] for p in again['_interfaces']] == [HOST, HOST]


def test_only_the_asked_routers_and_gone_ones_are_absent(endpoint, setup, client):
    other = client.create_router(name='other')
    assert [r['id'] for r in endpoint.sync_routers(None, HOST, [other['id']])] == [other['id']]
    assert endpoint.sync_routers(None, HOST, ['no-such-router']) == []
    assert endpoint.sync_routers(None, HOST, []) == []
    bare = endpoint.sync_routers(None, HOST, [other['id']])[0]
    assert bare['gw_port'] is None and bare['_interfaces'] == [] and \
        bare['_floatingips'] == []
    assert len(endpoint.sync_routers(None, HOST)) == 2


def test_floatingip_statuses(endpoint, setup, client):
    router_id, fip_id = setup['router']['id'], setup['fip']['id']
    assert endpoint.update_floatingip_statuses(None, router_id, {fip_id: 'ERROR'}) == \
        {fip_id: 'ERROR'}
    assert client.show('floatingips', 'floatingip', fip_id)['status'] == 'ERROR'
    # Not reported any more: DOWN. Unknown ids and statuses are ignored.
    endpoint.update_floatingip_statuses(None, router_id, {'nope': 'ACTIVE'})
    assert client.show('floatingips', 'floatingip', fip_id)['status'] == 'DOWN'
    endpoint.update_floatingip_statuses(None, router_id, {fip_id: 'BOGUS'})
    endpoint.update_floatingip_statuses(None, router_id, {fip_id: 'ACTIVE'})
    assert client.show('floatingips', 'floatingip', fip_id)['status'] == 'ACTIVE'


def test_a_router_belongs_to_the_host_its_ports_are_bound_to(endpoint, setup, client):
    assert [r['id'] for r in endpoint.sync_routers(None, HOST)] == [setup['router']['id']]
    assert endpoint.sync_routers(None, 'other-host') == []
    # A new interface joins the router's host when that host's agent asks.
    tenant = setup['tenant']
    net = tenant.create_network(name='third')
    subnet = tenant.create_subnet(network_id=net['id'], ip_version=4, cidr='10.0.2.0/24')
    tenant.add_router_interface(setup['router']['id'], subnet_id=subnet['id'])
    assert endpoint.sync_routers(None, 'other-host') == []
    [router] = endpoint.sync_routers(None, HOST)
    assert {p['binding:host_id'] for p in router['_interfaces']} == {HOST}
