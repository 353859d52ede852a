"""provider:* on networks through the Python API (in-memory SQLite): who may set and see the
attributes, what tenants get, what admins may choose, and that segments go with networks."""

import pytest

from netmgr.api import extensions as api_extensions
from netmgr import exceptions
from tests.unit.conftest import as_tenant

TYPE = 'provider:network_type'
PHYSNET = 'provider:physical_network'
SEG_ID = 'provider:segmentation_id'
VLANS = ['physnet1:100:102', 'physnet2']


@pytest.fixture
def client(make_client):
    return make_client(**{'l2.network_vlan_ranges': VLANS, 'l2.vni_ranges': ['10:12'],
                          'l2.tunnel_id_ranges': ['20:22'], 'l2.geneve_vni_ranges': ['30:32'],
                          'l2.flat_networks': ['physnet1', 'flatnet']})


def provider(network):
    return network[TYPE], network[PHYSNET], network[SEG_ID]


def net(client, **attrs):
    return client.create_network(name='n', **attrs)


def test_tenant_networks_get_the_lowest_free_vni_by_default(client):
    first, second = net(client), net(client)
    assert provider(first) == ('vxlan', None, 10)
    assert provider(second) == ('vxlan', None, 11)
    client.delete_network(first['id'])
    assert provider(net(client)) == ('vxlan', None, 10)


def test_the_next_tenant_type_is_used_when_the_first_is_exhausted(make_client):
    client = make_client(**{'l2.tenant_network_types': ['vxlan', 'vlan'],
                            'l2.vni_ranges': ['5:5'], 'l2.network_vlan_ranges': VLANS})
    assert provider(net(client)) == ('vxlan', None, 5)
    assert provider(net(client)) == ('vlan', 'physnet1', 100)


def test_exhausting_every_tenant_type_is_503_and_leaves_nothing(client, count_rows):
    for _ in range(3):
        net(client)
    with pytest.raises(exceptions.NoNetworkAvailable) as caught:
        net(client)
    assert str(caught.value) == ('Unable to create the network. No tenant network is '
                                 'available for allocation.')
    assert isinstance(caught.value, exceptions.ServiceUnavailable)
    assert count_rows('networks') == 3 and count_rows('networksegments') == 3


def test_local_tenant_networks_have_no_segment_id(make_client):
    client = make_client(**{'l2.tenant_network_types': ['local']})
    assert provider(net(client)) == ('local', None, None)
    assert provider(net(client)) == ('local', None, None)


def test_vlan_tenant_networks_skip_used_ids(make_client):
    client = make_client(**{'l2.tenant_network_types': ['vlan'],
                            'l2.network_vlan_ranges': VLANS})
    net(client, **{TYPE: 'vlan', PHYSNET: 'physnet1', SEG_ID: 100})
    assert provider(net(client)) == ('vlan', 'physnet1', 101)
    assert provider(net(client)) == ('vlan', 'physnet1', 102)
    with pytest.raises(exceptions.NoNetworkAvailable):
        net(client)  # physnet2 has no tenant range


def test_lowest_free_finds_a_gap_in_a_huge_range(make_client, statements):
    client = make_client(**{'l2.vni_ranges': ['1:16000000']})
    ids = [net(client)['id'] for _ in range(4)]
    client.delete_network(ids[1])
    assert provider(net(client))[2] == 2
    assert provider(net(client))[2] == 5


@pytest.mark.parametrize('attrs, segment', [
    ({TYPE: 'vlan', PHYSNET: 'physnet1', SEG_ID: 150}, ('vlan', 'physnet1', 150)),
    ({TYPE: 'vlan', PHYSNET: 'physnet2', SEG_ID: '4094'}, ('vlan', 'physnet2', 4094)),
    ({TYPE: 'vlan', PHYSNET: 'physnet1'}, ('vlan', 'physnet1', 100)),
    ({TYPE: 'vxlan', SEG_ID: 16777215}, ('vxlan', None, 16777215)),
    ({TYPE: 'vxlan'}, ('vxlan', None, 10)),
    ({TYPE: 'gre', SEG_ID: 4294967295}, ('gre', None, 4294967295)),
    ({TYPE: 'gre'}, ('gre', None, 20)),
    ({TYPE: 'geneve', SEG_ID: 16777215}, ('geneve', None, 16777215)),
    ({TYPE: 'geneve'}, ('geneve', None, 30)),
    ({TYPE: 'flat', PHYSNET: 'flatnet'}, ('flat', 'flatnet', None)),
    ({TYPE: 'local'}, ('local', None, None)),
])
def test_admin_chooses_a_segment(client, attrs, segment):
    network = net(client, **attrs)
    assert provider(network) == segment
    assert provider(client.show_network(network['id'])) == segment


