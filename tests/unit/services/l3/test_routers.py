"""router: routers, gateways and interfaces through the Python API (in-memory SQLite)."""

import pytest

from netmgr import constants as const
from netmgr import exceptions
from tests.unit.conftest import as_tenant

GW = 'external_gateway_info'


@pytest.fixture
def ext_net(client):
    network = client.create_network(name='ext', **{'router:external': True})
    client.create_subnet(network_id=network['id'], ip_version=4, cidr='172.24.4.0/24')
    return network


@pytest.fixture
def tenant(client):
    return as_tenant(client, 'tenant-a')


@pytest.fixture
def tenant_subnet(tenant, make_subnet):
    return make_subnet('10.0.0.0/24', owner=tenant)


def _router_ports(client, router_id):
    return {p['device_owner']: p for p in client.list_ports(device_id=router_id)}


def test_create_show_list_update_delete(tenant):
    router = tenant.create_router(name='r1')
    assert router['status'] == 'ACTIVE' and router['admin_state_up'] is True
    assert router[GW] is None and router['tenant_id'] == 'tenant-a'
    assert tenant.show_router(router['id'])['name'] == 'r1'
    assert [r['id'] for r in tenant.list_routers(name='r1')] == [router['id']]
    assert tenant.update_router(router['id'], name='r2', admin_state_up=False)['name'] == 'r2'
    tenant.delete_router(router['id'])
    with pytest.raises(exceptions.RouterNotFound):
        tenant.show_router(router['id'])


def test_other_tenants_do_not_see_routers(client, tenant):
    router = tenant.create_router(name='r1')
    other = as_tenant(client, 'tenant-b')
    assert other.list_routers() == []
    with pytest.raises(exceptions.RouterNotFound):
        other.show_router(router['id'])
    with pytest.raises(exceptions.RouterNotFound):
        other.delete_router(router['id'])
    assert [r['id'] for r in client.list_routers()] == [router['id']]


def test_router_quota(client, tenant):
    client.services.quotas.update(client.context, 'tenant-a', {'router': 1})
    tenant.create_router(name='r1')
    with pytest.raises(exceptions.OverQuota):
        tenant.create_router(name='r2')


def test_gateway_set_and_clear(client, tenant, ext_net, count_rows):
    router = tenant.create_router(name='r', **{GW: {'network_id': ext_net['id']}})
    info = router[GW]
    assert info['network_id'] == ext_net['id'] and info['enable_snat'] is True
    assert info['external_fixed_ips'][0]['ip_address'] == '172.24.4.2'
    gw_port = _router_ports(client, router['id'])[const.DEVICE_OWNER_ROUTER_GW]
    assert gw_port['network_id'] == ext_net['id'] and gw_port['tenant_id'] == ''
    # Setting the same network again keeps the port.
    again = tenant.update_router(router['id'], **{GW: {'network_id': ext_net['id']}})
    assert again[GW] == info
    assert tenant.update_router(router['id'], **{GW: {}})[GW] is None
    assert count_rows('ports') == 0 and count_rows('ipallocations') == 0
    assert tenant.update_router(router['id'], **{GW: {'network_id': ext_net['id']}})[GW]
    tenant.delete_router(router['id'])
    assert count_rows('ports') == 0 and count_rows('routerports') == 0


def test_gateway_needs_an_external_network(tenant, tenant_subnet):
    with pytest.raises(exceptions.BadRequest, match='not an external network'):
        tenant.create_router(name='r', **{GW: {'network_id': tenant_subnet['network_id']}})


def test_enable_snat_is_for_admins(client, tenant, ext_net):
    with pytest.raises(exceptions.PolicyNotAuthorized):
        tenant.create_router(name='r', **{GW: {'network_id': ext_net['id'],
                                               'enable_snat': False}})
    router = client.create_router(name='r', **{GW: {'network_id': ext_net['id'],
                                                    'enable_snat': False}})
    assert router[GW]['enable_snat'] is False


def test_enable_snat_from_a_cli_string(client, ext_net):
    router = client.create_router(name='r', **{GW: {'network_id': ext_net['id'],
                                                    'enable_snat': 'False'}})
    assert router[GW]['enable_snat'] is False


def test_malformed_gateway_info_is_a_bad_request(tenant, ext_net):
    for bad in ('x', {'network_id': 'nope'}, {'enable_snat': True}, {'foo': 1}):
        with pytest.raises(exceptions.BadRequest):
            tenant.create_router(name='r', **{GW: bad})


