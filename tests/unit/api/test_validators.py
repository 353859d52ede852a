"""netmgr.api.validators: each returns None when valid, else a message naming the problem."""

import pytest

from netmgr.api import validators as v

SUBNET_ID = '3b9d6f0e-2a4c-4e55-9a53-1f0d3c7b2e11'


def valid(fn, data, arg=None):
    return fn(data, arg) is None


@pytest.mark.parametrize('data', [
    '3b9d6f0e-2a4c-4e55-9a53-1f0d3c7b2e11', '3B9D6F0E-2A4C-4E55-9A53-1F0D3C7B2E11'])
def test_uuid_accepted(data):
    assert valid(v.validate_uuid, data)


@pytest.mark.parametrize('data', [
    '3b9d6f0e2a4c4e559a531f0d3c7b2e11', '3b9d6f0e-2a4c-4e55-9a53-1f0d3c7b2e1',
    '3b9d6f0e-2a4c-4e55-9a53-1f0d3c7b2e11 ', 'g b9d6f0e-2a4c-4e55-9a53-1f0d3c7b2e1',
    '', None, 42])
def test_uuid_rejected(data):
    assert v.validate_uuid(data) == "'%s' is not a valid UUID" % (data,)


def test_uuid_or_none():
    assert valid(v.validate_uuid_or_none, None)
    assert not valid(v.validate_uuid_or_none, 'nope')


@pytest.mark.parametrize('data', [
    'fa:16:3e:00:00:01', 'FA:16:3E:4F:00:01', 'fa-16-3e-00-00-01', '02:00:00:00:00:01'])
def test_mac_accepted(data):
    assert valid(v.validate_mac_address, data)


@pytest.mark.parametrize('data', [
    '01:00:5e:00:00:01',      # multicast (I/G bit set)
    'ff:ff:ff:ff:ff:ff',      # broadcast
    '00:00:00:00:00:00',      # all zero
    'fa:16:3e:00:00', 'fa:16:3e:00:00:01:02', 'fa:16:3e:00:00:zz', '', None, 17])
def test_mac_rejected(data):
    assert v.validate_mac_address(data) == "'%s' is not a valid MAC address" % (data,)


@pytest.mark.parametrize('data', [
    '10.0.0.1', '0.0.0.0', '255.255.255.255', '::1', '2001:db8::1', '2001:DB8::1',
    'fe80::f816:3eff:fe00:1'])
def test_ip_address_accepted(data):
    assert valid(v.validate_ip_address, data)


@pytest.mark.parametrize('data', [
    '10.1',              # inet_aton shorthand
    '10',                # a bare integer
    '167772161',
    '0x0a000001',
    '010.0.0.1',         # leading zero: octal or decimal?
    '10.0.0.256', '1.2.3.4.5', ' 10.0.0.1', '10.0.0.1 ', '10.0.0.1/24',
    '2001:db8::1::2', '2001:db8::g', '', None, 1])
def test_ip_address_rejected(data):
    assert v.validate_ip_address(data) == "'%s' is not a valid IP address" % (data,)


def test_ip_address_or_none():
    assert valid(v.validate_ip_address_or_none, None)
    assert not valid(v.validate_ip_address_or_none, '10.1')


@pytest.mark.parametrize('data', [
    '10.0.0.0/24', '10.0.0.0/8', '0.0.0.0/0', '10.0.0.1/32', '192.168.1.0/30',
    '2001:db8::/64', '2001:DB8::/48', '::/0'])
def test_subnet_accepted(data):
    assert valid(v.validate_subnet, data)


@pytest.mark.parametrize('data, recommended', [
    ('10.0.0.1/24', '10.0.0.0/24'),
    ('192.168.1.77/16', '192.168.0.0/16'),
    ('2001:db8::1/64', '2001:db8::/64'),
    ('10.0.0.0', '10.0.0.0/32'),          # no prefix
    ('10.0.0.0/024', '10.0.0.0/24'),      # zero-padded prefix
])
def test_subnet_with_host_bits_recommends_the_network(data, recommended):
    assert v.validate_subnet(data) == (
        "'%s' isn't a recognized IP subnet cidr, '%s' is recommended" % (data, recommended))


@pytest.mark.parametrize('data', [
    '10.0.0.0/33', '2001:db8::/129', '10.0.0.0/-1', '10.0.0.0/', '10.0/16', '10.0.0.0/8x',
    'nonsense/24', '', None, ['10.0.0.0/24']])
def test_subnet_rejected(data):
    assert v.validate_subnet(data) == "'%s' is not a valid IP subnet" % (data,)


