"""IPAM (netmgr/ipam/db_backend.py) through the core services, and directly on a session."""

import netaddr
import pytest

from netmgr import constants as const
from netmgr.db.models import core as models
from netmgr import exceptions
from netmgr.ipam import requests
from tests.unit.conftest import ips_of


def _port(client, subnet, **attrs):
    return client.create_port(network_id=subnet['network_id'], **attrs)


def _port_at(client, subnet, address, **attrs):
    return _port(client, subnet, fixed_ips=[{'ip_address': address}], **attrs)


def _ranges(netdb, subnet_id):
    table = models.AvailabilityRange.__table__
    with netdb.reader() as session:
        return [(int(f, 16), int(l, 16)) for f, l in session.execute(
            table.select().with_only_columns(table.c.first_key, table.c.last_key)
            .where(table.c.subnet_id == subnet_id).order_by(table.c.first_key))]


# ---- IPv4 allocation --------------------------------------------------------------------

def test_allocation_is_lowest_first(client, make_subnet):
    subnet = make_subnet('10.0.0.0/24')
    assert subnet['gateway_ip'] == '10.0.0.1'
    assert [ips_of(_port(client, subnet)) for _ in range(3)] == [
        ['10.0.0.2'], ['10.0.0.3'], ['10.0.0.4']]


def test_specific_ip_inside_pool_is_skipped_by_later_allocations(client, make_subnet):
    subnet = make_subnet('10.0.0.0/24')
    assert ips_of(_port_at(client, subnet, '10.0.0.3')) == ['10.0.0.3']
    assert [ips_of(_port(client, subnet)) for _ in range(2)] == [['10.0.0.2'], ['10.0.0.4']]


def test_specific_ip_outside_pools_but_inside_cidr(client, make_subnet):
    subnet = make_subnet('10.0.0.0/24', allocation_pools=[{'start': '10.0.0.10',
                                                           'end': '10.0.0.20'}])
    free = client.count_free_ips(subnet['id'])
    port = _port_at(client, subnet, '10.0.0.200')
    assert ips_of(port) == ['10.0.0.200']
    assert client.count_free_ips(subnet['id']) == free
    client.delete_port(port['id'])
    assert client.count_free_ips(subnet['id']) == free      # never joins the pools
    assert ips_of(_port_at(client, subnet, '10.0.0.200')) == ['10.0.0.200']


def test_ip_in_use(client, make_subnet):
    subnet = make_subnet('10.0.0.0/24')
    _port_at(client, subnet, '10.0.0.7')
    with pytest.raises(exceptions.IpAddressInUse):
        _port_at(client, subnet, '10.0.0.7')
    _port_at(client, subnet, '10.0.0.250')
    with pytest.raises(exceptions.IpAddressInUse):
        _port_at(client, subnet, '10.0.0.250')


def test_gateway_refused_to_ordinary_ports(client, make_subnet):
    subnet = make_subnet('10.0.0.0/24')
    with pytest.raises(exceptions.IpAddressInUse):
        _port_at(client, subnet, '10.0.0.1', device_owner='compute:nova')


@pytest.mark.parametrize('owner', sorted(const.GATEWAY_OWNERS))
def test_gateway_allowed_to_router_ports(client, make_subnet, owner):
    subnet = make_subnet('10.0.0.0/24')
    assert ips_of(_port_at(client, subnet, '10.0.0.1', device_owner=owner)) == ['10.0.0.1']
    with pytest.raises(exceptions.IpAddressInUse):
        _port_at(client, subnet, '10.0.0.1', device_owner=owner)


@pytest.mark.parametrize('address', ['10.0.0.0', '10.0.0.255'])
def test_network_and_broadcast_refused(client, make_subnet, address):
    subnet = make_subnet('10.0.0.0/24')
    with pytest.raises(exceptions.InvalidIpForSubnet):
        _port_at(client, subnet, address, device_owner=const.DEVICE_OWNER_ROUTER_INTF)