def test_interface_by_subnet_takes_the_gateway_ip(client, tenant, tenant_subnet, count_rows):
    router = tenant.create_router(name='r')
    answer = tenant.add_router_interface(router['id'], subnet_id=tenant_subnet['id'])
    assert set(answer) == {'id', 'tenant_id', 'port_id', 'subnet_id', 'subnet_ids',
                           'network_id'}
    assert answer['id'] == router['id'] and answer['subnet_ids'] == [tenant_subnet['id']]
    port = tenant.show_port(answer['port_id'])
    assert port['device_owner'] == const.DEVICE_OWNER_ROUTER_INTF
    assert port['device_id'] == router['id']
    assert port['fixed_ips'] == [{'subnet_id': tenant_subnet['id'], 'ip_address': '10.0.0.1'}]
    with pytest.raises(exceptions.BadRequest, match='already has a port on subnet'):
        tenant.add_router_interface(router['id'], subnet_id=tenant_subnet['id'])
    removed = tenant.remove_router_interface(router['id'], subnet_id=tenant_subnet['id'])
    assert removed['port_id'] == answer['port_id']
    assert count_rows('ports') == 0 and count_rows('routerports') == 0


def test_subnet_without_gateway_is_refused(tenant, make_subnet):
    subnet = make_subnet('10.1.0.0/24', owner=tenant, gateway_ip=None)
    router = tenant.create_router(name='r')
    with pytest.raises(exceptions.BadRequest, match='gateway IP'):
        tenant.add_router_interface(router['id'], subnet_id=subnet['id'])


def test_external_subnet_and_overlap_are_refused(client, ext_net, make_subnet):
    router = client.create_router(name='r')
    with pytest.raises(exceptions.BadRequest, match='external network'):
        client.add_router_interface(
            router['id'], subnet_id=client.list_subnets(network_id=ext_net['id'])[0]['id'])
    first = make_subnet('10.2.0.0/24')
    second = make_subnet('10.2.0.0/16')
    client.add_router_interface(router['id'], subnet_id=first['id'])
    with pytest.raises(exceptions.BadRequest, match='overlaps'):
        client.add_router_interface(router['id'], subnet_id=second['id'])


def test_other_tenants_subnet_is_refused(client, tenant, make_subnet):
    shared = client.create_network(name='shared', shared=True)
    subnet = client.create_subnet(network_id=shared['id'], ip_version=4, cidr='10.3.0.0/24')
    router = tenant.create_router(name='r')
    with pytest.raises(exceptions.NotAuthorized):
        tenant.add_router_interface(router['id'], subnet_id=subnet['id'])
    private = make_subnet('10.4.0.0/24')
    with pytest.raises(exceptions.SubnetNotFound):
        tenant.add_router_interface(router['id'], subnet_id=private['id'])


def test_interface_by_port(tenant, tenant_subnet, count_rows):
    router = tenant.create_router(name='r')
    port = tenant.create_port(network_id=tenant_subnet['network_id'])
    answer = tenant.add_router_interface(router['id'], port_id=port['id'])
    assert answer['port_id'] == port['id'] and answer['subnet_id'] == tenant_subnet['id']
    assert tenant.show_port(port['id'])['device_owner'] == const.DEVICE_OWNER_ROUTER_INTF
    with pytest.raises(exceptions.PortInUse):
        tenant.add_router_interface(tenant.create_router(name='r2')['id'], port_id=port['id'])
    tenant.remove_router_interface(router['id'], port_id=port['id'])
    assert count_rows('ports') == 0


def test_port_with_a_device_is_refused(tenant, tenant_subnet):
    router = tenant.create_router(name='r')
    port = tenant.create_port(network_id=tenant_subnet['network_id'], device_id='vm-1')
    with pytest.raises(exceptions.PortInUse):
        tenant.add_router_interface(router['id'], port_id=port['id'])


def test_action_body_errors(tenant, tenant_subnet):
    router = tenant.create_router(name='r')
    with pytest.raises(exceptions.BadRequest):
        tenant.add_router_interface(router['id'])
    with pytest.raises(exceptions.BadRequest):
        tenant.add_router_interface(router['id'], subnet_id=tenant_subnet['id'],
                                    port_id=tenant_subnet['id'])
    with pytest.raises(exceptions.BadRequest):
        tenant.add_router_interface(router['id'], subnet_id='not-a-uuid')


