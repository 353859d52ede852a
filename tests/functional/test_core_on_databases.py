"""The core API end to end on SQLite, MariaDB and PostgreSQL, through netmgr.client.Client.

Every test runs once per backend (the ``database`` fixture is parametrized over the three);
select one with ``-k sqlite``, ``-k mysql`` or ``-k postgresql``. The point is that the database
layer behaves the same everywhere: constraints, transactions and rollbacks, NULLs, collations
(MariaDB's default utf8mb4_general_ci compares case-insensitively and ignores trailing spaces),
and keyset pagination.
"""

import netaddr
import pytest
import sqlalchemy as sa

from netmgr import conf as nm_conf
from netmgr import context as nm_context
from netmgr.db.models import core as models
from netmgr import exceptions
from netmgr import wiring

pytestmark = pytest.mark.functional

ALLOCS = models.IPAllocation.__table__
RANGES = models.AvailabilityRange.__table__
PORTS = models.Port.__table__
NETWORKS = models.Network.__table__
SUBNETS = models.Subnet.__table__


@pytest.fixture
def admin(database):
    return wiring.build_client(nm_conf.new_conf(), nm_context.admin_context('admin'),
                               db=database)


def _count(database, table, **where):
    with database.reader() as session:
        stmt = sa.select(sa.func.count()).select_from(table)
        for column, value in where.items():
            stmt = stmt.where(table.c[column] == value)
        return session.scalar(stmt)


def _ranges(database, subnet_id):
    with database.reader() as session:
        return [(str(netaddr.IPAddress(int(f, 16))), str(netaddr.IPAddress(int(l, 16))))
                for f, l in session.execute(
                    sa.select(RANGES.c.first_key, RANGES.c.last_key)
                    .where(RANGES.c.subnet_id == subnet_id).order_by(RANGES.c.first_key))]


def _ip(port, subnet_id=None):
    ips = [f['ip_address'] for f in port['fixed_ips']
           if subnet_id is None or f['subnet_id'] == subnet_id]
    assert len(ips) == 1, port['fixed_ips']
    return ips[0]


# ---- CRUD -----------------------------------------------------------------------------------

def test_network_subnet_port_crud(admin, database):
    net = admin.create_network(name='crud', admin_state_up=True)
    assert net['subnets'] == [] and net['status'] == 'ACTIVE' and net['shared'] is False
    v4 = admin.create_subnet(
        network_id=net['id'], ip_version=4, cidr='10.1.0.0/24', name='v4',
        allocation_pools=[{'start': '10.1.0.10', 'end': '10.1.0.19'},
                          {'start': '10.1.0.100', 'end': '10.1.0.100'}],
        dns_nameservers=['8.8.8.8', '1.1.1.1'],
        host_routes=[{'destination': '192.168.0.0/16', 'nexthop': '10.1.0.254'}])
    assert v4['gateway_ip'] == '10.1.0.1'
    assert v4['allocation_pools'] == [{'start': '10.1.0.10', 'end': '10.1.0.19'},
                                      {'start': '10.1.0.100', 'end': '10.1.0.100'}]
    assert v4['dns_nameservers'] == ['8.8.8.8', '1.1.1.1']
    assert admin.count_free_ips(v4['id']) == 11
    v6 = admin.create_subnet(network_id=net['id'], ip_version=6, cidr='2001:db8:1::/64',
                             ipv6_address_mode='dhcpv6-stateful',
                             ipv6_ra_mode='dhcpv6-stateful')
    assert v6['gateway_ip'] == '2001:db8:1::1'
    assert v6['allocation_pools'] == [{'start': '2001:db8:1::2',
                                       'end': '2001:db8:1:0:ffff:ffff:ffff:ffff'}]
    slaac = admin.create_subnet(network_id=net['id'], ip_version=6, cidr='2001:db8:2::/64',
                                ipv6_address_mode='slaac', ipv6_ra_mode='slaac')
    assert admin.show_network(net['id'])['subnets'] == [v4['id'], v6['id'], slaac['id']]

    port = admin.create_port(network_id=net['id'], name='p1', device_id='vm-1',
                             device_owner='compute:nova')
    assert _ip(port, v4['id']) == '10.1.0.10'
    assert _ip(port, v6['id']) == '2001:db8:1::2'
    assert _ip(port, slaac['id']) == str(
        netaddr.EUI(port['mac_address']).ipv6(netaddr.IPNetwork('2001:db8:2::/64').first))
    shown = admin.show_port(port['id'])
    assert dict(shown, fixed_ips=None) == dict(port, fixed_ips=None)
    assert sorted(shown['fixed_ips'], key=str) == sorted(port['fixed_ips'], key=str)
    assert admin.count_free_ips(v4['id']) == 10

    updated = admin.update_port(port['id'], name='p1b', admin_state_up=False, device_id='')
    assert (updated['name'], updated['admin_state_up'], updated['device_id']) == \
        ('p1b', False, '')
    assert sorted(updated['fixed_ips'], key=str) == sorted(port['fixed_ips'], key=str)
    admin.update_network(net['id'], name='crud2')
    assert admin.show_network(net['id'])['name'] == 'crud2'
    sub = admin.update_subnet(v4['id'], name='v4b', dns_nameservers=['9.9.9.9'],
                              allocation_pools=[{'start': '10.1.0.10', 'end': '10.1.0.30'}])
    assert sub['dns_nameservers'] == ['9.9.9.9'] and sub['name'] == 'v4b'
    assert admin.count_free_ips(v4['id']) == 20   # 21 addresses, one held by the port

    admin.delete_port(port['id'])
    with pytest.raises(exceptions.PortNotFound):
        admin.show_port(port['id'])
    assert admin.count_free_ips(v4['id']) == 21
    assert _ranges(database, v4['id']) == [('10.1.0.10', '10.1.0.30')]
    admin.delete_subnet(v6['id'])
    assert admin.show_network(net['id'])['subnets'] == [v4['id'], slaac['id']]
    admin.delete_network(net['id'])
    with pytest.raises(exceptions.NetworkNotFound):
        admin.show_network(net['id'])
    for table in (NETWORKS, SUBNETS, PORTS, ALLOCS, RANGES):
        assert _count(database, table) == 0, table.name


