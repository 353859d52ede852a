"""netmgr.api.converters, and how the attribute map applies them to filters."""

import pytest

from netmgr.api import attributes
from netmgr.api import converters as c
from netmgr.api import resources
from netmgr import exceptions

PORTS = resources.RESOURCES['ports'].attributes
NETWORKS = resources.RESOURCES['networks'].attributes
SUBNETS = resources.RESOURCES['subnets'].attributes


@pytest.mark.parametrize('data', [True, 'True', 'true', 'TRUE', '1', 1, 'yes', 'on'])
def test_boolean_true(data):
    assert c.convert_to_boolean(data) is True


@pytest.mark.parametrize('data', [False, 'False', 'false', '0', 0, 'no', 'off'])
def test_boolean_false(data):
    assert c.convert_to_boolean(data) is False


@pytest.mark.parametrize('data', ['maybe', '', 2, -1, None, [], 1.5])
def test_boolean_rejects_the_rest(data):
    with pytest.raises(exceptions.InvalidInput) as info:
        c.convert_to_boolean(data)
    assert "cannot be converted to boolean" in str(info.value)


def test_boolean_if_not_none():
    assert c.convert_to_boolean_if_not_none(None) is None
    assert c.convert_to_boolean_if_not_none('false') is False


@pytest.mark.parametrize('data, expected', [(4, 4), ('6', 6), (' 4 ', 4)])
def test_int(data, expected):
    assert c.convert_to_int(data) == expected


@pytest.mark.parametrize('data', ['four', None, True, '4.0', []])
def test_int_rejects(data):
    with pytest.raises(exceptions.InvalidInput):
        c.convert_to_int(data)


def test_none_to_empty_list():
    assert c.convert_none_to_empty_list(None) == []
    assert c.convert_none_to_empty_list(['8.8.8.8']) == ['8.8.8.8']


def test_kvp_list_to_dict_groups_values_by_key():
    assert c.convert_kvp_list_to_dict(
        ['ip_address=10.0.0.3', 'ip_address=10.0.0.4', 'subnet_id=abc']) == {
            'ip_address': ['10.0.0.3', '10.0.0.4'], 'subnet_id': ['abc']}


def test_kvp_keeps_everything_after_the_first_equals_sign():
    assert c.convert_kvp_list_to_dict(['name=a=b', 'name=']) == {'name': ['a=b', '']}


def test_kvp_accepts_dicts_from_the_python_api():
    assert c.convert_kvp_list_to_dict([{'ip_address': '10.0.0.3'}]) == {
        'ip_address': ['10.0.0.3']}


@pytest.mark.parametrize('item', ['ip_address', '=10.0.0.3', ''])
def test_kvp_rejects_items_without_key_and_equals(item):
    with pytest.raises(exceptions.InvalidInput) as info:
        c.convert_kvp_list_to_dict([item])
    assert 'is not of the form <key>=[value]' in str(info.value)


# ---- the same converters applied to query strings ---------------------------------------

def test_fixed_ips_filter_from_a_query_string():
    filters = attributes.parse_filters(
        PORTS, {'fixed_ips': ['ip_address=10.0.0.3', 'subnet_id=S1', 'ip_address=10.0.0.4']})
    assert filters == {'fixed_ips': {'ip_address': ['10.0.0.3', '10.0.0.4'],
                                     'subnet_id': ['S1']}}


def test_boolean_filter_values_are_converted():
    assert attributes.parse_filters(NETWORKS, {'shared': ['True', 'false']}) == {
        'shared': [True, False]}


def test_int_filter_values_are_converted():
    assert attributes.parse_filters(SUBNETS, {'ip_version': ['4', '6']}) == {
        'ip_version': [4, 6]}


def test_unconvertible_filter_is_a_400_naming_the_attribute():
    with pytest.raises(exceptions.InvalidInput) as info:
        attributes.parse_filters(NETWORKS, {'admin_state_up': ['maybe']})
    assert 'Invalid input for admin_state_up' in str(info.value)
    with pytest.raises(exceptions.InvalidInput):
        attributes.parse_filters(PORTS, {'fixed_ips': ['10.0.0.3']})


@pytest.mark.parametrize('collection, name', [
    ('networks', 'bogus'), ('networks', 'subnets'), ('subnets', 'allocation_pools'),
    ('ports', 'created_at')])
def test_unknown_or_unfilterable_attribute_is_invalid_filter(collection, name):
    with pytest.raises(exceptions.InvalidFilter) as info:
        attributes.parse_filters(resources.RESOURCES[collection].attributes, {name: ['x']})
    assert str(info.value) == '[%s] is invalid attribute for filtering.' % name
