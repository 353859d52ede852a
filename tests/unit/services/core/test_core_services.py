"""Networks, subnets and ports through netmgr.client.Client (the same pipeline as REST)."""

import pytest

from netmgr import exceptions
from tests.unit.conftest import ips_of

UNKNOWN = '3b9d6f0e-2a4c-4e55-9a53-1f0d3c7b2e11'


def _net_with_subnet(owner, cidr='10.0.0.0/24', **net_attrs):
    net = owner.create_network(**net_attrs)
    subnet = owner.create_subnet(network_id=net['id'], ip_version=4, cidr=cidr)
    return net, subnet


# ---- networks -----------------------------------------------------------------------------

def test_network_crud(client):
    net = client.create_network(name='net1', admin_state_up='false')
    assert net['name'] == 'net1' and net['status'] == 'ACTIVE'
    assert net['admin_state_up'] is False and net['shared'] is False
    assert net['tenant_id'] == net['project_id'] == 'admin-tenant'
    assert net['subnets'] == []
    assert client.show_network(net['id']) == net
    updated = client.update_network(net['id'], name='renamed', admin_state_up=True)
    assert updated['name'] == 'renamed' and updated['admin_state_up'] is True
    client.delete_network(net['id'])
    with pytest.raises(exceptions.NetworkNotFound):
        client.show_network(net['id'])
    with pytest.raises(exceptions.NetworkNotFound):
        client.delete_network(net['id'])


def test_network_lists_its_subnets_in_creation_order(client):
    net, first = _net_with_subnet(client)
    second = client.create_subnet(network_id=net['id'], ip_version=6, cidr='2001:db8::/64')
    assert client.show_network(net['id'])['subnets'] == [first['id'], second['id']]
    client.delete_subnet(first['id'])
    assert client.list_networks(id=net['id'])[0]['subnets'] == [second['id']]


def test_delete_network_with_a_compute_port_is_network_in_use(client, count_rows):
    net, subnet = _net_with_subnet(client)
    client.create_port(network_id=net['id'], device_owner='network:dhcp')
    client.create_port(network_id=net['id'], device_owner='compute:nova')
    with pytest.raises(exceptions.NetworkInUse) as info:
        client.delete_network(net['id'])
    assert isinstance(info.value, exceptions.Conflict)
    assert client.show_subnet(subnet['id'])
    assert (count_rows('ports'), count_rows('ipallocations')) == (2, 2)


def test_delete_network_with_only_a_dhcp_port(client, count_rows):
    net, _ = _net_with_subnet(client)
    client.create_port(network_id=net['id'], device_owner='network:dhcp')
    client.delete_network(net['id'])
    for table in ('networks', 'subnets', 'ports', 'ipallocations', 'ipam_availability_ranges',
                  'subnet_allocation_pools'):
        assert count_rows(table) == 0, table


# ---- subnets ------------------------------------------------------------------------------

def test_subnet_crud(client):
    net = client.create_network()
    subnet = client.create_subnet(network_id=net['id'], ip_version='4', cidr='10.0.0.0/24',
                                  dns_nameservers=['8.8.8.8', '1.1.1.1'], enable_dhcp='False',
                                  host_routes=[{'destination': '10.9.0.0/16',
                                                'nexthop': '10.0.0.9'}])
    assert subnet['ip_version'] == 4 and subnet['enable_dhcp'] is False
    assert subnet['gateway_ip'] == '10.0.0.1'
    assert subnet['dns_nameservers'] == ['8.8.8.8', '1.1.1.1']
    assert subnet['host_routes'] == [{'destination': '10.9.0.0/16', 'nexthop': '10.0.0.9'}]
    assert client.show_subnet(subnet['id']) == subnet
    updated = client.update_subnet(subnet['id'], name='s', dns_nameservers=['1.1.1.1'],
                                   host_routes=None, gateway_ip=None)
    assert updated['dns_nameservers'] == ['1.1.1.1'] and updated['host_routes'] == []
    assert updated['gateway_ip'] is None and updated['name'] == 's'
    client.delete_subnet(subnet['id'])
    with pytest.raises(exceptions.SubnetNotFound):
        client.show_subnet(subnet['id'])


def test_subnet_needs_a_known_network_and_a_matching_ip_version(client):
    with pytest.raises(exceptions.NetworkNotFound):
        client.create_subnet(network_id=UNKNOWN, ip_version=4, cidr='10.0.0.0/24')
    with pytest.raises(exceptions.InvalidInput):
        client.create_subnet(network_id=client.create_network()['id'], ip_version=6,
                             cidr='10.0.0.0/24')