def test_ip_of_another_cidr(client, make_subnet):
    subnet = make_subnet('10.0.0.0/24')
    with pytest.raises(exceptions.InvalidIpForNetwork):
        _port_at(client, subnet, '10.0.1.5')
    with pytest.raises(exceptions.InvalidIpForSubnet):
        _port(client, subnet, fixed_ips=[{'subnet_id': subnet['id'],
                                          'ip_address': '10.0.1.5'}])


def test_release_and_reuse(client, make_subnet):
    subnet = make_subnet('10.0.0.0/24')
    ports = [_port(client, subnet) for _ in range(3)]
    client.delete_port(ports[1]['id'])
    assert ips_of(_port(client, subnet)) == ['10.0.0.3']
    assert ips_of(_port(client, subnet)) == ['10.0.0.5']


def test_released_addresses_merge_into_one_range(client, netdb, make_subnet):
    subnet = make_subnet('10.0.0.0/24')
    ports = [_port(client, subnet) for _ in range(40)]
    for port in ports[::2] + ports[1::2]:          # interleaved: holes, then fill them
        client.delete_port(port['id'])
    full = netaddr.IPNetwork('10.0.0.0/24')
    assert _ranges(netdb, subnet['id']) == [(full.first + 2, full.last - 1)]
    assert client.count_free_ips(subnet['id']) == 253


def test_range_rows_stay_few_across_allocate_release_cycles(client, netdb, make_subnet):
    subnet = make_subnet('10.0.0.0/24')
    kept = []
    for cycle in range(6):
        batch = [_port(client, subnet) for _ in range(10)]
        kept.append(batch.pop(cycle))
        for port in reversed(batch):
            client.delete_port(port['id'])
    # 6 kept addresses cut the pool into at most 7 free runs.
    assert len(_ranges(netdb, subnet['id'])) <= 7
    assert client.count_free_ips(subnet['id']) == 253 - 6


def test_exhaustion_leaves_nothing_behind(client, make_subnet, count_rows):
    subnet = make_subnet('10.0.0.0/29')               # .2 - .6 are usable
    assert [ips_of(_port(client, subnet))[0] for _ in range(5)] == [
        '10.0.0.%d' % i for i in range(2, 7)]
    with pytest.raises(exceptions.IpAddressGenerationFailure) as info:
        _port(client, subnet)
    assert info.value.kwargs['net_id'] == subnet['network_id']
    assert count_rows('ports') == 5
    assert count_rows('ipallocations') == 5
    assert client.count_free_ips(subnet['id']) == 0


def test_exhausted_subnet_falls_back_to_the_next_one(client, make_subnet):
    first = make_subnet('10.0.0.0/30')                # only .2
    client.create_subnet(network_id=first['network_id'], ip_version=4, cidr='10.0.1.0/24')
    assert ips_of(_port(client, first)) == ['10.0.0.2']
    assert ips_of(_port(client, first)) == ['10.0.1.2']


def test_failed_bulk_port_create_releases_everything(client, make_subnet, count_rows):
    subnet = make_subnet('10.0.0.0/29')
    with pytest.raises(exceptions.IpAddressInUse):
        client.create_bulk('ports', [
            {'network_id': subnet['network_id'], 'fixed_ips': [{'ip_address': '10.0.0.4'}]},
            {'network_id': subnet['network_id'], 'fixed_ips': [{'ip_address': '10.0.0.4'}]}])
    assert count_rows('ports') == 0 and count_rows('ipallocations') == 0
    assert client.count_free_ips(subnet['id']) == 5


def test_lost_race_reruns_the_whole_call(client, make_subnet, count_rows):
    subnet = make_subnet('10.0.0.0/24')
    ipam = client.services.ipam
    real, calls = ipam.allocate, []

    def allocate_then_lose(session, request, port_id):
        address = real(session, request, port_id)
        calls.append(str(address))
        if len(calls) == 1:
            raise exceptions.RetryRequest(reason='simulated lost compare-and-swap')
        return address

    ipam.allocate = allocate_then_lose
    assert ips_of(_port(client, subnet)) == ['10.0.0.2']   # the first try was rolled back
    assert calls == ['10.0.0.2', '10.0.0.2']
    assert count_rows('ports') == 1 and count_rows('ipallocations') == 1


