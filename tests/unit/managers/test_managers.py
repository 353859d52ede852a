"""nova-network's managers on the resource model: Flat, FlatDHCP, Vlan."""

import threading

import pytest

from netmgr.conf import nova_network
from netmgr import context as ctx
from netmgr.db import api as db_api
from netmgr.db.models import core as models
from netmgr import exceptions
from netmgr import managers
from netmgr import wiring


@pytest.fixture
def make_manager(make_client):
    def make(cls, client=None, **options):
        client = client or make_client(**{'l2.network_vlan_ranges': ['physnet1']})
        conf = client.services.conf
        nova_network.register(conf)
        for name, value in options.items():
            conf.set_override(name, value)
        return cls(conf, client)
    return make


def _subnet(manager, network):
    [subnet_id] = network['subnets']
    return manager.client.show_subnet(subnet_id)


def test_flat_network_is_made_once_shared_with_injected_addresses(make_manager):
    manager = make_manager(managers.FlatManager, fixed_range='10.20.0.0/16',
                           physical_network='physnet1', flat_interface='eth1')
    [first] = manager.networks_for_project('p1')
    [again] = manager.networks_for_project('p2')
    assert first['id'] == again['id']
    assert len(manager.client.list_networks()) == 1
    assert first['shared'] is True and first['name'] == 'br100'
    assert (first['provider:network_type'], first['provider:physical_network']) == \
        ('flat', 'physnet1')
    subnet = _subnet(manager, first)
    assert (subnet['cidr'], subnet['enable_dhcp']) == ('10.20.0.0/16', False)
    assert manager.network_meta(first) == {'injected': True, 'multi_host': False,
                                           'bridge_interface': 'eth1'}
    # a tenant can put ports on it
    tenant = manager.client.as_context(ctx.tenant_context('p2'))
    assert tenant.create_port(network_id=first['id'])['fixed_ips']


def test_flat_without_physical_network_is_local(make_manager):
    manager = make_manager(managers.FlatManager, flat_injected=False)
    [network] = manager.networks_for_project('p1')
    assert network['provider:network_type'] == 'local'
    assert manager.network_meta(network)['injected'] is False


def test_flat_dhcp_has_dhcp_and_a_snat_router_to_the_external_network(make_manager):
    manager = make_manager(managers.FlatDHCPManager, fixed_range='10.30.0.0/24',
                           external_network='public')
    ext = manager.client.create_network(name='public', **{'router:external': True})
    manager.client.create_subnet(network_id=ext['id'], cidr='172.24.4.0/24', ip_version=4)
    [network] = manager.networks_for_project('p1')
    assert _subnet(manager, network)['enable_dhcp'] is True
    assert manager.network_meta(network)['injected'] is False
    [router] = manager.client.list_routers()
    assert router['external_gateway_info']['network_id'] == ext['id']
    assert router['external_gateway_info']['enable_snat'] is True
    [intf] = manager.client.list_ports(device_owner='network:router_interface')
    assert intf['fixed_ips'][0]['ip_address'] == '10.30.0.1'


def test_flat_dhcp_with_a_missing_external_network_leaves_nothing(make_manager):
    manager = make_manager(managers.FlatDHCPManager, external_network='nowhere')
    with pytest.raises(Exception, match='nowhere'):
        manager.networks_for_project('p1')
    assert manager.client.list_networks() == []
    assert manager.client.list_routers() == []


def test_vlan_network_per_project_with_vlan_and_slice(make_manager):
    manager = make_manager(managers.VlanManager, fixed_range='10.40.0.0/16',
                           physical_network='physnet1', vlan_start=200, network_size=64,
                           num_networks=3, vlan_interface='eth2')
    [a] = manager.networks_for_project('pa')
    [b] = manager.networks_for_project('pb')
    [a_again] = manager.networks_for_project('pa')
    assert a_again['id'] == a['id'] and a['id'] != b['id']
    assert (a['tenant_id'], a['shared']) == ('pa', False)
    assert (a['provider:network_type'], a['provider:physical_network'],
            a['provider:segmentation_id']) == ('vlan', 'physnet1', 200)
    assert b['provider:segmentation_id'] == 201
    assert _subnet(manager, a)['cidr'] == '10.40.0.0/26'
    assert _subnet(manager, b)['cidr'] == '10.40.0.64/26'
    assert _subnet(manager, b)['enable_dhcp'] is True
    assert manager.network_meta(b) == {'injected': False, 'multi_host': False,
                                       'bridge_interface': 'eth2'}