def test_overlapping_subnets_in_one_network_are_400(client):
    net, _ = _net_with_subnet(client, '10.0.0.0/16')
    with pytest.raises(exceptions.InvalidInput) as info:
        client.create_subnet(network_id=net['id'], ip_version=4, cidr='10.0.3.0/24')
    assert 'overlaps with another subnet' in str(info.value)


def test_overlap_across_networks_follows_allow_overlapping_ips(make_client):
    allowing = make_client()
    _net_with_subnet(allowing)
    assert _net_with_subnet(allowing)[1]['cidr'] == '10.0.0.0/24'
    strict = make_client(allow_overlapping_ips=False)
    _net_with_subnet(strict, '10.0.0.0/24')
    with pytest.raises(exceptions.InvalidInput):
        _net_with_subnet(strict, '10.0.0.128/25')
    assert _net_with_subnet(strict, '10.0.1.0/24')[1]['cidr'] == '10.0.1.0/24'


def test_dns_and_host_route_limits(make_client):
    client = make_client(max_dns_nameservers=2, max_subnet_host_routes=1)
    net = client.create_network()
    routes = [{'destination': '10.%d.0.0/16' % i, 'nexthop': '10.0.0.9'} for i in (8, 9)]
    with pytest.raises(exceptions.DNSNameServersExhausted) as info:
        client.create_subnet(network_id=net['id'], ip_version=4, cidr='10.0.0.0/24',
                             dns_nameservers=['8.8.8.8', '8.8.4.4', '1.1.1.1'])
    assert isinstance(info.value, exceptions.BadRequest)
    with pytest.raises(exceptions.HostRoutesExhausted):
        client.create_subnet(network_id=net['id'], ip_version=4, cidr='10.0.0.0/24',
                             host_routes=routes)
    subnet = client.create_subnet(network_id=net['id'], ip_version=4, cidr='10.0.0.0/24',
                                  dns_nameservers=['8.8.8.8', '8.8.4.4'],
                                  host_routes=routes[:1])
    with pytest.raises(exceptions.DNSNameServersExhausted):
        client.update_subnet(subnet['id'], dns_nameservers=['8.8.8.8', '8.8.4.4', '1.1.1.1'])
    with pytest.raises(exceptions.HostRoutesExhausted):
        client.update_subnet(subnet['id'], host_routes=routes)
    assert client.show_subnet(subnet['id'])['dns_nameservers'] == ['8.8.8.8', '8.8.4.4']


def test_delete_subnet_with_allocations_is_subnet_in_use(client):
    net, subnet = _net_with_subnet(client)
    port = client.create_port(network_id=net['id'])
    with pytest.raises(exceptions.SubnetInUse):
        client.delete_subnet(subnet['id'])
    assert client.show_port(port['id'])['fixed_ips'] == port['fixed_ips']
    client.delete_port(port['id'])
    client.delete_subnet(subnet['id'])


def test_delete_subnet_used_only_by_dhcp(client):
    net, subnet = _net_with_subnet(client)
    dhcp = client.create_port(network_id=net['id'], device_owner='network:dhcp')
    client.delete_subnet(subnet['id'])
    assert client.show_port(dhcp['id'])['fixed_ips'] == []


# ---- ports --------------------------------------------------------------------------------

def test_port_crud(client):
    with pytest.raises(exceptions.NetworkNotFound):
        client.create_port(network_id=UNKNOWN)
    net, subnet = _net_with_subnet(client)
    port = client.create_port(network_id=net['id'], name='p', device_id='vm-1',
                              device_owner='compute:nova', admin_state_up='True')
    assert port['fixed_ips'] == [{'subnet_id': subnet['id'], 'ip_address': '10.0.0.2'}]
    assert port['status'] == 'DOWN' and port['admin_state_up'] is True
    assert client.show_port(port['id']) == port
    updated = client.update_port(port['id'], name='q', device_id='', admin_state_up=False)
    assert (updated['name'], updated['device_id'], updated['admin_state_up']) == ('q', '', False)
    client.delete_port(port['id'])
    with pytest.raises(exceptions.PortNotFound):
        client.show_port(port['id'])