# ---- lists ------------------------------------------------------------------------------------

def _all_pages(admin, collection, limit, sorts=(), reverse=False, **filters):
    """Walk a list page by page (as the *_links would) and return the ids seen in order."""
    seen, marker = [], None
    for _ in range(100):
        page, more = admin.ops.list(admin.context, collection,
                                    {k: v if isinstance(v, list) else [v]
                                     for k, v in filters.items()},
                                    None, list(sorts), limit, marker, reverse)
        if reverse:
            seen[:0] = [item['id'] for item in page]
        else:
            seen.extend(item['id'] for item in page)
        if not more:
            return seen
        marker = page[0]['id'] if reverse else page[-1]['id']
    raise AssertionError('pagination does not end')


def test_list_filters_sorting_and_pagination(admin):
    names = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'bravo']
    nets = [admin.create_network(name=n, admin_state_up=(i % 2 == 0))
            for i, n in enumerate(names)]
    by_name = {}
    for net in nets:
        by_name.setdefault(net['name'], []).append(net['id'])

    assert sorted(n['id'] for n in admin.list_networks(name='bravo')) == sorted(by_name['bravo'])
    assert sorted(n['id'] for n in admin.list_networks(name=['alpha', 'echo'])) == \
        sorted(by_name['alpha'] + by_name['echo'])
    assert [n['id'] for n in admin.list_networks(id=[nets[0]['id'], nets[0]['id']])] == \
        [nets[0]['id']]
    assert {n['name'] for n in admin.list_networks(admin_state_up='False')} == \
        {'bravo', 'delta'}
    assert admin.list_networks(name='nope') == []
    only = admin.list_networks(name='alpha', fields=['id', 'name'])
    assert only == [{'id': nets[0]['id'], 'name': 'alpha'}]

    expected = [n['id'] for n in sorted(nets, key=lambda n: (n['name'], n['id']))]
    assert [n['id'] for n in admin.list_networks(sorts=[('name', True)])] == expected
    # Descending name, ascending id among equal names.
    desc = [n['id'] for n in sorted(sorted(nets, key=lambda n: n['id']),
                                    key=lambda n: n['name'], reverse=True)]
    assert [n['id'] for n in admin.list_networks(sorts=[('name', False)])] == desc

    for limit in (1, 2, 4, 10):
        assert _all_pages(admin, 'networks', limit, [('name', True)]) == expected
        assert _all_pages(admin, 'networks', limit, [('name', False)]) == desc
        assert _all_pages(admin, 'networks', limit, [('name', True)], reverse=True) == expected
    assert _all_pages(admin, 'networks', 2) == sorted(n['id'] for n in nets)
    assert _all_pages(admin, 'networks', 2, [('admin_state_up', True), ('name', False)]) == [
        n['id'] for n in sorted(sorted(sorted(nets, key=lambda n: n['id']),
                                       key=lambda n: n['name'], reverse=True),
                                key=lambda n: n['admin_state_up'])]
    with pytest.raises(exceptions.MarkerNotFound):
        admin.list_networks(limit=1, marker='00000000-0000-0000-0000-000000000000')
    with pytest.raises(exceptions.InvalidSortKey):
        admin.list_networks(sorts=[('subnets', True)])

    # Ports: filters on device and fixed IPs, sorting on created_at.
    net = nets[0]
    subnet = admin.create_subnet(network_id=net['id'], ip_version=4, cidr='10.2.0.0/24')
    ports = [admin.create_port(network_id=net['id'], device_id='dev-%d' % (i % 3),
                               device_owner='compute:nova') for i in range(7)]
    assert sorted(p['id'] for p in admin.list_ports(device_id='dev-1')) == \
        sorted(p['id'] for p in ports[1::3])
    target = ports[4]
    assert [p['id'] for p in admin.list_ports(
        fixed_ips=['ip_address=%s' % _ip(target)])] == [target['id']]
    assert [p['id'] for p in admin.list_ports(
        fixed_ips=['ip_address=%s' % _ip(target), 'subnet_id=%s' % subnet['id']])] == \
        [target['id']]
    assert len(admin.list_ports(fixed_ips=['subnet_id=%s' % subnet['id']])) == 7
    assert admin.list_ports(fixed_ips=['ip_address=10.2.0.250']) == []
    created = [p['id'] for p in admin.list_ports(sorts=[('created_at', True)])]
    assert created == [p['id'] for p in ports]
    assert _all_pages(admin, 'ports', 3, [('created_at', False)]) == created[::-1]
    assert _all_pages(admin, 'ports', 3, [('device_id', True)], device_owner='compute:nova') \
        == [p['id'] for p in sorted(sorted(ports, key=lambda p: p['id']),
                                    key=lambda p: p['device_id'])]


