"""Allocation pools (netmgr/ipam/pools.py), pool updates and Melange IP policies."""

import netaddr
import pytest

from netmgr import exceptions
from netmgr.ipam import pools
from netmgr.ipam.requests import IPPolicy
from tests.unit.conftest import ips_of


def _net(cidr):
    return netaddr.IPNetwork(cidr)


def _pools(*pairs):
    return [{'start': s, 'end': e} for s, e in pairs]


def _fill(client, subnet):
    """Allocate until the subnet is exhausted; return the addresses in allocation order."""
    got = []
    while True:
        try:
            port = client.create_port(network_id=subnet['network_id'])
        except exceptions.IpAddressGenerationFailure:
            return got
        got.extend(ips_of(port))


# ---- pure pool arithmetic ---------------------------------------------------------------

@pytest.mark.parametrize('cidr, gateway, expected', [
    ('10.0.0.0/24', '10.0.0.1', [('10.0.0.2', '10.0.0.254')]),
    ('10.0.0.0/24', '10.0.0.100', [('10.0.0.1', '10.0.0.99'), ('10.0.0.101', '10.0.0.254')]),
    ('10.0.0.0/24', None, [('10.0.0.1', '10.0.0.254')]),
    ('10.0.0.0/30', '10.0.0.1', [('10.0.0.2', '10.0.0.2')]),
    ('2001:db8::/126', '2001:db8::1', [('2001:db8::2', '2001:db8::3')]),
])
def test_default_pools(cidr, gateway, expected):
    ranges = pools.default_pools(_net(cidr), gateway and netaddr.IPAddress(gateway))
    assert pools.to_api(ranges) == _pools(*expected)


def test_default_gateway():
    assert str(pools.default_gateway(_net('10.0.0.0/24'))) == '10.0.0.1'
    assert str(pools.default_gateway(_net('2001:db8::/64'))) == '2001:db8::1'
    assert pools.default_gateway(_net('10.0.0.4/32')) is None


def test_parse_pools_errors():
    cidr = _net('10.0.0.0/24')
    with pytest.raises(exceptions.OutOfBoundsAllocationPool) as info:
        pools.parse_pools(_pools(('10.0.0.2', '10.0.1.5')), cidr)
    assert str(info.value) == ('The allocation pool 10.0.0.2-10.0.1.5 spans beyond the '
                               'subnet cidr 10.0.0.0/24.')
    for bad in [('10.0.0.9', '10.0.0.2'), ('10.0.0.0', '10.0.0.9'),
                ('10.0.0.2', '10.0.0.255'), ('10.0.0.2', '2001:db8::9')]:
        with pytest.raises(exceptions.InvalidAllocationPool):
            pools.parse_pools(_pools(bad), cidr)


def test_validate_pools():
    cidr = _net('10.0.0.0/24')
    ranges = pools.parse_pools(_pools(('10.0.0.2', '10.0.0.9'), ('10.0.0.9', '10.0.0.20')),
                               cidr)
    with pytest.raises(exceptions.OverlappingAllocationPools):
        pools.validate_pools(ranges, cidr, None)
    ranges = pools.parse_pools(_pools(('10.0.0.2', '10.0.0.9')), cidr)
    with pytest.raises(exceptions.GatewayConflictWithAllocationPools):
        pools.validate_pools(ranges, cidr, netaddr.IPAddress('10.0.0.5'))
    pools.validate_pools(ranges, cidr, netaddr.IPAddress('10.0.0.1'))


# ---- pools on subnet create -------------------------------------------------------------

def test_create_with_pools(client, make_subnet):
    subnet = make_subnet('10.0.0.0/24', allocation_pools=_pools(
        ('10.0.0.100', '10.0.0.101'), ('10.0.0.10', '10.0.0.11')))
    assert subnet['allocation_pools'] == _pools(('10.0.0.10', '10.0.0.11'),
                                                ('10.0.0.100', '10.0.0.101'))
    assert _fill(client, subnet) == ['10.0.0.10', '10.0.0.11', '10.0.0.100', '10.0.0.101']


def test_create_with_overlapping_pools_is_409(make_subnet, count_rows):
    with pytest.raises(exceptions.OverlappingAllocationPools) as info:
        make_subnet('10.0.0.0/24', allocation_pools=_pools(('10.0.0.2', '10.0.0.50'),
                                                           ('10.0.0.40', '10.0.0.60')))
    assert isinstance(info.value, exceptions.Conflict)
    assert count_rows('subnets') == 0