def test_create_owned_makes_a_port_in_the_callers_transaction(client):
    net, subnet = _net_with_subnet(client)
    ports = client.services.ports
    with client.services.db.writer() as session:
        port = ports.create_owned(session, net['id'], 'network:router_interface', 'r1',
                                  tenant_id='t1', fixed_ips=[{'subnet_id': subnet['id'],
                                                              'ip_address': '10.0.0.1'}])
        assert ports.load(session, [port['id'], UNKNOWN]) == [port]
    assert (port['name'], port['admin_state_up'], port['status']) == ('', True, 'DOWN')
    assert (port['tenant_id'], port['device_id']) == ('t1', 'r1')
    assert ips_of(port) == ['10.0.0.1'] and port['security_groups'] == []
    assert client.show_port(port['id']) == port


def test_port_with_several_fixed_ips(client):
    net, v4 = _net_with_subnet(client)
    other = client.create_subnet(network_id=net['id'], ip_version=4, cidr='10.1.0.0/24')
    port = client.create_port(network_id=net['id'], fixed_ips=[
        {'subnet_id': v4['id']}, {'subnet_id': v4['id']}, {'ip_address': '10.1.0.77'},
        {'subnet_id': other['id'], 'ip_address': '10.1.0.78'}])
    assert sorted(ips_of(port)) == ['10.0.0.2', '10.0.0.3', '10.1.0.77', '10.1.0.78']
    assert {f['subnet_id'] for f in port['fixed_ips'] if f['ip_address'].startswith('10.1.')} \
        == {other['id']}


def test_max_fixed_ips_per_port(make_client):
    client = make_client(max_fixed_ips_per_port=2)
    net, subnet = _net_with_subnet(client)
    with pytest.raises(exceptions.InvalidInput):
        client.create_port(network_id=net['id'], fixed_ips=[{'subnet_id': subnet['id']}] * 3)


def test_fixed_ips_update_keeps_adds_and_releases(client):
    net, subnet = _net_with_subnet(client)
    port = client.create_port(network_id=net['id'], fixed_ips=[
        {'ip_address': '10.0.0.5'}, {'ip_address': '10.0.0.6'}])
    updated = client.update_port(port['id'], fixed_ips=[
        {'ip_address': '10.0.0.6'}, {'subnet_id': subnet['id'], 'ip_address': '10.0.0.9'}])
    assert sorted(ips_of(updated)) == ['10.0.0.6', '10.0.0.9']
    updated = client.update_port(port['id'], fixed_ips=updated['fixed_ips'] + [
        {'subnet_id': subnet['id']}])
    assert sorted(ips_of(updated)) == ['10.0.0.2', '10.0.0.6', '10.0.0.9']
    # 10.0.0.5 was released: it can be taken again, the others cannot.
    assert ips_of(client.create_port(network_id=net['id'], fixed_ips=[
        {'ip_address': '10.0.0.5'}])) == ['10.0.0.5']
    with pytest.raises(exceptions.IpAddressInUse):
        client.create_port(network_id=net['id'], fixed_ips=[{'ip_address': '10.0.0.9'}])
    assert ips_of(client.update_port(port['id'], fixed_ips=[])) == []
    assert ips_of(client.create_port(network_id=net['id'])) == ['10.0.0.2']


def test_fixed_ips_update_failure_changes_nothing(client):
    net, _ = _net_with_subnet(client)
    port = client.create_port(network_id=net['id'], fixed_ips=[{'ip_address': '10.0.0.5'}])
    client.create_port(network_id=net['id'], fixed_ips=[{'ip_address': '10.0.0.7'}])
    with pytest.raises(exceptions.IpAddressInUse):
        client.update_port(port['id'], fixed_ips=[{'ip_address': '10.0.0.7'}])
    assert ips_of(client.show_port(port['id'])) == ['10.0.0.5']


def test_fixed_ips_update_matches_explicit_addresses_first(client):
    net, subnet = _net_with_subnet(client)
    port = client.create_port(network_id=net['id'], fixed_ips=[
        {'ip_address': '10.0.0.5'}, {'ip_address': '10.0.0.6'}])
    updated = client.update_port(port['id'], fixed_ips=[
        {'subnet_id': subnet['id']}, {'ip_address': '10.0.0.5'}])
    assert sorted(ips_of(updated)) == ['10.0.0.5', '10.0.0.6']


def test_fixed_ips_update_keeps_slaac_addresses(client):
    net, v4 = _net_with_subnet(client)
    client.create_subnet(network_id=net['id'], ip_version=6, cidr='2001:db8::/64',
                         ipv6_address_mode='slaac', ipv6_ra_mode='slaac')
    port = client.create_port(network_id=net['id'], mac_address='fa:16:3e:00:00:01')
    updated = client.update_port(port['id'], fixed_ips=[{'ip_address': '10.0.0.9'}])
    assert sorted(ips_of(updated)) == ['10.0.0.9', '2001:db8::f816:3eff:fe00:1']