def test_pagination_over_a_nullable_sort_key(admin):
    """Subnets sorted by gateway_ip, some without a gateway (NULL): every page walk must
    return every subnet exactly once, in the order of the unpaged list."""
    net = admin.create_network(name='n')
    for i in range(6):
        admin.create_subnet(network_id=net['id'], ip_version=4, cidr='10.3.%d.0/24' % i,
                            gateway_ip=None if i % 2 else '10.3.%d.1' % i)
    full = [s['id'] for s in admin.list_subnets(sorts=[('gateway_ip', True)])]
    assert len(full) == 6
    for limit in (1, 2, 4):
        assert _all_pages(admin, 'subnets', limit, [('gateway_ip', True)]) == full


# ---- fixed IPs --------------------------------------------------------------------------------

def test_fixed_ips_update_and_release(admin, database):
    net = admin.create_network(name='f')
    s1 = admin.create_subnet(network_id=net['id'], ip_version=4, cidr='10.4.0.0/28')
    s2 = admin.create_subnet(network_id=net['id'], ip_version=4, cidr='10.4.1.0/28')
    free1, free2 = admin.count_free_ips(s1['id']), admin.count_free_ips(s2['id'])
    assert (free1, free2) == (13, 13)

    port = admin.create_port(network_id=net['id'],
                             fixed_ips=[{'subnet_id': s1['id'], 'ip_address': '10.4.0.7'}])
    assert port['fixed_ips'] == [{'subnet_id': s1['id'], 'ip_address': '10.4.0.7'}]
    assert _ranges(database, s1['id']) == [('10.4.0.2', '10.4.0.6'), ('10.4.0.8', '10.4.0.14')]

    # Keep 10.4.0.7, add one from s2 and a specific one from s1.
    port = admin.update_port(port['id'], fixed_ips=[
        {'subnet_id': s1['id'], 'ip_address': '10.4.0.7'}, {'subnet_id': s2['id']},
        {'ip_address': '10.4.0.9'}])
    assert sorted(f['ip_address'] for f in port['fixed_ips']) == \
        ['10.4.0.7', '10.4.0.9', '10.4.1.2']
    assert admin.count_free_ips(s1['id']) == free1 - 2
    assert admin.count_free_ips(s2['id']) == free2 - 1

    # Replace: release 10.4.0.7 and 10.4.1.2, keep 10.4.0.9.
    port = admin.update_port(port['id'], fixed_ips=[{'ip_address': '10.4.0.9'}])
    assert port['fixed_ips'] == [{'subnet_id': s1['id'], 'ip_address': '10.4.0.9'}]
    assert admin.show_port(port['id'])['fixed_ips'] == port['fixed_ips']
    assert admin.count_free_ips(s1['id']) == free1 - 1
    assert admin.count_free_ips(s2['id']) == free2
    assert _ranges(database, s2['id']) == [('10.4.1.2', '10.4.1.14')]
    # The released address is usable again at once.
    other = admin.create_port(network_id=net['id'],
                              fixed_ips=[{'subnet_id': s1['id'], 'ip_address': '10.4.0.7'}])
    assert _ip(other) == '10.4.0.7'

    # A failing update changes nothing.
    with pytest.raises(exceptions.IpAddressInUse):
        admin.update_port(port['id'], fixed_ips=[{'ip_address': '10.4.0.7'}])
    assert admin.show_port(port['id'])['fixed_ips'] == port['fixed_ips']
    assert admin.count_free_ips(s1['id']) == free1 - 2

    # No fixed IPs at all; then deleting releases everything.
    assert admin.update_port(port['id'], fixed_ips=[])['fixed_ips'] == []
    admin.delete_port(other['id'])
    admin.delete_port(port['id'])
    assert _count(database, ALLOCS) == 0
    assert _ranges(database, s1['id']) == [('10.4.0.2', '10.4.0.14')]


