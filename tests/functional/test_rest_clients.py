"""Request sequences as real clients send them (see /work/shared/CLIENT_COMPAT.md), replayed
over HTTP against a live netmgr-server: openstacksdk / the openstack CLI, the 2013 quantum CLI,
and Nova's neutron network API. One server for the module."""

import uuid

import pytest

pytestmark = pytest.mark.functional

SDK_HEADERS = {'X-Auth-Token': 'notused', 'Accept': '*/*',
               'User-Agent': 'openstacksdk/4.0.0 keystoneauth1/5.0.0 python-requests/2.31'}
QUANTUM_HEADERS = {'X-Auth-Token': 'anything', 'Accept': 'application/json',
                   'User-Agent': 'python-quantumclient'}
NOVA_HEADERS = {'X-Auth-Token': 'notused', 'X-Roles': 'admin,service',
                'Accept': 'application/json'}


@pytest.fixture(scope='module')
def server(module_server_factory):
    return module_server_factory('rest-clients')


def _uniq(prefix='c'):
    return '%s-%s' % (prefix, uuid.uuid4().hex[:8])


def _ok(resp, status=200):
    assert resp.status == status, resp
    assert resp.header('Content-Length') is not None and \
        int(resp.header('Content-Length')) == len(resp.body), resp.headers
    return resp.json if resp.body else None


def _neutron_error(resp, status, error_type):
    assert resp.status == status, resp
    error = resp.error  # exactly type, message, detail
    assert error['type'] == error_type, error
    return error


# ---- openstacksdk / openstack CLI ------------------------------------------------------------

def test_sdk_session_on_one_keep_alive_connection(server):
    """`openstack network create`, `subnet create`, `port create --network NAME`, `port show`:
    version discovery without a token, then the calls with X-Auth-Token: notused, all on one
    kept-alive connection."""
    name = _uniq('net')
    with server.client().connection() as conn:
        versions = _ok(conn.get('/', headers={'Accept': 'application/json'}))['versions']
        assert versions[0]['links'][0]['href'] == server.url + '/v2.0/'
        sdk = conn.with_headers(**SDK_HEADERS)
        net = _ok(sdk.post('/v2.0/networks', {'network': {'name': name}}), 201)['network']
        # --network NAME: a show by name first (404), then the name filter
        _neutron_error(sdk.get('/v2.0/networks/%s' % name), 404, 'NetworkNotFound')
        found = _ok(sdk.get('/v2.0/networks?name=%s' % name))['networks']
        assert [n['id'] for n in found] == [net['id']]
        # ...and by id, a show that works
        assert _ok(sdk.get('/v2.0/networks/%s' % net['id']))['network']['name'] == name
        subnet = _ok(sdk.post('/v2.0/subnets', {'subnet': {
            'network_id': net['id'], 'ip_version': 4, 'cidr': '10.0.0.0/24',
            'name': name + '-sub'}}), 201)['subnet']
        _ok(sdk.get('/v2.0/extensions'))
        _neutron_error(sdk.get('/v2.0/extensions/tag-ports-during-bulk-creation'), 404,
                       'ExtensionNotFound')
        port = _ok(sdk.post('/v2.0/ports', {'port': {
            'network_id': net['id'], 'name': name + '-port',
            'fixed_ips': [{'ip_address': '10.0.0.11'}]}}), 201)['port']
        assert port['fixed_ips'] == [{'subnet_id': subnet['id'], 'ip_address': '10.0.0.11'}]
        # `port show NAME`
        _neutron_error(sdk.get('/v2.0/ports/%s' % port['name']), 404, 'PortNotFound')
        found = _ok(sdk.get('/v2.0/ports?name=%s' % port['name']))['ports']
        assert found == [port]
        # `port list --network NAME` asks for a handful of fields
        query = ('fields=id&fields=name&fields=mac_address&fields=fixed_ips&fields=status'
                 '&network_id=%s' % net['id'])
        assert _ok(sdk.get('/v2.0/ports?' + query))['ports'] == [
            {k: port[k] for k in ('id', 'name', 'mac_address', 'fixed_ips', 'status')}]
        # `network list` asks `router:external` nowhere yet; `network delete NAME`
        assert _ok(sdk.delete('/v2.0/ports/%s' % port['id']), 204) is None
        assert _ok(sdk.delete('/v2.0/networks/%s' % net['id']), 204) is None
        _neutron_error(sdk.get('/v2.0/subnets/%s' % subnet['id']), 404, 'SubnetNotFound')