# ---- tenants ------------------------------------------------------------------------------

def test_tenant_isolation(tenant_a, tenant_b):
    net, subnet = _net_with_subnet(tenant_a)
    port = tenant_a.create_port(network_id=net['id'])
    for call, resource_id, error in [
            (tenant_b.show_network, net['id'], exceptions.NetworkNotFound),
            (tenant_b.delete_network, net['id'], exceptions.NetworkNotFound),
            (tenant_b.show_subnet, subnet['id'], exceptions.SubnetNotFound),
            (tenant_b.delete_subnet, subnet['id'], exceptions.SubnetNotFound),
            (tenant_b.show_port, port['id'], exceptions.PortNotFound),
            (tenant_b.delete_port, port['id'], exceptions.PortNotFound)]:
        with pytest.raises(error):
            call(resource_id)
    with pytest.raises(exceptions.NetworkNotFound):
        tenant_b.update_network(net['id'], name='x')
    with pytest.raises(exceptions.PortNotFound):
        tenant_b.update_port(port['id'], name='x')
    with pytest.raises(exceptions.NetworkNotFound):
        tenant_b.create_port(network_id=net['id'])
    with pytest.raises(exceptions.NetworkNotFound):
        tenant_b.create_subnet(network_id=net['id'], ip_version=4, cidr='10.1.0.0/24')
    assert tenant_b.list_networks() == [] and tenant_b.list_ports() == []
    assert tenant_b.list_subnets() == []
    assert tenant_a.show_network(net['id'])['name'] == ''


def test_shared_network(client, tenant_a, tenant_b):
    net, subnet = _net_with_subnet(tenant_a)
    with pytest.raises(exceptions.PolicyNotAuthorized):
        tenant_a.update_network(net['id'], shared=True)
    client.update_network(net['id'], shared=True)
    assert [n['id'] for n in tenant_b.list_networks()] == [net['id']]
    assert tenant_b.show_subnet(subnet['id'])['cidr'] == '10.0.0.0/24'
    port = tenant_b.create_port(network_id=net['id'])
    assert port['tenant_id'] == 'tenant-b'
    assert tenant_a.show_port(port['id'])['id'] == port['id']   # the network owner sees it
    with pytest.raises(exceptions.PolicyNotAuthorized):
        tenant_b.update_network(net['id'], name='mine')
    with pytest.raises(exceptions.PolicyNotAuthorized):
        tenant_b.delete_network(net['id'])
    with pytest.raises(exceptions.PolicyNotAuthorized):
        tenant_b.create_subnet(network_id=net['id'], ip_version=4, cidr='10.1.0.0/24')
    with pytest.raises(exceptions.InvalidSharedSetting):
        client.update_network(net['id'], shared=False)


def test_tenant_cannot_create_a_shared_network(tenant_b, count_rows):
    with pytest.raises(exceptions.PolicyNotAuthorized):
        tenant_b.create_network(shared=True)
    with pytest.raises(exceptions.PolicyNotAuthorized):
        tenant_b.create_network(shared='True')
    assert count_rows('networks') == 0


@pytest.mark.parametrize('key', ['tenant_id', 'project_id'])
def test_tenant_cannot_act_for_another_tenant(tenant_b, client, key):
    with pytest.raises(exceptions.InvalidInput):
        tenant_b.create_network(**{key: 'tenant-a'})
    assert client.create_network(**{key: 'tenant-a'})['tenant_id'] == 'tenant-a'
    assert tenant_b.create_network(**{key: 'tenant-b'})['project_id'] == 'tenant-b'


# ---- lists --------------------------------------------------------------------------------

@pytest.fixture
def five(client):
    return [client.create_network(name='n%d' % i, admin_state_up=i % 2 == 0,
                                  tenant_id='t%d' % (i % 2)) for i in range(5)]


def _names(items):
    return [i['name'] for i in items]


def test_filters(client, five):
    assert sorted(_names(client.list_networks(name=['n1', 'n3', 'nx']))) == ['n1', 'n3']
    assert sorted(_names(client.list_networks(admin_state_up='False'))) == ['n1', 'n3']
    assert sorted(_names(client.list_networks(project_id='t0'))) == ['n0', 'n2', 'n4']
    assert sorted(_names(client.list_networks(tenant_id=['t1'], name='n3'))) == ['n3']
    with pytest.raises(exceptions.InvalidFilter):
        client.list_networks(colour='red')