def test_race_lost_every_time_is_503_and_leaves_nothing(make_client, count_rows):
    client = make_client(**{'database.api_retries': 1})
    net = client.create_network()
    client.create_subnet(network_id=net['id'], ip_version=4, cidr='10.0.0.0/24')

    def always_lose(*_args):
        raise exceptions.RetryRequest(reason='simulated')

    client.services.ipam.allocate = always_lose
    with pytest.raises(exceptions.ServiceUnavailable):
        client.create_port(network_id=net['id'])
    assert count_rows('ports', on=client) == 0


# ---- O(1) allocation: statements per allocation do not grow with the subnet -------------

def _statements_per_port(client, statements, subnet, n=50):
    with statements() as counter:
        for _ in range(n):
            _port(client, subnet)
    return counter.count / n


def test_allocation_cost_does_not_depend_on_subnet_size(client, make_subnet, statements):
    client.services.quotas.update(client.context, client.context.tenant_id, {'port': -1})
    small = make_subnet('10.0.0.0/24')
    huge = make_subnet('11.0.0.0/8')
    v6 = make_subnet('2001:db8::/64', ipv6_address_mode=const.IPV6_DHCPV6_STATEFUL)
    cost_small = _statements_per_port(client, statements, small)
    assert 3 <= cost_small < 25                       # the listener sees the statements
    # 200 addresses of a /8, 50 at a time: no batch costs more than the /24 did.
    for _batch in range(4):
        assert _statements_per_port(client, statements, huge) <= cost_small + 1
    assert _statements_per_port(client, statements, v6) <= cost_small + 1
    assert client.count_free_ips(huge['id']) == 2 ** 24 - 3 - 200


def test_subnet_creation_cost_does_not_depend_on_size(make_subnet, statements, count_rows):
    with statements() as small:
        make_subnet('10.0.0.0/24')
    with statements() as huge:
        huge_subnet = make_subnet('11.0.0.0/8')
    with statements() as v6:
        v6_subnet = make_subnet('2001:db8::/64')
    assert small.count >= 3
    assert huge.count <= small.count + 1 and v6.count <= small.count + 1
    # Free space is kept as ranges, not one row per address.
    for subnet in (huge_subnet, v6_subnet):
        assert count_rows('ipam_availability_ranges', subnet_id=subnet['id']) == 1


def test_huge_subnet_counts_free_addresses_without_enumerating(client, make_subnet):
    subnet = make_subnet('11.0.0.0/8')
    _port(client, subnet)
    assert client.count_free_ips(subnet['id']) == 2 ** 24 - 3 - 1


# ---- IPv6 --------------------------------------------------------------------------------

def test_ipv6_stateful_allocation(client, make_subnet):
    subnet = make_subnet('2001:db8::/64', ipv6_address_mode=const.IPV6_DHCPV6_STATEFUL,
                         ipv6_ra_mode=const.IPV6_DHCPV6_STATEFUL)
    assert subnet['gateway_ip'] == '2001:db8::1'
    assert subnet['allocation_pools'] == [{'start': '2001:db8::2',
                                           'end': '2001:db8::ffff:ffff:ffff:ffff'}]
    assert [ips_of(_port(client, subnet)) for _ in range(2)] == [['2001:db8::2'],
                                                                 ['2001:db8::3']]
    # No broadcast in IPv6: the last address is usable; the subnet-router anycast is not.
    assert ips_of(_port_at(client, subnet, '2001:db8::ffff:ffff:ffff:ffff')) == [
        '2001:db8::ffff:ffff:ffff:ffff']
    with pytest.raises(exceptions.InvalidIpForSubnet):
        _port_at(client, subnet, '2001:db8::')
    assert client.count_free_ips(subnet['id']) == 2 ** 64 - 2 - 3