def test_vlan_skips_a_vlan_someone_else_took(make_manager):
    manager = make_manager(managers.VlanManager, physical_network='physnet1', vlan_start=300,
                           num_networks=2)
    manager.client.create_network(name='other', **{
        'provider:network_type': 'vlan', 'provider:physical_network': 'physnet1',
        'provider:segmentation_id': 300})
    [network] = manager.networks_for_project('pa')
    assert network['provider:segmentation_id'] == 301
    assert _subnet(manager, network)['cidr'] == '10.0.1.0/24'


def test_vlan_num_networks_limit_is_a_clear_error(make_manager):
    manager = make_manager(managers.VlanManager, physical_network='physnet1', num_networks=1)
    manager.networks_for_project('pa')
    with pytest.raises(managers.NoMoreNetworks, match='num_networks is 1'):
        manager.networks_for_project('pb')
    assert len(manager.client.list_networks()) == 1


@pytest.mark.parametrize('cls, options', [
    (managers.VlanManager, {'physical_network': 'physnet1', 'num_networks': 4}),
    (managers.FlatDHCPManager, {}),     # local: no flat segment to collide on
])
def test_concurrent_first_boots_make_one_network(make_conf, tmp_path, cls, options):
    """Three nova-computes (own Database, own lock) on one SQLite file, two boots each."""
    url = 'sqlite:///%s' % (tmp_path / 'shared.db')
    models.Base.metadata.create_all(db_api.Database(url).engine)
    conf = make_conf(**{'l2.network_vlan_ranges': ['physnet1']})
    nova_network.register(conf)
    for name, value in options.items():
        conf.set_override(name, value)
    computes = [cls(conf, wiring.build_client(
        conf, ctx.admin_context('admin'), db=db_api.Database(url))) for _ in range(3)]
    results, errors = [], []

    def boot(manager):
        try:
            results.append(manager.networks_for_project('pa')[0]['id'])
        except Exception as exc:
            errors.append(exc)
    threads = [threading.Thread(target=boot, args=(m,)) for m in computes * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(results) == 6 and len(set(results)) == 1
    assert [n['id'] for n in computes[0].client.list_networks()] == results[:1]
    assert len(computes[0].client.list_subnets()) == 1


def test_a_network_made_while_a_rival_exists_is_removed_before_its_subnet(make_manager):
    """The later of two boots making a project's network at once sees the earlier one (here
    still without its subnet) and gives way; another project's network is no rival."""
    manager = make_manager(managers.VlanManager, physical_network='physnet1')
    other = manager.create('pb', 'vlanb', manager.cidr(0), shared=False, segmentation_id=100,
                           rivals={'tenant_id': 'pb'})
    rival = manager.client.create_network(tenant_id='pa', description=manager.marker)
    assert manager.create('pa', 'vlana', manager.cidr(1), shared=False, segmentation_id=101,
                          rivals={'tenant_id': 'pa'}) is None
    assert {n['id'] for n in manager.client.list_networks()} == {other['id'], rival['id']}
    assert [s['network_id'] for s in manager.client.list_subnets()] == [other['id']]


@pytest.mark.parametrize('options, message', [
    ({}, 'needs physical_network'),
    ({'physical_network': 'physnet1', 'network_size': 100}, 'power of two'),
    ({'physical_network': 'physnet1', 'fixed_range': '10.0.0.0/24', 'num_networks': 2},
     'does not fit'),
    ({'physical_network': 'physnet1', 'vlan_start': 4094, 'num_networks': 2}, 'passes VLAN'),
])
def test_vlan_bad_options_are_refused(make_manager, options, message):
    with pytest.raises(ValueError, match=message):
        make_manager(managers.VlanManager, **options)


def test_load_by_name(make_manager, make_client):
    manager = make_manager(managers.FlatManager)
    manager.conf.set_override('network_manager', 'netmgr.managers.VlanManager')
    manager.conf.set_override('physical_network', 'physnet1')
    assert isinstance(managers.load(manager.conf, manager.client), managers.VlanManager)
    manager.conf.set_override('network_manager', 'nova.network.manager.FlatManager')
    with pytest.raises(ValueError, match='not one of'):
        managers.load(manager.conf, manager.client)
    manager.conf.clear_override('network_manager')
    assert managers.load(manager.conf, manager.client) is None


def test_flat_physical_network_taken_by_another_network_is_reported(make_manager):
    manager = make_manager(managers.FlatManager, physical_network='physnet1')
    manager.client.create_network(name='theirs', **{
        'provider:network_type': 'flat', 'provider:physical_network': 'physnet1'})
    with pytest.raises(exceptions.FlatNetworkInUse):
        manager.networks_for_project('p1')
    assert [n['name'] for n in manager.client.list_networks()] == ['theirs']
