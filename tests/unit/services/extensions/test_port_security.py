"""port_security_enabled on networks and ports, and a port's security_groups."""

import pytest

from netmgr import constants as const
from netmgr import exceptions

PS = 'port_security_enabled'


@pytest.fixture
def net(tenant_a):
    network = tenant_a.create_network(name='n')
    tenant_a.create_subnet(network_id=network['id'], ip_version=4, cidr='10.0.0.0/24')
    return network


def _default_id(client):
    return client.list_security_groups(name='default')[0]['id']


def test_networks_have_port_security_on_by_default(tenant_a, net):
    assert net[PS] is True
    off = tenant_a.create_network(name='off', port_security_enabled=False)
    assert off[PS] is False and tenant_a.show_network(off['id'])[PS] is False
    assert tenant_a.update_network(off['id'], port_security_enabled=True)[PS] is True
    assert [n['id'] for n in tenant_a.list_networks(port_security_enabled=False)] == []
    assert len(tenant_a.list_networks(port_security_enabled=True)) == 2


def test_a_port_gets_the_tenants_default_group(tenant_a, net):
    port = tenant_a.create_port(network_id=net['id'])
    assert port[PS] is True and port['security_groups'] == [_default_id(tenant_a)]
    assert tenant_a.show_port(port['id'])['security_groups'] == port['security_groups']
    assert tenant_a.list_ports()[0]['security_groups'] == port['security_groups']


def test_admin_port_for_a_tenant_uses_that_tenants_default(client, net, tenant_a):
    port = client.create_port(network_id=net['id'], tenant_id='tenant-a')
    assert port['security_groups'] == [_default_id(tenant_a)]


def test_given_groups_replace_the_default_and_empty_means_none(tenant_a, net):
    web = tenant_a.create_security_group(name='web')
    port = tenant_a.create_port(network_id=net['id'], security_groups=[web['id']])
    assert port['security_groups'] == [web['id']]
    bare = tenant_a.create_port(network_id=net['id'], security_groups=[])
    assert bare['security_groups'] == []
    both = sorted([web['id'], _default_id(tenant_a)])
    updated = tenant_a.update_port(port['id'], security_groups=both)
    assert sorted(updated['security_groups']) == both
    assert tenant_a.update_port(port['id'], security_groups=[])['security_groups'] == []
    assert tenant_a.update_port(port['id'], name='x')['security_groups'] == []


def test_network_owned_ports_get_no_group(client, net):
    dhcp = client.create_port(network_id=net['id'], device_owner=const.DEVICE_OWNER_DHCP)
    assert dhcp['security_groups'] == []


def test_bad_group_ids(tenant_a, net, count_rows):
    with pytest.raises(exceptions.SecurityGroupNotFound):
        tenant_a.create_port(network_id=net['id'],
                             security_groups=['3b9d6f0e-2a4c-4e55-9a53-1f0d3c7b2e11'])
    with pytest.raises(exceptions.InvalidInput):
        tenant_a.create_port(network_id=net['id'], security_groups=['nope'])
    with pytest.raises(exceptions.InvalidInput):
        tenant_a.create_port(network_id=net['id'], security_groups='nope')
    assert count_rows('ports') == 0 and count_rows('ipallocations') == 0


def test_port_security_follows_the_network(tenant_a):
    network = tenant_a.create_network(name='off', port_security_enabled=False)
    port = tenant_a.create_port(network_id=network['id'])
    assert port[PS] is False and port['security_groups'] == []
    on = tenant_a.create_port(network_id=network['id'], port_security_enabled=True)
    assert on[PS] is True and len(on['security_groups']) == 1


def test_no_groups_without_port_security(tenant_a, net, count_rows):
    web = tenant_a.create_security_group(name='web')
    port = tenant_a.create_port(network_id=net['id'], port_security_enabled=False)
    assert port[PS] is False and port['security_groups'] == []
    with pytest.raises(exceptions.PortSecurityAndIPRequiredForSecurityGroups):
        tenant_a.create_port(network_id=net['id'], port_security_enabled=False,
                             security_groups=[web['id']])
    with pytest.raises(exceptions.PortSecurityAndIPRequiredForSecurityGroups):
        tenant_a.update_port(port['id'], security_groups=[web['id']])
    assert count_rows('ports') == 1
    both = tenant_a.update_port(port['id'], port_security_enabled=True,
                                security_groups=[web['id']])
    assert both[PS] is True and both['security_groups'] == [web['id']]


def test_disabling_port_security_needs_the_groups_gone(tenant_a, net):
    port = tenant_a.create_port(network_id=net['id'])
    with pytest.raises(exceptions.PortSecurityPortHasSecurityGroup):
        tenant_a.update_port(port['id'], port_security_enabled=False)
    assert tenant_a.show_port(port['id'])[PS] is True
    off = tenant_a.update_port(port['id'], port_security_enabled=False, security_groups=[])
    assert off[PS] is False and off['security_groups'] == []
    assert [p['id'] for p in tenant_a.list_ports(port_security_enabled=False)] == [port['id']]


def test_only_the_network_owner_sets_port_security(tenant_b, client):
    shared = client.create_network(name='shared', shared=True)
    client.create_subnet(network_id=shared['id'], ip_version=4, cidr='10.9.0.0/24')
    port = tenant_b.create_port(network_id=shared['id'])
    with pytest.raises(exceptions.PolicyNotAuthorized):
        tenant_b.create_port(network_id=shared['id'], port_security_enabled=False)
    with pytest.raises(exceptions.PolicyNotAuthorized):
        tenant_b.update_port(port['id'], port_security_enabled=False, security_groups=[])


def test_bulk_port_create_with_a_bad_group_leaves_nothing(tenant_a, net, count_rows):
    with pytest.raises(exceptions.SecurityGroupNotFound):
        tenant_a.create_bulk('ports', [
            {'network_id': net['id']},
            {'network_id': net['id'],
             'security_groups': ['3b9d6f0e-2a4c-4e55-9a53-1f0d3c7b2e11']}])
    assert count_rows('ports') == 0 and count_rows('securitygroupportbindings') == 0
    assert count_rows('security_groups') == 0


def test_deleting_ports_and_networks_removes_their_rows(tenant_a, net, count_rows):
    port = tenant_a.create_port(network_id=net['id'])
    tenant_a.delete_port(port['id'])
    assert count_rows('securitygroupportbindings') == 0
    assert count_rows('portsecuritybindings') == 0
    tenant_a.delete_network(net['id'])
    assert count_rows('networksecuritybindings') == 0
