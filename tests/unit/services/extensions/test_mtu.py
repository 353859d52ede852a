"""net-mtu: every network shows the MTU its segment type leaves of global_physnet_mtu; it is
read only and listed as an extension."""

import pytest

from netmgr.api import extensions as api_extensions
from netmgr import exceptions
from tests.unit.conftest import as_tenant

VLAN = {'l2.network_vlan_ranges': ['physnet1:100:199']}


@pytest.fixture
def client(make_client):
    return make_client(global_physnet_mtu=9000, **VLAN)


def test_mtu_follows_the_segment_type(client):
    vxlan = client.create_network(name='tunnelled')          # tenant default: vxlan
    vlan = client.create_network(name='v', **{'provider:network_type': 'vlan',
                                              'provider:physical_network': 'physnet1'})
    assert vxlan['mtu'] == 8950 and vlan['mtu'] == 9000
    mtus = {n['name']: n['mtu'] for n in client.list_networks()}
    assert mtus == {'tunnelled': 8950, 'v': 9000}
    assert client.show_network(vlan['id'], fields=['mtu']) == {'mtu': 9000}


def test_tenants_see_it_but_nobody_sets_it(client):
    tenant = as_tenant(client, 'tenant-a')
    network = tenant.create_network(name='mine')
    assert network['mtu'] == 8950 and 'provider:network_type' not in network
    with pytest.raises(exceptions.BadRequest):
        tenant.update_network(network['id'], mtu=1400)
    with pytest.raises(exceptions.BadRequest):
        client.create_network(name='x', mtu=1400)


def test_default_physnet_mtu_and_extension_listed(make_client):
    client = make_client()
    assert client.create_network(name='n')['mtu'] == 1450
    assert client.create_network(name='l', **{'provider:network_type': 'local'})['mtu'] == \
        1500
    assert 'net-mtu' in {e['alias'] for e in api_extensions.SUPPORTED}