@pytest.mark.parametrize('attrs, message', [
    ({TYPE: 'stt'}, "network_type value 'stt' not supported"),
    ({PHYSNET: 'physnet1', SEG_ID: 5}, 'provider:network_type required'),
    ({TYPE: 'flat'}, 'provider:physical_network required for flat'),
    ({TYPE: 'flat', PHYSNET: 'physnet2'}, "physical_network 'physnet2' unknown for flat"),
    ({TYPE: 'flat', PHYSNET: 'physnet1', SEG_ID: 3}, 'segmentation_id prohibited for flat'),
    ({TYPE: 'vlan', SEG_ID: 150}, 'provider:physical_network required for VLAN'),
    ({TYPE: 'vlan', PHYSNET: 'nowhere', SEG_ID: 150}, "physical_network 'nowhere' unknown"),
    ({TYPE: 'vlan', PHYSNET: 'physnet1', SEG_ID: 0}, 'out of range (1 through 4094)'),
    ({TYPE: 'vlan', PHYSNET: 'physnet1', SEG_ID: 4095}, 'out of range (1 through 4094)'),
    ({TYPE: 'vlan', PHYSNET: 'physnet1', SEG_ID: 'ten'}, "'ten' is not an integer"),
    ({TYPE: 'vxlan', SEG_ID: 16777216}, 'out of range (1 through 16777215)'),
    ({TYPE: 'vxlan', PHYSNET: 'physnet1', SEG_ID: 7}, 'physical_network prohibited for VXLAN'),
    ({TYPE: 'gre', SEG_ID: 0}, 'out of range (1 through 4294967295)'),
    ({TYPE: 'gre', SEG_ID: 4294967296}, 'out of range (1 through 4294967295)'),
    ({TYPE: 'gre', PHYSNET: 'physnet1'}, 'physical_network prohibited for GRE'),
    ({TYPE: 'geneve', SEG_ID: 16777216}, 'out of range (1 through 16777215)'),
    ({TYPE: 'geneve', PHYSNET: 'physnet1', SEG_ID: 7}, 'physical_network prohibited for GENEVE'),
    ({TYPE: 'local', SEG_ID: 7}, 'segmentation_id prohibited for local'),
    ({TYPE: 'local', PHYSNET: 'physnet1'}, 'physical_network prohibited for local'),
])
def test_invalid_provider_segments_are_400_and_leave_nothing(client, count_rows, attrs,
                                                             message):
    with pytest.raises(exceptions.InvalidInput) as caught:
        net(client, **attrs)
    assert message in str(caught.value)
    assert count_rows('networks') == 0 and count_rows('networksegments') == 0


@pytest.mark.parametrize('attrs, error', [
    ({TYPE: 'vlan', PHYSNET: 'physnet1', SEG_ID: 150}, exceptions.VlanIdInUse),
    ({TYPE: 'vxlan', SEG_ID: 500}, exceptions.TunnelIdInUse),
    ({TYPE: 'gre', SEG_ID: 4294967295}, exceptions.TunnelIdInUse),
    ({TYPE: 'geneve', SEG_ID: 500}, exceptions.TunnelIdInUse),
    ({TYPE: 'flat', PHYSNET: 'flatnet'}, exceptions.FlatNetworkInUse),
])
def test_a_taken_segment_is_409(client, count_rows, attrs, error):
    net(client, **attrs)
    with pytest.raises(error) as caught:
        net(client, **attrs)
    assert isinstance(caught.value, exceptions.Conflict)
    assert count_rows('networks') == 1


def test_the_same_vlan_id_on_two_physnets_is_fine(client):
    net(client, **{TYPE: 'vlan', PHYSNET: 'physnet1', SEG_ID: 150})
    assert provider(net(client, **{TYPE: 'vlan', PHYSNET: 'physnet2', SEG_ID: 150})) == (
        'vlan', 'physnet2', 150)


def test_an_admin_vni_inside_the_range_is_skipped_by_tenants(client):
    net(client, **{TYPE: 'vxlan', SEG_ID: 10})
    assert provider(net(client))[2] == 11


def test_segments_go_with_the_network(client, count_rows):
    network = net(client, **{TYPE: 'flat', PHYSNET: 'flatnet'})
    client.delete_network(network['id'])
    assert count_rows('networksegments') == 0
    assert provider(net(client, **{TYPE: 'flat', PHYSNET: 'flatnet'}))[0] == 'flat'