def test_create_with_pool_outside_cidr_is_400(make_subnet):
    with pytest.raises(exceptions.OutOfBoundsAllocationPool) as info:
        make_subnet('10.0.0.0/24', allocation_pools=_pools(('10.0.0.2', '10.0.1.9')))
    assert isinstance(info.value, exceptions.BadRequest)


def test_create_with_gateway_inside_pool_is_409(make_subnet):
    with pytest.raises(exceptions.GatewayConflictWithAllocationPools) as info:
        make_subnet('10.0.0.0/24', gateway_ip='10.0.0.5',
                    allocation_pools=_pools(('10.0.0.2', '10.0.0.50')))
    assert isinstance(info.value, exceptions.Conflict)


def test_default_pools_leave_out_a_given_gateway(make_subnet):
    subnet = make_subnet('10.0.0.0/24', gateway_ip='10.0.0.254')
    assert subnet['allocation_pools'] == _pools(('10.0.0.1', '10.0.0.253'))


# ---- pool update --------------------------------------------------------------------------

def test_pool_update_keeps_existing_allocations(client, make_subnet):
    subnet = make_subnet('10.0.0.0/24', allocation_pools=_pools(('10.0.0.10', '10.0.0.20')))
    ports = [client.create_port(network_id=subnet['network_id']) for _ in range(3)]
    updated = client.update_subnet(subnet['id'], allocation_pools=_pools(
        ('10.0.0.5', '10.0.0.11'), ('10.0.0.100', '10.0.0.101')))
    assert updated['allocation_pools'] == _pools(('10.0.0.5', '10.0.0.11'),
                                                 ('10.0.0.100', '10.0.0.101'))
    for port in ports:
        assert client.show_port(port['id'])['fixed_ips'] == port['fixed_ips']
    # .10 and .11 are still held; .12 (held) is now outside the pools but stays allocated.
    assert client.count_free_ips(subnet['id']) == 5 + 2
    assert _fill(client, subnet) == ['10.0.0.%d' % i for i in range(5, 10)] + [
        '10.0.0.100', '10.0.0.101']
    client.delete_port(ports[2]['id'])           # 10.0.0.12: outside the pools now
    assert client.count_free_ips(subnet['id']) == 0


def test_pool_update_conflicts_change_nothing(client, make_subnet):
    subnet = make_subnet('10.0.0.0/24', allocation_pools=_pools(('10.0.0.10', '10.0.0.20')))
    with pytest.raises(exceptions.OverlappingAllocationPools):
        client.update_subnet(subnet['id'], allocation_pools=_pools(
            ('10.0.0.2', '10.0.0.30'), ('10.0.0.30', '10.0.0.40')))
    with pytest.raises(exceptions.GatewayConflictWithAllocationPools):
        client.update_subnet(subnet['id'], allocation_pools=_pools(('10.0.0.1', '10.0.0.9')))
    with pytest.raises(exceptions.GatewayConflictWithAllocationPools):
        client.update_subnet(subnet['id'], gateway_ip='10.0.0.15')
    with pytest.raises(exceptions.OutOfBoundsAllocationPool):
        client.update_subnet(subnet['id'], allocation_pools=_pools(('10.0.0.2', '10.0.2.2')))
    assert client.show_subnet(subnet['id'])['allocation_pools'] == _pools(
        ('10.0.0.10', '10.0.0.20'))
    assert client.count_free_ips(subnet['id']) == 11


# ---- Melange IP policies ----------------------------------------------------------------

def test_policy_ranges_and_octets_are_never_handed_out(client, make_subnet):
    subnet = make_subnet('10.0.0.0/27')                      # .2 - .30
    policy = IPPolicy(ranges=(netaddr.IPRange('10.0.0.4', '10.0.0.6'),),
                      octets=frozenset({9, 20}))
    client.set_ip_policy(subnet['id'], policy)
    assert client.get_ip_policy(subnet['id']) == policy
    expected = [a for a in range(2, 31) if a not in (4, 5, 6, 9, 20)]
    assert client.count_free_ips(subnet['id']) == len(expected)
    assert _fill(client, subnet) == ['10.0.0.%d' % a for a in expected]
    assert client.count_free_ips(subnet['id']) == 0