def test_request_id_header(server):
    client = server.client(**SDK_HEADERS)
    resp = client.get('/v2.0/networks')
    assert resp.header('X-Openstack-Request-Id').startswith('req-')
    resp = client.get('/v2.0/networks/%s' % uuid.uuid4())
    assert resp.status == 404 and resp.header('X-Openstack-Request-Id').startswith('req-')
    rid = 'req-%s' % uuid.uuid4()
    assert client.get('/v2.0/networks', headers={'X-Openstack-Request-Id': rid}) \
        .header('X-Openstack-Request-Id') == rid


def test_sdk_port_list_by_fixed_ip(server):
    sdk = server.client(**SDK_HEADERS)
    net = sdk.create('network', name=_uniq())
    sdk.create('subnet', network_id=net['id'], ip_version=4, cidr='10.1.0.0/24')
    port = sdk.create('port', network_id=net['id'], fixed_ips=[{'ip_address': '10.1.0.11'}])
    resp = sdk.get('/v2.0/ports?fields=id&fields=fixed_ips&network_id=%s'
                   '&fixed_ips=ip_address%%3D10.1.0.11' % net['id'])
    assert _ok(resp)['ports'] == [{'id': port['id'], 'fixed_ips': port['fixed_ips']}]


# ---- quantum CLI (python-quantumclient 2.2.4.3) -----------------------------------------------

def test_quantum_cli_session(server):
    q = server.client(**QUANTUM_HEADERS)
    net_name = _uniq('qnet')
    # net-create NAME
    net = _ok(q.post('/v2.0/networks.json', {'network': {'name': net_name,
                                                         'admin_state_up': True}}),
              201)['network']
    # subnet-create NAME CIDR --name subnet1 -- --enable_dhcp=False
    # (the name lookup of the network first)
    found = _ok(q.get('/v2.0/networks.json?fields=id&name=%s' % net_name))['networks']
    assert found == [{'id': net['id']}]
    sub_name = _uniq('qsub')
    subnet = _ok(q.post('/v2.0/subnets.json', {'subnet': {
        'network_id': net['id'], 'ip_version': 4, 'cidr': '10.2.0.0/24', 'name': sub_name,
        'enable_dhcp': 'False'}}), 201)['subnet']
    assert subnet['enable_dhcp'] is False
    assert b'"enable_dhcp": false' in q.get('/v2.0/subnets/%s.json' % subnet['id']).body
    # subnet-show subnet1: lookup by name, 1 row
    assert _ok(q.get('/v2.0/subnets.json?fields=id&name=%s' % sub_name))['subnets'] == \
        [{'id': subnet['id']}]
    # 0 rows: "Unable to find"
    assert _ok(q.get('/v2.0/subnets.json?fields=id&name=%s' % _uniq()))['subnets'] == []
    # net-list: networks, then the cidrs of their subnets
    nets = _ok(q.get('/v2.0/networks.json'))['networks']
    mine = [n for n in nets if n['id'] == net['id']]
    assert mine and mine[0]['subnets'] == [subnet['id']]
    second = q.create('subnet', network_id=net['id'], ip_version=4, cidr='10.3.0.0/24',
                      name=sub_name)
    resp = q.get('/v2.0/subnets.json?fields=id&fields=cidr&id=%s&id=%s'
                 % (subnet['id'], second['id']))
    assert sorted(_ok(resp)['subnets'], key=lambda s: s['cidr']) == [
        {'id': subnet['id'], 'cidr': '10.2.0.0/24'},
        {'id': second['id'], 'cidr': '10.3.0.0/24'}]
    # 2 rows: "Multiple subnet matches found"
    assert len(_ok(q.get('/v2.0/subnets.json?fields=id&name=%s' % sub_name))['subnets']) == 2
    # subnet-update ID -- --enable_dhcp=True
    resp = q.put('/v2.0/subnets/%s.json' % subnet['id'],
                 {'subnet': {'enable_dhcp': 'True'}})
    assert _ok(resp)['subnet']['enable_dhcp'] is True
    # port-create NET --fixed-ip ip_address=10.2.0.5
    port = _ok(q.post('/v2.0/ports.json', {'port': {
        'network_id': net['id'], 'admin_state_up': True,
        'fixed_ips': [{'ip_address': '10.2.0.5'}]}}), 201)['port']
    assert port['fixed_ips'] == [{'subnet_id': subnet['id'], 'ip_address': '10.2.0.5'}]
    # errors carry type, message and detail
    error = _neutron_error(q.delete('/v2.0/networks/%s.json' % net['id']), 409,
                           'NetworkInUse')
    assert net['id'] in error['message']
    error = _neutron_error(q.post('/v2.0/ports.json', {'port': {
        'network_id': net['id'], 'fixed_ips': [{'ip_address': '10.2.0.5'}]}}), 409,
        'IpAddressInUse')
    _neutron_error(q.get('/v2.0/ports/%s.json' % uuid.uuid4()), 404, 'PortNotFound')
    # port-delete, subnet-delete, net-delete: all with .json
    assert _ok(q.delete('/v2.0/ports/%s.json' % port['id']), 204) is None
    assert _ok(q.delete('/v2.0/subnets/%s.json' % subnet['id']), 204) is None
    assert _ok(q.delete('/v2.0/networks/%s.json' % net['id']), 204) is None
    assert _ok(q.get('/v2.0/subnets.json?fields=id&name=%s' % sub_name))['subnets'] == []