def test_remove_unknown_interface(tenant, tenant_subnet):
    router = tenant.create_router(name='r')
    with pytest.raises(exceptions.RouterInterfaceNotFoundForSubnet):
        tenant.remove_router_interface(router['id'], subnet_id=tenant_subnet['id'])
    port = tenant.create_port(network_id=tenant_subnet['network_id'])
    with pytest.raises(exceptions.RouterInterfaceNotFound):
        tenant.remove_router_interface(router['id'], port_id=port['id'])


def test_in_use_protections(client, tenant, tenant_subnet, ext_net):
    router = tenant.create_router(name='r', **{GW: {'network_id': ext_net['id']}})
    answer = tenant.add_router_interface(router['id'], subnet_id=tenant_subnet['id'])
    with pytest.raises(exceptions.RouterInUse):
        tenant.delete_router(router['id'])
    with pytest.raises(exceptions.L3PortInUse, match='cannot be deleted directly'):
        tenant.delete_port(answer['port_id'])
    gw_port = _router_ports(client, router['id'])[const.DEVICE_OWNER_ROUTER_GW]
    with pytest.raises(exceptions.L3PortInUse):
        client.delete_port(gw_port['id'])
    with pytest.raises(exceptions.SubnetInUse, match='router interface'):
        tenant.delete_subnet(tenant_subnet['id'])
    with pytest.raises(exceptions.NetworkInUse):
        tenant.delete_network(tenant_subnet['network_id'])
    tenant.remove_router_interface(router['id'], port_id=answer['port_id'])
    tenant.delete_router(router['id'])
    tenant.delete_subnet(tenant_subnet['id'])


def test_failed_add_leaves_nothing_behind(client, tenant, tenant_subnet, count_rows):
    router = tenant.create_router(name='r')
    # An admin-made port holding the gateway IP: the interface cannot take it.
    client.create_port(network_id=tenant_subnet['network_id'],
                       device_owner=const.DEVICE_OWNER_ROUTER_INTF,
                       fixed_ips=[{'ip_address': '10.0.0.1'}])
    with pytest.raises(exceptions.Conflict):
        tenant.add_router_interface(router['id'], subnet_id=tenant_subnet['id'])
    assert count_rows('ports') == 1 and count_rows('routerports') == 0


def test_gateway_moves_to_another_network_and_fixed_ips(client, ext_net, count_rows):
    other = client.create_network(name='ext2', **{'router:external': True})
    subnet = client.create_subnet(network_id=other['id'], ip_version=4, cidr='172.25.0.0/24')
    router = client.create_router(name='r', **{GW: {'network_id': ext_net['id']}})
    moved = client.update_router(router['id'], **{GW: {
        'network_id': other['id'],
        'external_fixed_ips': [{'subnet_id': subnet['id'], 'ip_address': '172.25.0.9'}]}})
    wanted = [{'subnet_id': subnet['id'], 'ip_address': '172.25.0.9'}]
    assert moved[GW]['external_fixed_ips'] == wanted
    assert count_rows('ports') == 1 and count_rows('routerports') == 1
    snat = client.update_router(router['id'], **{GW: {'network_id': other['id'],
                                                      'enable_snat': False}})
    assert snat[GW]['enable_snat'] is False and snat[GW]['external_fixed_ips'] == \
        moved[GW]['external_fixed_ips']


def test_tenant_may_not_choose_external_fixed_ips(tenant, ext_net):
    with pytest.raises(exceptions.PolicyNotAuthorized):
        tenant.create_router(name='r', **{GW: {
            'network_id': ext_net['id'], 'external_fixed_ips': [{'ip_address': '172.24.4.9'}]}})


def test_interface_by_someone_elses_port_is_refused(client, tenant, tenant_subnet):
    """The subnet's owner sees a port another tenant made on its network, but does not own it."""
    router = tenant.create_router(name='r')
    stranger = client.create_port(network_id=tenant_subnet['network_id'],
                                  tenant_id='someone-else')
    with pytest.raises(exceptions.AdminRequired):
        tenant.add_router_interface(router['id'], port_id=stranger['id'])
    assert client.show_port(stranger['id'])['device_owner'] == ''
