"""allowed_address_pairs on ports."""

import pytest

from netmgr import exceptions

AAP = 'allowed_address_pairs'


@pytest.fixture
def net(tenant_a):
    network = tenant_a.create_network(name='n')
    tenant_a.create_subnet(network_id=network['id'], ip_version=4, cidr='10.0.0.0/24')
    return network


def test_a_pairs_mac_defaults_to_the_ports(tenant_a, net):
    port = tenant_a.create_port(network_id=net['id'], allowed_address_pairs=[
        {'ip_address': '10.0.0.50'},
        {'ip_address': '10.1.0.0/16', 'mac_address': 'FA:16:3E:00:00:01'}])
    assert port[AAP] == [{'ip_address': '10.0.0.50', 'mac_address': port['mac_address']},
                         {'ip_address': '10.1.0.0/16', 'mac_address': 'fa:16:3e:00:00:01'}]
    assert tenant_a.show_port(port['id'])[AAP] == port[AAP]
    assert tenant_a.create_port(network_id=net['id'])[AAP] == []


def test_update_replaces_the_pairs(tenant_a, net):
    port = tenant_a.create_port(network_id=net['id'],
                                allowed_address_pairs=[{'ip_address': '10.0.0.50'}])
    updated = tenant_a.update_port(port['id'], allowed_address_pairs=[
        {'ip_address': '10.0.0.60'}])
    assert [p['ip_address'] for p in updated[AAP]] == ['10.0.0.60']
    assert tenant_a.update_port(port['id'], allowed_address_pairs=[])[AAP] == []
    assert tenant_a.update_port(port['id'], allowed_address_pairs=None)[AAP] == []


@pytest.mark.parametrize('pairs, error', [
    ([{'mac_address': 'fa:16:3e:00:00:01'}], exceptions.AllowedAddressPairsMissingIP),
    ([{'ip_address': '10.0.0.5'}, {'ip_address': '10.0.0.5'}],
     exceptions.DuplicateAddressPairInRequest),
    ([{'ip_address': '10.0.0.5', 'mac_address': 'nope'}], exceptions.InvalidInput),
    ([{'ip_address': '10.0.0.500'}], exceptions.InvalidInput),
    ([{'ip_address': '10.0.0.5/24'}], exceptions.InvalidInput),
    ([{'ip_address': '10.0.0.5', 'colour': 'red'}], exceptions.InvalidInput),
    (['10.0.0.5'], exceptions.InvalidInput),
    ({'ip_address': '10.0.0.5'}, exceptions.InvalidInput),
    ([{'ip_address': '10.0.0.%d' % i} for i in range(11)],
     exceptions.AllowedAddressPairExhausted),
])
def test_bad_pairs_are_400s(tenant_a, net, pairs, error, count_rows):
    with pytest.raises(error) as info:
        tenant_a.create_port(network_id=net['id'], allowed_address_pairs=pairs)
    assert isinstance(info.value, exceptions.BadRequest)
    assert count_rows('ports') == 0 and count_rows('allowedaddresspairs') == 0


def test_the_maximum_is_configurable(make_client, tenant_a):
    from tests.unit.conftest import as_tenant
    client = as_tenant(make_client(max_allowed_address_pair=1), 'tenant-a')
    network = client.create_network(name='n')
    with pytest.raises(exceptions.AllowedAddressPairExhausted) as info:
        client.create_port(network_id=network['id'], allowed_address_pairs=[
            {'ip_address': '10.0.0.1'}, {'ip_address': '10.0.0.2'}])
    assert 'exceeds the maximum 1' in str(info.value)


def test_pairs_need_port_security(tenant_a, net):
    with pytest.raises(exceptions.AddressPairAndPortSecurityRequired):
        tenant_a.create_port(network_id=net['id'], port_security_enabled=False,
                             security_groups=[],
                             allowed_address_pairs=[{'ip_address': '10.0.0.5'}])
    port = tenant_a.create_port(network_id=net['id'], security_groups=[],
                                allowed_address_pairs=[{'ip_address': '10.0.0.5'}])
    with pytest.raises(exceptions.AddressPairAndPortSecurityRequired):
        tenant_a.update_port(port['id'], port_security_enabled=False)
    off = tenant_a.update_port(port['id'], port_security_enabled=False,
                               allowed_address_pairs=[])
    assert off['port_security_enabled'] is False and off[AAP] == []
    with pytest.raises(exceptions.AddressPairAndPortSecurityRequired):
        tenant_a.update_port(port['id'], allowed_address_pairs=[{'ip_address': '10.0.0.6'}])


def test_only_the_network_owner_sets_pairs(client, tenant_b):
    shared = client.create_network(name='shared', shared=True)
    client.create_subnet(network_id=shared['id'], ip_version=4, cidr='10.9.0.0/24')
    with pytest.raises(exceptions.PolicyNotAuthorized):
        tenant_b.create_port(network_id=shared['id'],
                             allowed_address_pairs=[{'ip_address': '10.9.0.50'}])