def test_fields(client, five):
    items = client.list('networks', fields=['name', 'id'], name='n2')
    assert items == [{'id': five[2]['id'], 'name': 'n2'}]
    assert client.show_network(five[0]['id'], fields=['status']) == {'status': 'ACTIVE'}


def test_sorting(client, five):
    assert _names(client.list('networks', sorts=[('name', False)])) == [
        'n4', 'n3', 'n2', 'n1', 'n0']
    assert _names(client.list('networks', sorts=[('admin_state_up', True), ('name', True)])) \
        == ['n1', 'n3', 'n0', 'n2', 'n4']
    with pytest.raises(exceptions.InvalidSortKey):
        client.list('networks', sorts=[('subnets', True)])


def test_pagination(client, five):
    ctx, sorts = client.context, [('name', True)]
    page, more = client.ops.list(ctx, 'networks', {}, sorts=sorts, limit=2)
    assert (_names(page), more) == (['n0', 'n1'], True)
    page, more = client.ops.list(ctx, 'networks', {}, sorts=sorts, limit=2,
                                 marker=page[-1]['id'])
    assert (_names(page), more) == (['n2', 'n3'], True)
    page, more = client.ops.list(ctx, 'networks', {}, sorts=sorts, limit=2,
                                 marker=page[-1]['id'])
    assert (_names(page), more) == (['n4'], False)
    page, more = client.ops.list(ctx, 'networks', {}, sorts=sorts, limit=2,
                                 marker=five[3]['id'], page_reverse=True)
    assert (_names(page), more) == (['n1', 'n2'], True)
    with pytest.raises(exceptions.MarkerNotFound):
        client.ops.list(ctx, 'networks', {}, limit=2, marker=UNKNOWN)


def test_pagination_max_limit(make_client):
    client = make_client(pagination_max_limit=2)
    for i in range(3):
        client.create_network(name='n%d' % i)
    page, more = client.ops.list(client.context, 'networks', {}, limit=10)
    assert len(page) == 2 and more is True


def test_port_and_subnet_filters(client):
    net, subnet = _net_with_subnet(client)
    other, _ = _net_with_subnet(client, '10.1.0.0/24')
    client.create_port(network_id=net['id'], device_owner='compute:nova')
    client.create_port(network_id=other['id'])
    assert len(client.list_ports(network_id=net['id'])) == 1
    assert len(client.list_ports(device_owner=['compute:nova', 'network:dhcp'])) == 1
    assert [s['id'] for s in client.list_subnets(network_id=net['id'], ip_version='4')] == [
        subnet['id']]


def test_fixed_ips_filter(client):
    net, subnet = _net_with_subnet(client)
    ports = [client.create_port(network_id=net['id']) for _ in range(3)]
    found = client.list_ports(fixed_ips=['ip_address=10.0.0.3', 'ip_address=10.0.0.4'])
    assert sorted(p['id'] for p in found) == sorted(p['id'] for p in ports[1:])
    assert len(client.list_ports(fixed_ips=['subnet_id=%s' % subnet['id']])) == 3


# ---- bulk ---------------------------------------------------------------------------------

def test_bulk_create(client):
    nets = client.create_bulk('networks', [{'name': 'a'}, {'name': 'b'}])
    assert _names(nets) == ['a', 'b']


@pytest.mark.parametrize('collection, items', [
    ('networks', [{'name': 'a'}, {'name': 'b', 'admin_state_up': 'maybe'}]),
    ('networks', [{'name': 'a'}, {'name': 'b', 'colour': 'red'}]),
    ('subnets', [{'ip_version': 4, 'cidr': '10.0.0.0/24'},
                 {'ip_version': 4, 'cidr': '10.0.0.0/25'}]),
    ('ports', [{}, {'fixed_ips': [{'ip_address': '10.9.0.5'}]}]),
    ('ports', [{'fixed_ips': [{'ip_address': '10.0.0.5'}]},
               {'fixed_ips': [{'ip_address': '10.0.0.5'}]}]),
])
def test_bulk_create_is_all_or_nothing(client, count_rows, collection, items):
    net, subnet = _net_with_subnet(client, '10.0.0.0/24')
    if collection == 'subnets':
        client.delete_subnet(subnet['id'])
    if collection != 'networks':
        items = [dict(item, network_id=net['id']) for item in items]
    before = {t: count_rows(t) for t in ('networks', 'subnets', 'ports', 'ipallocations')}
    with pytest.raises(exceptions.NetmgrException):
        client.create_bulk(collection, items)
    assert {t: count_rows(t) for t in before} == before