def test_fixed_ips_order_is_stable(admin):
    net = admin.create_network(name='order')
    subnet = admin.create_subnet(network_id=net['id'], ip_version=4, cidr='10.4.2.0/24')
    port = admin.create_port(network_id=net['id'], fixed_ips=[
        {'subnet_id': subnet['id'], 'ip_address': '10.4.2.20'},
        {'subnet_id': subnet['id'], 'ip_address': '10.4.2.10'}])
    assert [ip['ip_address'] for ip in port['fixed_ips']] == ['10.4.2.10', '10.4.2.20']
    assert admin.show_port(port['id'])['fixed_ips'] == port['fixed_ips']
    assert admin.list_ports(id=port['id'])[0]['fixed_ips'] == port['fixed_ips']


def test_in_use_and_conflict_errors(admin, database):
    net = admin.create_network(name='busy')
    subnet = admin.create_subnet(network_id=net['id'], ip_version=4, cidr='10.5.0.0/29')
    port = admin.create_port(network_id=net['id'], device_owner='compute:nova')
    with pytest.raises(exceptions.NetworkInUse):
        admin.delete_network(net['id'])
    with pytest.raises(exceptions.SubnetInUse):
        admin.delete_subnet(subnet['id'])
    with pytest.raises(exceptions.IpAddressInUse):
        admin.create_port(network_id=net['id'], fixed_ips=[{'ip_address': _ip(port)}])
    with pytest.raises(exceptions.IpAddressInUse):       # the gateway, for an ordinary port
        admin.create_port(network_id=net['id'], fixed_ips=[{'ip_address': '10.5.0.1'}])
    with pytest.raises(exceptions.InvalidIpForSubnet):   # the broadcast address
        admin.create_port(network_id=net['id'], fixed_ips=[{'ip_address': '10.5.0.7'}])
    with pytest.raises(exceptions.InvalidIpForNetwork):
        admin.create_port(network_id=net['id'], fixed_ips=[{'ip_address': '10.9.0.7'}])
    with pytest.raises(exceptions.NetworkNotFound):
        admin.create_port(network_id='00000000-0000-0000-0000-000000000000')
    with pytest.raises(exceptions.InvalidInput):          # overlapping CIDR on one network
        admin.create_subnet(network_id=net['id'], ip_version=4, cidr='10.5.0.0/24')
    for _ in range(4):                                    # /29: 5 usable, one taken
        admin.create_port(network_id=net['id'])
    with pytest.raises(exceptions.IpAddressGenerationFailure):
        admin.create_port(network_id=net['id'])
    assert _count(database, PORTS) == 5 and _count(database, ALLOCS) == 5
    # The DHCP port does not keep a network or subnet busy.
    net2 = admin.create_network(name='dhcp-only')
    sub2 = admin.create_subnet(network_id=net2['id'], ip_version=4, cidr='10.6.0.0/24')
    admin.create_port(network_id=net2['id'], device_owner='network:dhcp')
    admin.delete_subnet(sub2['id'])
    admin.delete_network(net2['id'])
    assert _count(database, NETWORKS) == 1