def test_ip_pools():
    assert valid(v.validate_ip_pools, [{'start': '10.0.0.2', 'end': '10.0.0.9'}])
    assert valid(v.validate_ip_pools, [])
    assert not valid(v.validate_ip_pools, {'start': '10.0.0.2', 'end': '10.0.0.9'})
    assert not valid(v.validate_ip_pools, ['10.0.0.2-10.0.0.9'])
    assert not valid(v.validate_ip_pools, [{'start': '10.0.0.2'}])
    assert not valid(v.validate_ip_pools, [{'start': '10.0.0.2', 'end': '10.0.0.9', 'x': 1}])
    assert v.validate_ip_pools([{'start': '10.0.0.2', 'end': '10.1'}]) == \
        "'10.1' is not a valid IP address"


def test_fixed_ips_accepted():
    assert valid(v.validate_fixed_ips, [])
    assert valid(v.validate_fixed_ips, [{'subnet_id': SUBNET_ID},
                                        {'subnet_id': SUBNET_ID},  # two IPs of one subnet
                                        {'ip_address': '10.0.0.5'},
                                        {'subnet_id': SUBNET_ID, 'ip_address': '10.0.0.6'}])


@pytest.mark.parametrize('data, message', [
    ([{'ip_address': '10.0.0.5', 'mac': 'x'}],
     "Unrecognized attribute(s) in fixed IP: 'mac'"),
    ([{'ip_address': '10.0.0.5'}, {'ip_address': '10.0.0.5'}],
     "Duplicate IP address '10.0.0.5'"),
    ([{'ip_address': '2001:db8::5'}, {'ip_address': '2001:DB8:0::5'}],
     "Duplicate IP address '2001:DB8:0::5'"),
    ([{'ip_address': '10.0.5'}], "'10.0.5' is not a valid IP address"),
    ([{'subnet_id': 'abc'}], "'abc' is not a valid UUID"),
    ([{}], 'IP allocation requires subnet_id or ip_address'),
    ({'ip_address': '10.0.0.5'}, "Invalid data format for fixed IP: '{'ip_address': "
                                 "'10.0.0.5'}'"),
    (['10.0.0.5'], "Invalid data format for fixed IP: '10.0.0.5'"),
])
def test_fixed_ips_rejected(data, message):
    assert v.validate_fixed_ips(data) == message


def test_nameservers():
    assert valid(v.validate_nameservers, ['8.8.8.8', '2001:4860:4860::8888'])
    assert valid(v.validate_nameservers, [])
    assert v.validate_nameservers(['8.8.8.8', '8.8.8.8']) == "Duplicate nameserver '8.8.8.8'"
    assert 'is not a valid nameserver' in v.validate_nameservers(['8.8'])
    assert not valid(v.validate_nameservers, '8.8.8.8')


def test_hostroutes():
    route = {'destination': '192.168.0.0/24', 'nexthop': '10.0.0.1'}
    assert valid(v.validate_hostroutes, [route])
    assert v.validate_hostroutes([route, dict(route)]) == "Duplicate hostroute '%s'" % route
    assert not valid(v.validate_hostroutes, [{'destination': '192.168.0.0/24'}])
    assert not valid(v.validate_hostroutes, [dict(route, extra=1)])
    assert not valid(v.validate_hostroutes, [dict(route, nexthop='10.1')])
    assert 'is recommended' in v.validate_hostroutes([dict(route, destination='192.168.0.1/24')])
    assert not valid(v.validate_hostroutes, route)


def test_string_and_length():
    assert valid(v.validate_string, 'x' * 255, 255)
    assert v.validate_string('x' * 256, 255) == "'%s' exceeds maximum length of 255" % ('x' * 256)
    assert v.validate_string(5) == "'5' is not a valid string"
    assert v.validate_string(None) == "'None' is not a valid string"
    assert valid(v.validate_string_or_none, None)


def test_boolean_is_strict_after_conversion():
    assert valid(v.validate_boolean, True)
    assert valid(v.validate_boolean, False)
    for data in ('True', 1, 0, None):
        assert v.validate_boolean(data) == "'%s' is not a valid boolean value" % (data,)


def test_values_and_ipv6_mode():
    assert valid(v.validate_values, 4, [4, 6])
    assert v.validate_values(5, [4, 6]) == "'5' is not in [4, 6]"
    for mode in (None, 'slaac', 'dhcpv6-stateful', 'dhcpv6-stateless'):
        assert valid(v.validate_ipv6_mode, mode)
    assert not valid(v.validate_ipv6_mode, 'dhcpv6')


def test_non_negative():
    assert valid(v.validate_non_negative, 0)
    assert valid(v.validate_non_negative, 7)
    for data in (-1, True, '3', None):
        assert not valid(v.validate_non_negative, data)


def test_registry_names_every_validator_by_type_prefix():
    assert all(name.startswith('type:') for name in v.VALIDATORS)
    assert v.VALIDATORS['type:subnet'] is v.validate_subnet
    assert v.VALIDATORS['type:fixed_ips'] is v.validate_fixed_ips
