"""Modern Nova, unchanged, through the Neutron API: the requests its neutron network API sends
to boot and delete servers with each --nic form, against a live server, with the error
``type`` names Nova maps to its own exceptions."""

import uuid

import pytest

from tests.fixtures.agents import wait_for

pytestmark = pytest.mark.functional

PROJECT = 'nova-project'


@pytest.fixture(scope='module')
def server(vlan_rpc_server):
    return vlan_rpc_server


@pytest.fixture(scope='module')
def admin(server):
    return server.client()


@pytest.fixture(scope='module')
def user(server):
    return server.client().as_tenant(PROJECT)


@pytest.fixture(scope='module')
def network(user):
    net = user.create('network', name='nova-net')
    subnet = user.create('subnet', network_id=net['id'], cidr='10.81.0.0/24', ip_version=4)
    return dict(net, subnets=[subnet['id']])


def _ok(resp, status=200):
    assert resp.status == status, resp
    return resp.json if resp.body else None


def test_extensions_and_quotas_nova_reads(admin, user):
    aliases = {e['alias'] for e in _ok(admin.get('/v2.0/extensions'))['extensions']}
    assert {'binding', 'quotas', 'security-group', 'router', 'external-net',
            'provider'} <= aliases
    quota = _ok(user.get('/v2.0/quotas/%s' % PROJECT))['quota']
    assert {'port', 'network', 'subnet', 'floatingip', 'security_group'} <= set(quota)
    assert isinstance(quota['port'], int)


def test_shows_and_lists_with_fields(user, network):
    shown = _ok(user.get('/v2.0/networks/%s' % network['id'],
                         query=[('fields', 'id'), ('fields', 'name'),
                                ('fields', 'router:external'), ('fields', 'subnets')]))
    assert set(shown['network']) == {'id', 'name', 'router:external', 'subnets'}
    nets = _ok(user.get('/v2.0/networks', query=[('id', network['id']), ('fields', 'id'),
                                                 ('fields', 'tenant_id')]))['networks']
    assert nets == [{'id': network['id'], 'tenant_id': PROJECT}]
    subnets = _ok(user.get('/v2.0/subnets', query=[('id', network['subnets'][0])]))['subnets']
    assert subnets[0]['cidr'] == '10.81.0.0/24'
    shared = _ok(user.get('/v2.0/networks', query={'shared': 'True'}))['networks']
    assert network['id'] not in [n['id'] for n in shared]


def test_boot_and_delete_like_nova(admin, user, network):
    """--nic net-id=X,v4-fixed-ip=Z: create as the user, bind as admin, list, unbind."""
    device = str(uuid.uuid4())
    port = _ok(user.post('/v2.0/ports', {'port': {
        'network_id': network['id'], 'admin_state_up': True, 'tenant_id': PROJECT,
        'fixed_ips': [{'ip_address': '10.81.0.50'}]}}), 201)['port']
    updated = _ok(admin.put('/v2.0/ports/%s' % port['id'], {'port': {
        'device_id': device, 'device_owner': 'compute:nova', 'binding:host_id': 'nowhere',
        'binding:profile': {}}}))['port']
    assert (updated['device_id'], updated['device_owner']) == (device, 'compute:nova')
    assert updated['binding:vif_type'] == 'binding_failed'       # no agent on that host
    by_device = _ok(admin.get('/v2.0/ports', query={'device_id': device}))['ports']
    assert [p['id'] for p in by_device] == [port['id']]
    by_owner = _ok(admin.get('/v2.0/ports', query=[
        ('tenant_id', PROJECT), ('device_owner', 'compute:nova')]))['ports']
    assert port['id'] in [p['id'] for p in by_owner]
    by_ip = _ok(admin.get('/v2.0/ports', query=[
        ('network_id', network['id']), ('fixed_ips', 'ip_address=10.81.0.50')]))['ports']
    assert [p['id'] for p in by_ip] == [port['id']]
    dhcp = _ok(admin.get('/v2.0/ports', query=[('network_id', network['id']),
                                               ('device_owner', 'network:dhcp')]))['ports']
    assert dhcp == []
    fips = _ok(admin.get('/v2.0/floatingips', query={'port_id': port['id']}))['floatingips']
    assert fips == []
    # --nic port-id=Y is kept on delete: Nova unbinds it, with binding:host_id null
    unbound = _ok(admin.put('/v2.0/ports/%s' % port['id'], {'port': {
        'device_id': '', 'device_owner': '', 'binding:host_id': None,
        'binding:profile': {}}}))['port']
    assert (unbound['device_id'], unbound['binding:host_id'],
            unbound['binding:vif_type']) == ('', '', 'unbound')
    _ok(user.delete('/v2.0/ports/%s' % port['id']), 204)


