"""Provider networks with the real `openstack` CLI as admin (tests/fixtures/openstack_cli.py)."""

import uuid

import pytest

pytestmark = pytest.mark.functional


@pytest.fixture(scope='module')
def server(module_server_factory):
    return module_server_factory('openstack-cli-provider', sections={
        'l2': {'network_vlan_ranges': 'physnet1:100:199'}})


@pytest.fixture(scope='module')
def cli(server, openstack_cli_factory):
    return openstack_cli_factory(server)


def test_admin_creates_and_shows_a_vlan_provider_network(cli, server):
    name = 'prov-%s' % uuid.uuid4().hex[:8]
    net = cli('network', 'create', '--provider-network-type', 'vlan',
              '--provider-physical-network', 'physnet1', '--provider-segment', '150', name,
              '-f', 'json')
    assert (net['provider:network_type'], net['provider:physical_network'],
            net['provider:segmentation_id']) == ('vlan', 'physnet1', 150)
    shown = cli('network', 'show', name, '-f', 'json')
    assert (shown['id'], shown['provider:network_type'], shown['provider:physical_network'],
            shown['provider:segmentation_id']) == (net['id'], 'vlan', 'physnet1', 150)
    tenant_view = server.client().as_tenant(net['project_id']).get(
        '/v2.0/networks/%s' % net['id'])
    assert tenant_view.status == 200
    assert 'provider:network_type' not in tenant_view.json['network']
    listed = server.client().get('/v2.0/networks', query={'provider:segmentation_id': '150'})
    assert [n['id'] for n in listed.json['networks']] == [net['id']]


def test_a_taken_vlan_is_refused_with_409(cli, server):
    args = ('--provider-network-type', 'vlan', '--provider-physical-network', 'physnet1',
            '--provider-segment', '160')
    cli('network', 'create', *args, 'prov-%s' % uuid.uuid4().hex[:8], '-f', 'json')
    response = server.client().post('/v2.0/networks', {'network': {
        'name': 'again', 'provider:network_type': 'vlan',
        'provider:physical_network': 'physnet1', 'provider:segmentation_id': 160}})
    assert response.status == 409
    assert response.json['NeutronError']['type'] == 'VlanIdInUse'