def test_a_failed_bulk_create_keeps_no_segment(client, count_rows):
    good = {'name': 'a', TYPE: 'vxlan', SEG_ID: 700}
    with pytest.raises(exceptions.TunnelIdInUse):
        client.create_bulk('networks', [good, dict(good, name='b')])
    assert count_rows('networks') == 0 and count_rows('networksegments') == 0


def test_tenants_neither_set_nor_see_provider_attributes(client):
    tenant = as_tenant(client, 'tenant-a')
    for attrs in ({TYPE: 'vxlan'}, {PHYSNET: 'physnet1'}, {SEG_ID: 5}):
        with pytest.raises(exceptions.PolicyNotAuthorized):
            tenant.create_network(name='n', **attrs)
    own = tenant.create_network(name='own')
    assert not set(own) & {TYPE, PHYSNET, SEG_ID}
    assert not set(tenant.show_network(own['id'])) & {TYPE, PHYSNET, SEG_ID}
    assert not set(tenant.list_networks()[0]) & {TYPE, PHYSNET, SEG_ID}
    assert provider(client.show_network(own['id'])) == ('vxlan', None, 10)
    with pytest.raises(exceptions.PolicyNotAuthorized):
        tenant.update_network(own['id'], **{SEG_ID: 11})


def test_provider_attributes_cannot_be_changed(client):
    network = net(client, **{TYPE: 'vlan', PHYSNET: 'physnet1', SEG_ID: 150})
    with pytest.raises(exceptions.InvalidInput) as caught:
        client.update_network(network['id'], **{SEG_ID: 151})
    assert 'Plugin does not support updating provider attributes' in str(caught.value)
    # Sending the current values back (as some clients do) is not a change.
    same = client.update_network(network['id'], name='x', **{SEG_ID: 150, TYPE: 'vlan'})
    assert provider(same) == ('vlan', 'physnet1', 150) and same['name'] == 'x'


def test_admin_filters_networks_by_provider_attributes(client):
    vlan = net(client, **{TYPE: 'vlan', PHYSNET: 'physnet1', SEG_ID: 150})
    flat = net(client, **{TYPE: 'flat', PHYSNET: 'physnet1'})
    vxlan = net(client)

    def ids(**filters):
        return {n['id'] for n in client.list_networks(**filters)}

    assert ids(**{TYPE: 'vlan'}) == {vlan['id']}
    assert ids(**{TYPE: ['vlan', 'vxlan']}) == {vlan['id'], vxlan['id']}
    assert ids(**{PHYSNET: 'physnet1'}) == {vlan['id'], flat['id']}
    assert ids(**{SEG_ID: '150'}) == {vlan['id']}
    assert ids(**{SEG_ID: '10'}) == {vxlan['id']}
    assert ids(**{SEG_ID: '0'}) == set()
    with pytest.raises(exceptions.InvalidInput):
        client.list_networks(**{SEG_ID: 'abc'})


def test_provider_extension_is_listed():
    assert api_extensions.by_alias('provider')['name'] == 'Provider Network'


def test_each_tunnel_type_has_its_own_ids(client):
    """The same id on vxlan, gre and geneve is three segments; tenants of each type get
    their own type's lowest free id."""
    for network_type in ('vxlan', 'gre', 'geneve'):
        assert provider(net(client, **{TYPE: network_type, SEG_ID: 7})) == (
            network_type, None, 7)
    assert provider(net(client, **{TYPE: 'gre'}))[2] == 20
    assert provider(net(client, **{TYPE: 'gre'}))[2] == 21
    found = client.list_networks(**{SEG_ID: [7]})
    assert sorted(n[TYPE] for n in found) == ['geneve', 'gre', 'vxlan']


def test_a_taken_tunnel_id_says_which(client):
    net(client, **{TYPE: 'gre', SEG_ID: 21})
    with pytest.raises(exceptions.TunnelIdInUse) as caught:
        net(client, **{TYPE: 'gre', SEG_ID: 21})
    assert str(caught.value) == ('Unable to create the network. The tunnel ID 21 is in use.')


@pytest.mark.parametrize('network_type, ranges', [('gre', 'l2.tunnel_id_ranges'),
                                                  ('geneve', 'l2.geneve_vni_ranges')])
def test_gre_and_geneve_tenant_networks(make_client, network_type, ranges):
    client = make_client(**{'l2.tenant_network_types': [network_type], ranges: ['5:6']})
    tenant = as_tenant(client, 'tenant-a')
    assert tenant.create_network(name='t')['id']
    assert [provider(n) for n in client.list_networks()] == [(network_type, None, 5)]
    tenant.create_network(name='t2')
    with pytest.raises(exceptions.NoNetworkAvailable):
        tenant.create_network(name='t3')