@pytest.mark.parametrize('mode', [const.IPV6_SLAAC, const.IPV6_DHCPV6_STATELESS])
def test_auto_address_is_eui64_of_the_mac(client, make_subnet, mode):
    subnet = make_subnet('2001:db8:1::/64', ipv6_address_mode=mode, ipv6_ra_mode=mode)
    port = _port(client, subnet)
    expected = netaddr.EUI(port['mac_address']).ipv6(netaddr.IPNetwork('2001:db8:1::/64').first)
    assert ips_of(port) == [str(expected)]
    by_subnet = _port(client, subnet, fixed_ips=[{'subnet_id': subnet['id']}],
                      mac_address='fa:16:3e:12:34:56')
    assert ips_of(by_subnet) == ['2001:db8:1:0:f816:3eff:fe12:3456']


@pytest.mark.parametrize('entry', [{'ip_address': '2001:db8:1::5'},
                                   {'ip_address': '2001:db8:1::5', 'subnet_id': None}])
def test_auto_address_subnet_refuses_a_specific_ip(client, make_subnet, count_rows, entry):
    subnet = make_subnet('2001:db8:1::/64', ipv6_address_mode=const.IPV6_SLAAC)
    if 'subnet_id' in entry:
        entry = dict(entry, subnet_id=subnet['id'])
    with pytest.raises(exceptions.AllocationOnAutoAddressSubnet) as info:
        _port(client, subnet, fixed_ips=[entry])
    assert 'cannot be directly assigned' in str(info.value)
    assert count_rows('ports') == 0


def test_router_interface_takes_the_gateway_of_a_slaac_subnet(client, make_subnet):
    subnet = make_subnet('2001:db8:1::/64', ipv6_address_mode=const.IPV6_SLAAC,
                         ipv6_ra_mode=const.IPV6_SLAAC)
    port = _port(client, subnet, device_owner=const.DEVICE_OWNER_ROUTER_INTF,
                 fixed_ips=[{'subnet_id': subnet['id'], 'ip_address': '2001:db8:1::1'}])
    assert ips_of(port) == ['2001:db8:1::1']


def test_dual_stack_port_gets_v4_and_slaac(client, make_subnet):
    v4 = make_subnet('10.0.0.0/24')
    client.create_subnet(network_id=v4['network_id'], ip_version=6, cidr='2001:db8::/64',
                         ipv6_address_mode='slaac')
    port = _port(client, v4, mac_address='fa:16:3e:00:00:01')
    assert sorted(ips_of(port)) == ['10.0.0.2', '2001:db8::f816:3eff:fe00:1']


# ---- the backend on its own session ----------------------------------------------------

def test_backend_directly_on_a_session(client, netdb, make_subnet):
    api_subnet = make_subnet('10.0.0.0/24', allocation_pools=[{'start': '10.0.0.2',
                                                               'end': '10.0.0.4'}])
    ipam = client.services.ipam
    with netdb.writer() as session:
        (subnet,) = client.services.subnets.ipam_subnets(session, api_subnet['network_id'])
        taken = [ipam.allocate(session, requests.AnyAddressRequest(subnet), None)
                 for _ in range(3)]
        assert [str(a) for a in taken] == ['10.0.0.2', '10.0.0.3', '10.0.0.4']
        with pytest.raises(exceptions.IpAddressGenerationFailure):
            ipam.allocate(session, requests.AnyAddressRequest(subnet), None)
        ipam.release(session, subnet, netaddr.IPAddress('10.0.0.3'))
        ipam.release(session, subnet, netaddr.IPAddress('10.0.0.3'))   # twice: no-op
        assert ipam.count_free(session, subnet) == 1
        assert str(ipam.allocate(session, requests.AnyAddressRequest(subnet), None)) == \
            '10.0.0.3'
        specific = requests.SpecificAddressRequest(subnet, netaddr.IPAddress('10.0.0.9'))
        assert str(ipam.allocate(session, specific, None)) == '10.0.0.9'
        with pytest.raises(exceptions.IpAddressInUse):
            ipam.allocate(session, specific, None)