def test_policy_octets_across_a_wide_pool(client, make_subnet):
    client.services.quotas.update(client.context, client.context.tenant_id, {'port': -1})
    subnet = make_subnet('10.0.0.0/16', allocation_pools=_pools(('10.0.0.250', '10.0.2.3')))
    client.set_ip_policy(subnet['id'], IPPolicy(octets=frozenset({0, 255})))
    free = client.count_free_ips(subnet['id'])
    assert free == (6 + 256 + 4) - 4
    got = _fill(client, subnet)
    assert len(got) == free
    assert not [a for a in got if a.endswith(('.0', '.255'))]
    assert got[:7] == ['10.0.0.250', '10.0.0.251', '10.0.0.252', '10.0.0.253', '10.0.0.254',
                       '10.0.1.1', '10.0.1.2']


def test_count_free_agrees_while_allocating_and_releasing(client, make_subnet):
    subnet = make_subnet('10.0.0.0/26')
    client.set_ip_policy(subnet['id'], IPPolicy(ranges=(netaddr.IPRange('10.0.0.10',
                                                                        '10.0.0.19'),),
                                                octets=frozenset({33})))
    free = client.count_free_ips(subnet['id'])
    assert free == 61 - 10 - 1
    ports = [client.create_port(network_id=subnet['network_id']) for _ in range(12)]
    assert client.count_free_ips(subnet['id']) == free - 12
    for port in ports[::3]:
        client.delete_port(port['id'])
    assert client.count_free_ips(subnet['id']) == free - 8


def test_policy_excluding_an_allocated_ip_is_refused(client, make_subnet):
    subnet = make_subnet('10.0.0.0/24')
    client.create_port(network_id=subnet['network_id'])          # 10.0.0.2
    old = IPPolicy(octets=frozenset({255}))
    client.set_ip_policy(subnet['id'], old)
    with pytest.raises(exceptions.InvalidInput):
        client.set_ip_policy(subnet['id'], IPPolicy(ranges=(netaddr.IPRange('10.0.0.2',
                                                                            '10.0.0.3'),)))
    with pytest.raises(exceptions.InvalidInput):
        client.set_ip_policy(subnet['id'], IPPolicy(octets=frozenset({2})))
    assert client.get_ip_policy(subnet['id']) == old


def test_specific_ip_excluded_by_policy_is_refused(client, make_subnet):
    subnet = make_subnet('10.0.0.0/24')
    client.set_ip_policy(subnet['id'], IPPolicy(ranges=(netaddr.IPRange('10.0.0.50',
                                                                        '10.0.0.60'),),
                                                octets=frozenset({7})))
    for address in ('10.0.0.55', '10.0.0.7'):
        with pytest.raises(exceptions.InvalidIpForSubnet):
            client.create_port(network_id=subnet['network_id'],
                               fixed_ips=[{'ip_address': address}])


def test_policy_survives_a_pool_update(client, make_subnet):
    subnet = make_subnet('10.0.0.0/28')
    client.set_ip_policy(subnet['id'], IPPolicy(ranges=(netaddr.IPRange('10.0.0.3',
                                                                        '10.0.0.4'),)))
    client.update_subnet(subnet['id'], allocation_pools=_pools(('10.0.0.2', '10.0.0.6')))
    assert _fill(client, subnet) == ['10.0.0.2', '10.0.0.5', '10.0.0.6']


def test_ipv6_policy_ranges(client, make_subnet):
    subnet = make_subnet('2001:db8::/120')
    client.set_ip_policy(subnet['id'], IPPolicy(ranges=(netaddr.IPRange('2001:db8::2',
                                                                        '2001:db8::fd'),)))
    assert client.count_free_ips(subnet['id']) == 2
    assert _fill(client, subnet) == ['2001:db8::fe', '2001:db8::ff']


def test_other_tenants_cannot_see_or_set_a_policy(client, tenant_a, tenant_b, make_subnet):
    subnet = make_subnet('10.0.0.0/24', owner=tenant_a)
    with pytest.raises(exceptions.SubnetNotFound):
        tenant_b.set_ip_policy(subnet['id'], IPPolicy(octets=frozenset({9})))
    with pytest.raises(exceptions.SubnetNotFound):
        tenant_b.get_ip_policy(subnet['id'])
    tenant_a.set_ip_policy(subnet['id'], IPPolicy(octets=frozenset({9})))
    assert client.get_ip_policy(subnet['id']).octets == frozenset({9})