# ---- Nova ----------------------------------------------------------------------------------

def test_nova_allocate_and_release(server):
    """allocate_for_instance / deallocate with Nova's privileged client."""
    project = _uniq('proj')
    owner = server.client().as_tenant(project)
    nova = server.client(**NOVA_HEADERS)
    net = owner.create('network', name=_uniq())
    subnet = owner.create('subnet', network_id=net['id'], ip_version=4, cidr='10.4.0.0/24')
    instance = str(uuid.uuid4())

    _ok(nova.get('/v2.0/extensions'))
    # validate_networks
    nets = _ok(nova.get('/v2.0/networks?id=%s&id=%s' % (net['id'], net['id'])))['networks']
    assert [n['id'] for n in nets] == [net['id']] and nets[0]['subnets'] == [subnet['id']]
    assert _ok(nova.get('/v2.0/networks/%s?fields=segments' % net['id'])) == {'network': {}}
    # create the port for the instance's project
    port = _ok(nova.post('/v2.0/ports', {'port': {
        'network_id': net['id'], 'tenant_id': project, 'device_id': instance,
        'device_owner': 'compute:nova', 'admin_state_up': True,
        'fixed_ips': [{'ip_address': '10.4.0.20'}]}}), 201)['port']
    assert port['tenant_id'] == project and port['device_owner'] == 'compute:nova'
    # the fixed IP is taken: Nova maps the type to FixedIpAlreadyInUse
    _neutron_error(nova.post('/v2.0/ports', {'port': {
        'network_id': net['id'], 'tenant_id': project, 'device_id': instance,
        'fixed_ips': [{'ip_address': '10.4.0.20'}]}}), 409, 'IpAddressInUse')
    # ...and an address outside the network to InvalidInput
    _neutron_error(nova.post('/v2.0/ports', {'port': {
        'network_id': net['id'], 'tenant_id': project, 'device_id': instance,
        'fixed_ips': [{'ip_address': '192.0.2.5'}]}}), 400, 'InvalidIpForNetwork')
    # the owner sees it; lookups Nova makes
    assert [p['id'] for p in owner.list('ports', {'device_id': instance})] == [port['id']]
    assert [p['id'] for p in _ok(nova.get('/v2.0/ports?tenant_id=%s&device_id=%s' % (
        project, instance)))['ports']] == [port['id']]
    assert _ok(nova.get('/v2.0/ports?network_id=%s&device_owner=network%%3Adhcp'
                        % net['id']))['ports'] == []
    assert _ok(nova.get('/v2.0/subnets?id=%s' % subnet['id']))['subnets'][0]['cidr'] == \
        '10.4.0.0/24'
    # deallocate: release (clears device_id / device_owner), then delete
    resp = nova.put('/v2.0/ports/%s' % port['id'], {'port': {'device_id': '',
                                                             'device_owner': ''}})
    released = _ok(resp)['port']
    assert (released['device_id'], released['device_owner']) == ('', '')
    assert _ok(nova.delete('/v2.0/ports/%s' % port['id']), 204) is None
    # a port gone is PortNotFound (Nova tolerates exactly this type on delete)
    _neutron_error(nova.delete('/v2.0/ports/%s' % port['id']), 404, 'PortNotFound')
    _neutron_error(nova.get('/v2.0/ports/%s' % port['id']), 404, 'PortNotFound')
