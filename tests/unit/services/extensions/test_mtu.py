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


def _mtus(client):
    """{network type: mtu} of one network of each type (VLAN and flat on physnet1)."""
    made = [client.create_network(name=t, **{'provider:network_type': t})
            for t in ('vxlan', 'gre', 'geneve', 'local')]
    made += [client.create_network(name=t, **{'provider:network_type': t,
                                              'provider:physical_network': 'physnet1'})
             for t in ('vlan', 'flat')]
    assert {n['name']: n['mtu'] for n in client.list_networks()} == {
        n['name']: n['mtu'] for n in made}
    return {n['name']: n['mtu'] for n in made}


def test_neutrons_mtus_at_1500(make_client):
    assert _mtus(make_client(**VLAN)) == {'vxlan': 1450, 'gre': 1458, 'geneve': 1450,
                                          'local': 1500, 'vlan': 1500, 'flat': 1500}


def test_an_ipv6_underlay_takes_20_bytes_more_from_tunnels(make_client):
    assert _mtus(make_client(**{'l2.overlay_ip_version': 6}, **VLAN)) == {
        'vxlan': 1430, 'gre': 1438, 'geneve': 1430, 'local': 1500, 'vlan': 1500,
        'flat': 1500}


def test_path_mtu_bounds_tunnels_only_and_only_when_smaller(make_client):
    assert _mtus(make_client(**{'l2.path_mtu': 1400}, **VLAN)) == {
        'vxlan': 1350, 'gre': 1358, 'geneve': 1350, 'local': 1500, 'vlan': 1500,
        'flat': 1500}
    assert _mtus(make_client(**{'l2.path_mtu': 9000}, **VLAN))['vxlan'] == 1450


def test_physical_network_mtus_bound_flat_and_vlan_there(make_client):
    client = make_client(**{'l2.physical_network_mtus': ['physnet1:1400', 'physnet2:9000']},
                         **{'l2.network_vlan_ranges': ['physnet1:100:199', 'physnet2']})
    assert _mtus(client) == {'vxlan': 1450, 'gre': 1458, 'geneve': 1450, 'local': 1500,
                             'vlan': 1400, 'flat': 1400}
    other = client.create_network(name='v2', **{
        'provider:network_type': 'vlan', 'provider:physical_network': 'physnet2',
        'provider:segmentation_id': 5})
    assert other['mtu'] == 1500     # a physnet above global_physnet_mtu gets the global one


def test_geneve_follows_max_header_size(make_client):
    client = make_client(**{'l2.max_header_size': 38})
    assert client.create_network(name='g', **{'provider:network_type': 'geneve'})['mtu'] == \
        1442


def test_tenant_gre_networks_get_the_gre_mtu(make_client):
    tenant = as_tenant(make_client(**{'l2.tenant_network_types': ['gre']}), 'tenant-a')
    assert tenant.create_network(name='t')['mtu'] == 1458


@pytest.mark.parametrize('option, value, message', [
    ('physical_network_mtus', ['physnet1'], 'is not "physnet:mtu"'),
    ('physical_network_mtus', ['physnet1:60'], 'MTU 60 is outside 68..65535'),
])
def test_bad_mtu_options_are_refused(make_client, option, value, message):
    with pytest.raises(ValueError, match=message):
        make_client(**{'l2.' + option: value})
