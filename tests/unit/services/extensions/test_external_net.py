"""external-net: router:external on networks, through the Python API (in-memory SQLite)."""

import pytest

from netmgr import exceptions
from tests.unit.conftest import as_tenant

EXTERNAL = 'router:external'


@pytest.fixture
def ext_net(client):
    return client.create_network(name='ext', **{EXTERNAL: True})


def test_networks_are_internal_by_default(client):
    assert client.create_network(name='n')[EXTERNAL] is False


def test_admin_makes_an_external_network_from_the_string_true(client):
    network = client.create_network(name='ext', **{EXTERNAL: 'True'})
    assert network[EXTERNAL] is True
    assert client.show_network(network['id'])[EXTERNAL] is True


def test_every_tenant_sees_external_networks_but_not_other_private_ones(client, ext_net):
    private = client.create_network(name='private')
    tenant = as_tenant(client, 'tenant-b')
    visible = {n['id'] for n in tenant.list_networks()}
    assert ext_net['id'] in visible and private['id'] not in visible
    assert tenant.show_network(ext_net['id'])[EXTERNAL] is True


def test_tenant_cannot_create_or_change_external_networks(client, ext_net):
    tenant = as_tenant(client, 'tenant-b')
    with pytest.raises(exceptions.PolicyNotAuthorized):
        tenant.create_network(name='mine', **{EXTERNAL: True})
    own = tenant.create_network(name='own')
    with pytest.raises(exceptions.PolicyNotAuthorized):
        tenant.update_network(own['id'], **{EXTERNAL: True})
    with pytest.raises(exceptions.PolicyNotAuthorized):
        tenant.update_network(ext_net['id'], name='renamed')


def test_filter_on_router_external(client, ext_net):
    internal = client.create_network(name='internal')
    assert [n['id'] for n in client.list_networks(**{EXTERNAL: 'True'})] == [ext_net['id']]
    assert [n['id'] for n in client.list_networks(**{EXTERNAL: 'False'})] == [internal['id']]
    both = client.list_networks(**{EXTERNAL: ['True', 'False']})
    assert {n['id'] for n in both} == {ext_net['id'], internal['id']}


def test_admin_toggles_external(client):
    network = client.create_network(name='n')
    assert client.update_network(network['id'], **{EXTERNAL: True})[EXTERNAL] is True
    assert client.update_network(network['id'], **{EXTERNAL: False})[EXTERNAL] is False
    assert client.list_networks(**{EXTERNAL: True}) == []


def test_external_network_with_a_router_gateway_port_stays_external(client, ext_net):
    client.create_subnet(network_id=ext_net['id'], cidr='192.168.0.0/24', ip_version=4,
                         enable_dhcp=False)
    client.create_port(network_id=ext_net['id'], device_owner='network:router_gateway')
    with pytest.raises(exceptions.ExternalNetworkInUse):
        client.update_network(ext_net['id'], **{EXTERNAL: False})
    assert client.show_network(ext_net['id'])[EXTERNAL] is True


def test_external_flag_goes_with_the_network(client, ext_net, count_rows):
    client.delete_network(ext_net['id'])
    assert count_rows('externalnetworks') == 0