def test_bulk_create_rolls_back_as_a_whole(admin, database):
    net = admin.create_network(name='bulk')
    subnet = admin.create_subnet(network_id=net['id'], ip_version=4, cidr='10.7.0.0/24')
    taken = admin.create_port(network_id=net['id'])
    before = admin.count_free_ips(subnet['id'])
    ranges = _ranges(database, subnet['id'])
    with pytest.raises(exceptions.IpAddressInUse):
        admin.create_bulk('ports', [
            {'network_id': net['id'], 'name': 'b1'},
            {'network_id': net['id'], 'name': 'b2', 'mac_address': 'fa:16:3e:00:00:01'},
            {'network_id': net['id'], 'name': 'b3', 'fixed_ips': [{'ip_address': _ip(taken)}]}])
    assert _count(database, PORTS) == 1 and _count(database, ALLOCS) == 1
    assert admin.count_free_ips(subnet['id']) == before
    assert _ranges(database, subnet['id']) == ranges
    # The MAC of the rolled-back port is free again.
    admin.create_port(network_id=net['id'], mac_address='fa:16:3e:00:00:01')

    with pytest.raises(exceptions.InvalidInput):       # the second subnet overlaps the first
        admin.create_bulk('subnets', [
            {'network_id': net['id'], 'ip_version': 4, 'cidr': '10.8.0.0/24'},
            {'network_id': net['id'], 'ip_version': 4, 'cidr': '10.8.0.128/25'}])
    assert [s['cidr'] for s in admin.list_subnets()] == ['10.7.0.0/24']
    assert _count(database, RANGES, subnet_id=subnet['id']) == len(ranges)
    assert _count(database, RANGES) == len(ranges)

    made = admin.create_bulk('ports', [{'network_id': net['id']} for _ in range(5)])
    assert len({_ip(p) for p in made}) == 5
    assert _count(database, PORTS) == 7


# ---- MAC addresses and collations -----------------------------------------------------------

def test_mac_address_uniqueness_ignores_case_and_format(admin, database):
    net = admin.create_network(name='mac')
    admin.create_subnet(network_id=net['id'], ip_version=4, cidr='10.9.0.0/24')
    port = admin.create_port(network_id=net['id'], mac_address='fa:16:3e:ab:cd:ef')
    assert port['mac_address'] == 'fa:16:3e:ab:cd:ef'
    for spelling in ('FA:16:3E:AB:CD:EF', 'fa-16-3e-ab-cd-ef', 'Fa:16:3e:Ab:cD:eF'):
        with pytest.raises(exceptions.MacAddressInUse):
            admin.create_port(network_id=net['id'], mac_address=spelling)
    upper = admin.create_port(network_id=net['id'], mac_address='FA:16:3E:00:11:22')
    assert upper['mac_address'] == 'fa:16:3e:00:11:22'
    assert [p['id'] for p in admin.list_ports(mac_address='fa:16:3e:00:11:22')] == \
        [upper['id']]
    # The same MAC on another network is fine.
    other = admin.create_network(name='mac2')
    admin.create_subnet(network_id=other['id'], ip_version=4, cidr='10.9.0.0/24')
    admin.create_port(network_id=other['id'], mac_address='FA:16:3E:AB:CD:EF')
    assert _count(database, PORTS) == 3