def test_create_with_binding_as_admin_in_one_request(admin, network):
    port = _ok(admin.post('/v2.0/ports', {'port': {
        'network_id': network['id'], 'tenant_id': PROJECT, 'device_id': str(uuid.uuid4()),
        'device_owner': 'compute:nova', 'binding:host_id': None,
        'binding:profile': {'migrating_to': None}}}), 201)['port']
    assert port['tenant_id'] == PROJECT and port['binding:vif_type'] == 'unbound'
    _ok(admin.delete('/v2.0/ports/%s' % port['id']), 204)


@pytest.mark.parametrize('body, status, types', [
    ({'fixed_ips': [{'ip_address': '10.81.0.60'}]}, 409,
     ('IpAddressInUse', 'IpAddressAlreadyAllocated')),
    ({'fixed_ips': [{'ip_address': '192.168.99.9'}]}, 400,
     ('InvalidIpForNetwork', 'InvalidIpForSubnet')),
    ({'network_id': str(uuid.uuid4())}, 404, ('NetworkNotFound',)),
])
def test_errors_nova_maps_by_type(user, network, body, status, types):
    taken = user.post('/v2.0/ports', {'port': {'network_id': network['id'], 'fixed_ips': [
        {'ip_address': '10.81.0.60'}]}})
    attrs = dict({'network_id': network['id'], 'tenant_id': PROJECT}, **body)
    resp = user.post('/v2.0/ports', {'port': attrs})
    assert resp.status == status, resp
    assert resp.error['type'] in types
    if taken.status == 201:
        user.delete('/v2.0/ports/%s' % taken.json['port']['id'])


def test_port_not_found_type(user):
    resp = user.get('/v2.0/ports/%s' % uuid.uuid4())
    assert resp.status == 404 and resp.error['type'] == 'PortNotFound'
    resp = user.put('/v2.0/ports/%s' % uuid.uuid4(), {'port': {'device_id': 'x'}})
    assert resp.status == 404 and resp.error['type'] == 'PortNotFound'


def test_bound_on_a_live_agents_host_is_ovs(admin, server, host):
    """A port bound where an OVS agent is alive gets vif_type ovs and its details."""
    name, _int_br, _agent = host
    net = admin.create('network', name='bound', tenant_id=PROJECT)
    admin.create('subnet', network_id=net['id'], cidr='10.82.0.0/24', ip_version=4,
                 tenant_id=PROJECT)
    port = _ok(admin.post('/v2.0/ports', {'port': {
        'network_id': net['id'], 'tenant_id': PROJECT, 'device_id': str(uuid.uuid4()),
        'device_owner': 'compute:nova', 'binding:host_id': name}}), 201)['port']
    assert port['binding:vif_type'] == 'ovs'
    assert {'port_filter', 'ovs_hybrid_plug'} <= set(port['binding:vif_details'])
    assert port['binding:vif_details']['ovs_hybrid_plug'] is False
    # the user does not see binding details
    seen = _ok(admin.as_tenant(PROJECT).get('/v2.0/ports/%s' % port['id']))['port']
    assert 'binding:vif_type' not in seen
    _ok(admin.delete('/v2.0/ports/%s' % port['id']), 204)
    wait_for(lambda: admin.get('/v2.0/ports/%s' % port['id']).status == 404)