def test_names_differing_only_in_case_paginate_correctly(admin):
    """Whatever the collation, keyset pagination must agree with the database's own order."""
    for name in ('net', 'Net', 'NET', 'net', 'nET', 'other'):
        admin.create_network(name=name)
    full = [n['id'] for n in admin.list_networks(sorts=[('name', True)])]
    assert len(full) == 6
    for limit in (1, 2, 5):
        assert _all_pages(admin, 'networks', limit, [('name', True)]) == full
        assert _all_pages(admin, 'networks', limit, [('name', False)]) == \
            [n['id'] for n in admin.list_networks(sorts=[('name', False)])]


def test_name_filter_is_case_sensitive(admin):
    lower = admin.create_network(name='net')
    upper = admin.create_network(name='Net')
    padded = admin.create_network(name='net ')
    assert [n['id'] for n in admin.list_networks(name='Net')] == [upper['id']]
    assert [n['id'] for n in admin.list_networks(name='net')] == [lower['id']]
    assert [n['id'] for n in admin.list_networks(name='net ')] == [padded['id']]


def test_tenant_scope_is_exact(admin):
    """Projects 'acme' and 'ACME' are two tenants (noauth takes X-Project-Id verbatim)."""
    acme = admin.as_context(nm_context.tenant_context('acme'))
    other = admin.as_context(nm_context.tenant_context('ACME'))
    net = acme.create_network(name='private')
    assert other.list_networks() == []
    with pytest.raises(exceptions.NetworkNotFound):
        other.show_network(net['id'])


# ---- tenants ------------------------------------------------------------------------------

def test_tenant_isolation(admin, database):
    a = admin.as_context(nm_context.tenant_context('tenant-a'))
    b = admin.as_context(nm_context.tenant_context('tenant-b'))
    net_a = a.create_network(name='a-net')
    sub_a = a.create_subnet(network_id=net_a['id'], ip_version=4, cidr='10.10.0.0/24')
    port_a = a.create_port(network_id=net_a['id'])
    assert net_a['tenant_id'] == port_a['tenant_id'] == 'tenant-a'

    assert b.list_networks() == [] and b.list_subnets() == [] and b.list_ports() == []
    assert b.list_networks(name='a-net') == []
    for show, item in ((b.show_network, net_a), (b.show_subnet, sub_a),
                       (b.show_port, port_a)):
        with pytest.raises(exceptions.NotFound):
            show(item['id'])
    with pytest.raises(exceptions.NotFound):
        b.delete_port(port_a['id'])
    with pytest.raises(exceptions.NotFound):
        b.update_network(net_a['id'], name='stolen')
    with pytest.raises(exceptions.NotFound):
        b.create_port(network_id=net_a['id'])
    with pytest.raises(exceptions.InvalidInput):
        b.create_network(name='x', tenant_id='tenant-a')

    # A shared network: B sees it and may plug into it; A, the owner, sees B's port.
    shared = admin.create_network(name='public', shared=True, tenant_id='tenant-a')
    shared_sub = admin.create_subnet(network_id=shared['id'], ip_version=4,
                                     cidr='10.11.0.0/24', tenant_id='tenant-a')
    assert [n['id'] for n in b.list_networks()] == [shared['id']]
    assert [s['id'] for s in b.list_subnets()] == [shared_sub['id']]
    port_b = b.create_port(network_id=shared['id'])
    assert port_b['tenant_id'] == 'tenant-b'
    assert [p['id'] for p in b.list_ports()] == [port_b['id']]
    assert sorted(p['id'] for p in a.list_ports()) == sorted([port_a['id'], port_b['id']])
    with pytest.raises(exceptions.PolicyNotAuthorized):
        b.create_port(network_id=shared['id'], fixed_ips=[{'ip_address': '10.11.0.50'}])
    with pytest.raises(exceptions.PolicyNotAuthorized):
        b.delete_subnet(shared_sub['id'])
    with pytest.raises(exceptions.InvalidSharedSetting):
        admin.update_network(shared['id'], shared=False)
    assert {n['id'] for n in admin.list_networks()} == {net_a['id'], shared['id']}
    assert _count(database, PORTS) == 2
