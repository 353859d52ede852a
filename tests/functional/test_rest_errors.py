"""The Quantum/Neutron v2.0 REST API through a live netmgr-server process (SQLite): errors,
tenancy and hostile input.

Every assertion is about what a client sees: status, headers, and the JSON body, including
``{"NeutronError": {"type", "message", "detail"}}`` with Neutron's type names. All tests of this
module share one server; each works on resources it made (unique names, its own networks).
"""

import http.client
import urllib.parse
import uuid

import pytest

from tests.functional.rest_helpers import (
    DEFAULT_TENANT, NO_SUCH_ID, _error, _ids, _ips, _net, _uniq)

pytestmark = pytest.mark.functional


@pytest.fixture(scope='module')
def server(module_server_factory):
    return module_server_factory('rest-api', default_tenant_id=DEFAULT_TENANT)


@pytest.fixture
def api(server):
    """No tenant header, no roles header: the default tenant with the default (admin) role."""
    return server.client()


# ---- errors --------------------------------------------------------------------------------

@pytest.mark.parametrize('raw', [
    '{bad', '{"network": {"name": "x"}', 'null', '"network"', '', b'\xff\xfe{}',
    '{"network": {"name": "x"}} trailing',
], ids=['unquoted', 'unterminated', 'null', 'string', 'empty', 'not-utf8', 'trailing'])
def test_malformed_json_is_400(api, raw):
    for method, path in (('POST', '/v2.0/networks'), ('PUT', '/v2.0/networks/%s' % NO_SUCH_ID)):
        resp = api.request(method, path, raw=raw)
        assert resp.status == 400, (method, resp)
        assert resp.error['type'] == 'MalformedRequestBody'


@pytest.mark.parametrize('body', [
    {'network': 'x'}, [], {'network': [{'name': 'x'}]}, {'port': {}}, {'networks': []},
    {'networks': 'x'}, {'networks': [1]}, 5,
], ids=['string', 'list', 'list-in', 'other-resource', 'empty-bulk', 'bulk-string',
        'bulk-int', 'int'])
def test_body_of_wrong_shape_is_400(api, body):
    resp = api.post('/v2.0/networks', body)
    assert resp.status == 400, resp
    assert resp.error['type'] == 'MalformedRequestBody'


@pytest.mark.parametrize('body', [
    {'admin_state_up': 'maybe'}, {'admin_state_up': None}, {'shared': 'perhaps'},
    {'name': 5}, {'name': 'x' * 256}, {'name': None}, {'description': ['x']},
], ids=['state-maybe', 'state-null', 'shared', 'name-int', 'name-long', 'name-null',
        'description-list'])
def test_attribute_of_wrong_type_is_400(api, body):
    resp = api.post('/v2.0/networks', {'network': body})
    _error(resp, 400, 'InvalidInput')


def test_unknown_and_read_only_attributes_are_400(api):
    net, subnet = _net(api, '10.27.0.0/24')
    port = api.create('port', network_id=net['id'])
    cases = [
        ('POST', '/v2.0/networks', {'network': {'foo': 1}}, 'foo'),
        ('POST', '/v2.0/networks', {'network': {'id': NO_SUCH_ID}}, 'id'),
        ('POST', '/v2.0/networks', {'network': {'status': 'DOWN'}}, 'status'),
        ('POST', '/v2.0/networks', {'network': {'subnets': []}}, 'subnets'),
        ('POST', '/v2.0/ports', {'port': {'network_id': net['id'], 'status': 'ACTIVE'}},
         'status'),
        ('PUT', '/v2.0/networks/%s' % net['id'], {'network': {'bar': 1}}, 'bar'),
        ('PUT', '/v2.0/networks/%s' % net['id'], {'network': {'id': NO_SUCH_ID}}, 'id'),
        ('PUT', '/v2.0/networks/%s' % net['id'], {'network': {'status': 'DOWN'}}, 'status'),
        ('PUT', '/v2.0/networks/%s' % net['id'], {'network': {'tenant_id': 'x'}},
         'tenant_id'),
        ('PUT', '/v2.0/subnets/%s' % subnet['id'], {'subnet': {'cidr': '10.9.0.0/24'}},
         'cidr'),
        ('PUT', '/v2.0/ports/%s' % port['id'], {'port': {'network_id': net['id']}},
         'network_id'),
        ('PUT', '/v2.0/ports/%s' % port['id'],
         {'port': {'mac_address': 'fa:16:3e:00:00:01'}}, 'mac_address'),
        ('PUT', '/v2.0/ports/%s' % port['id'], {'port': {'status': 'ACTIVE'}}, 'status'),
    ]
    for method, path, body, name in cases:
        error = _error(api.request(method, path, body=body), 400, 'InvalidInput')
        assert name in error['message'], (method, path, error)
    assert api.show('network', net['id'])['status'] == 'ACTIVE'
    assert api.show('port', port['id']) == port


def test_missing_required_attribute_is_400(api):
    net, _ = _net(api)
    error = _error(api.post('/v2.0/subnets', {'subnet': {'network_id': net['id'],
                                                         'ip_version': 4}}),
                   400, 'InvalidInput')
    assert 'cidr' in error['message']
    error = _error(api.post('/v2.0/ports', {'port': {}}), 400, 'InvalidInput')
    assert 'network_id' in error['message']


@pytest.mark.parametrize('cidr', ['10.0.0.0/33', 'abc', '10.0.0.5/24', '10.0.0', '',
                                  '300.0.0.0/24', None, 10])
def test_bad_cidr_is_400_invalid_input(api, cidr):
    net, _ = _net(api)
    resp = api.post('/v2.0/subnets', {'subnet': {'network_id': net['id'], 'cidr': cidr,
                                                 'ip_version': 4}})
    _error(resp, 400, 'InvalidInput')
    assert api.show('network', net['id'])['subnets'] == []


def test_subnet_create_errors(api):
    net, subnet = _net(api, '10.28.0.0/24')
    cases = [
        ({'cidr': '10.28.0.0/25'}, 400, 'InvalidInput'),            # overlaps on the network
        ({'cidr': '10.29.0.0/24', 'ip_version': 6}, 400, 'InvalidInput'),
        ({'cidr': '10.29.0.0/24', 'gateway_ip': '10.29.0.0'}, 400, 'InvalidInput'),
        ({'cidr': '10.29.0.0/24', 'allocation_pools': [
            {'start': '10.29.0.10', 'end': '10.29.0.20'},
            {'start': '10.29.0.15', 'end': '10.29.0.30'}]}, 409, 'OverlappingAllocationPools'),
        ({'cidr': '10.29.0.0/24', 'allocation_pools': [
            {'start': '10.29.0.10', 'end': '10.29.1.20'}]}, 400, 'OutOfBoundsAllocationPool'),
        ({'cidr': '10.29.0.0/24', 'network_id': NO_SUCH_ID}, 404, 'NetworkNotFound'),
        ({'cidr': '10.29.0.0/24', 'network_id': 'nope'}, 400, 'InvalidInput'),
        ({'cidr': '10.29.0.0/24', 'dns_nameservers': ['1.1.1.1'] * 2}, 400, 'InvalidInput'),
    ]
    for attrs, status, error_type in cases:
        body = dict({'network_id': net['id'], 'ip_version': 4}, **attrs)
        _error(api.post('/v2.0/subnets', {'subnet': body}), status, error_type)
    assert api.show('network', net['id'])['subnets'] == [subnet['id']]
    resp = api.put('/v2.0/subnets/%s' % subnet['id'], {'subnet': {'allocation_pools': [
        {'start': '10.28.0.10', 'end': '10.28.0.20'},
        {'start': '10.28.0.20', 'end': '10.28.0.30'}]}})
    _error(resp, 409, 'OverlappingAllocationPools')


def test_port_address_errors(api):
    net, subnet = _net(api, '10.30.0.0/24')
    other_net, other_subnet = _net(api, '10.31.0.0/24')
    port = api.create('port', network_id=net['id'], fixed_ips=[{'ip_address': '10.30.0.10'}])

    error = _error(api.post('/v2.0/ports', {'port': {
        'network_id': net['id'], 'fixed_ips': [{'ip_address': '10.31.0.10'}]}}),
        400, 'InvalidIpForNetwork')
    assert '10.31.0.10' in error['message']
    _error(api.post('/v2.0/ports', {'port': {'network_id': net['id'], 'fixed_ips': [
        {'subnet_id': subnet['id'], 'ip_address': '10.31.0.10'}]}}), 400, 'InvalidIpForSubnet')
    _error(api.post('/v2.0/ports', {'port': {'network_id': net['id'], 'fixed_ips': [
        {'subnet_id': other_subnet['id']}]}}), 400, 'InvalidInput')
    error = _error(api.post('/v2.0/ports', {'port': {
        'network_id': net['id'], 'fixed_ips': [{'ip_address': '10.30.0.10'}]}}),
        409, 'IpAddressInUse')
    assert '10.30.0.10' in error['message']
    # the same address on another network is not "in use"
    assert _ips(api.create('port', network_id=other_net['id'],
                           fixed_ips=[{'ip_address': '10.31.0.10'}])) == ['10.31.0.10']
    error = _error(api.post('/v2.0/ports', {'port': {
        'network_id': net['id'], 'mac_address': port['mac_address']}}),
        409, 'MacAddressInUse')
    assert port['mac_address'] in error['message']
    _error(api.post('/v2.0/ports', {'port': {'network_id': net['id'], 'fixed_ips': [
        {'ip_address': '10.30.0.300'}]}}), 400, 'InvalidInput')
    _error(api.post('/v2.0/ports', {'port': {'network_id': NO_SUCH_ID}}),
           404, 'NetworkNotFound')
    # update to an address in use
    second = api.create('port', network_id=net['id'])
    _error(api.put('/v2.0/ports/%s' % second['id'], {'port': {
        'fixed_ips': [{'ip_address': '10.30.0.10'}]}}), 409, 'IpAddressInUse')
    assert api.show('port', second['id']) == second
    assert _ids(api.list('ports', {'network_id': net['id']})) == _ids([port, second])


def test_exhausted_subnet_is_409(api):
    net, subnet = _net(api, '10.32.0.0/29')
    ports = [api.create('port', network_id=net['id']) for _ in range(5)]
    assert sorted(ip for p in ports for ip in _ips(p)) == \
        ['10.32.0.%d' % i for i in range(2, 7)]
    error = _error(api.post('/v2.0/ports', {'port': {'network_id': net['id']}}),
                   409, 'IpAddressGenerationFailure')
    assert net['id'] in error['message']
    api.remove('port', ports[2]['id'])
    assert _ips(api.create('port', network_id=net['id'])) == _ips(ports[2])


def test_in_use_errors(api):
    net, subnet = _net(api, '10.33.0.0/24')
    port = api.create('port', network_id=net['id'], device_owner='compute:nova')
    error = _error(api.delete('/v2.0/networks/%s' % net['id']), 409, 'NetworkInUse')
    assert net['id'] in error['message']
    error = _error(api.delete('/v2.0/subnets/%s.json' % subnet['id']), 409, 'SubnetInUse')
    assert subnet['id'] in error['message']
    assert api.show('network', net['id'])['subnets'] == [subnet['id']]
    assert api.show('port', port['id']) == port
    api.remove('port', port['id'])
    api.remove('subnet', subnet['id'])
    api.remove('network', net['id'])


@pytest.mark.parametrize('collection,error_type', [
    ('networks', 'NetworkNotFound'), ('subnets', 'SubnetNotFound'), ('ports', 'PortNotFound')])
def test_unknown_id_is_404(api, collection, error_type):
    singular = collection[:-1]
    for resource_id in (NO_SUCH_ID, 'not-a-uuid'):
        for suffix in ('', '.json'):
            path = '/v2.0/%s/%s%s' % (collection, resource_id, suffix)
            error = _error(api.get(path), 404, error_type)
            assert resource_id in error['message']
            _error(api.put(path, {singular: {'name': 'x'}}), 404, error_type)
            _error(api.delete(path), 404, error_type)


def test_unknown_path_is_404_and_wrong_method_405(api):
    net, _ = _net(api)
    for path in ('/v2.0/bogus', '/v2.0/bogus.json', '/bogus', '/v3/networks',
                 '/v2.0/networks/%s/extra' % net['id'], '/v2.0/bogus/%s' % net['id'],
                 '/v2.0networks'):
        _error(api.get(path), 404, 'ResourceNotFound')
    for method, path in (('PATCH', '/v2.0/networks/%s' % net['id']),
                         ('POST', '/v2.0/networks/%s' % net['id']),
                         ('PUT', '/v2.0/networks'), ('DELETE', '/v2.0/networks'),
                         ('DELETE', '/v2.0/extensions'), ('POST', '/'),
                         ('POST', '/v2.0/')):
        _error(api.request(method, path, body={}), 405, 'MethodNotAllowed')
    assert api.show('network', net['id']) == net


def test_keep_alive_connection_gets_content_length_everywhere(api):
    """One HTTPConnection for a whole session, as the SDK does; every answer (201, 200, 204,
    400, 404, 405, 409) carries a Content-Length matching its body."""
    statuses = []
    with api.connection() as conn:
        def call(method, path, body=None, raw=None, expect=None):
            resp = conn.request(method, path, body=body, raw=raw)
            length = resp.header('Content-Length')
            assert length is not None, (method, path, resp.status, resp.headers)
            assert int(length) == len(resp.body), (method, path, resp.headers)
            assert resp.header('Connection') != 'close'
            if expect:
                assert resp.status == expect, (method, path, resp)
            statuses.append(resp.status)
            return resp

        call('GET', '/', expect=200)
        call('GET', '/v2.0/extensions', expect=200)
        net = call('POST', '/v2.0/networks', {'network': {'name': _uniq()}},
                   expect=201).json['network']
        call('POST', '/v2.0/subnets', {'subnet': {'network_id': net['id'], 'ip_version': 4,
                                                  'cidr': '10.34.0.0/24'}}, expect=201)
        port = call('POST', '/v2.0/ports', {'port': {
            'network_id': net['id'], 'fixed_ips': [{'ip_address': '10.34.0.9'}]}},
            expect=201).json['port']
        call('POST', '/v2.0/ports', {'port': {
            'network_id': net['id'], 'fixed_ips': [{'ip_address': '10.34.0.9'}]}}, expect=409)
        call('POST', '/v2.0/networks', raw='{bad', expect=400)
        call('GET', '/v2.0/networks/%s' % NO_SUCH_ID, expect=404)
        call('PATCH', '/v2.0/networks/%s' % net['id'], expect=405)
        call('GET', '/v2.0/ports?network_id=%s' % net['id'], expect=200)
        call('DELETE', '/v2.0/ports/%s' % port['id'], expect=204)
        call('DELETE', '/v2.0/networks/%s.json' % net['id'], expect=204)
        call('GET', '/v2.0/networks/%s' % net['id'], expect=404)
    assert {200, 201, 204, 400, 404, 405, 409} <= set(statuses)


# ---- tenancy (noauth) ------------------------------------------------------------------------

def test_no_tenant_header_uses_default_tenant(api, server):
    net = api.create('network', name=_uniq())
    assert net['tenant_id'] == DEFAULT_TENANT
    # the default roles (admin) may name another tenant
    other = api.create('network', name=_uniq(), tenant_id='someone')
    assert other['tenant_id'] == other['project_id'] == 'someone'
    # X-Tenant-Id is understood as well as X-Project-Id
    via_tenant = server.client(**{'X-Tenant-Id': 'legacy', 'X-Roles': 'member'})
    assert via_tenant.create('network', name=_uniq())['tenant_id'] == 'legacy'


def test_tenant_isolation(server):
    a_name, b_name = _uniq('A'), _uniq('B')
    a = server.client().as_tenant(a_name)
    b = server.client().as_tenant(b_name)
    net = a.create('network', name=_uniq())
    assert net['tenant_id'] == a_name
    subnet = a.create('subnet', network_id=net['id'], cidr='10.40.0.0/24', ip_version=4)
    port = a.create('port', network_id=net['id'])
    net = a.show('network', net['id'])

    for collection, resource, error_type in (('networks', net, 'NetworkNotFound'),
                                             ('subnets', subnet, 'SubnetNotFound'),
                                             ('ports', port, 'PortNotFound')):
        path = '/v2.0/%s/%s' % (collection, resource['id'])
        _error(b.get(path), 404, error_type)
        _error(b.put(path, {collection[:-1]: {'name': 'stolen'}}), 404, error_type)
        _error(b.delete(path), 404, error_type)
        assert b.list(collection, {'id': resource['id']}) == []
        assert a.show(collection[:-1], resource['id']) == resource
    # B cannot put a port on A's private network
    _error(b.post('/v2.0/ports', {'port': {'network_id': net['id']}}), 404, 'NetworkNotFound')
    _error(b.post('/v2.0/subnets', {'subnet': {'network_id': net['id'], 'ip_version': 4,
                                               'cidr': '10.41.0.0/24'}}),
           404, 'NetworkNotFound')
    # a member cannot act for another tenant
    _error(b.post('/v2.0/networks', {'network': {'tenant_id': a_name}}), 400, 'InvalidInput')
    assert _ids(a.list('ports', {'network_id': net['id']})) == [port['id']]


def test_shared_network(server):
    admin = server.client().as_tenant(_uniq('adm'), roles='admin')
    a = server.client().as_tenant(_uniq('A'))
    b = server.client().as_tenant(_uniq('B'))
    error = _error(b.post('/v2.0/networks', {'network': {'name': 'x', 'shared': True}}),
                   403, 'PolicyNotAuthorized')
    assert 'shared' in error['message']
    # an empty X-Roles header is no role at all, not the default (admin) roles
    _error(server.client(**{'X-Project-Id': _uniq('C'), 'X-Roles': ''}).post(
        '/v2.0/networks', {'network': {'shared': True}}), 403, 'PolicyNotAuthorized')
    own = b.create('network', name=_uniq())
    _error(b.put('/v2.0/networks/%s' % own['id'], {'network': {'shared': True}}),
           403, 'PolicyNotAuthorized')

    shared = admin.create('network', name=_uniq('shared'), shared=True)
    subnet = admin.create('subnet', network_id=shared['id'], cidr='10.42.0.0/24',
                          ip_version=4)
    assert b.show('network', shared['id'])['shared'] is True
    assert shared['id'] in _ids(b.list('networks', {'shared': 'True'}))
    assert b.show('subnet', subnet['id'])['cidr'] == '10.42.0.0/24'
    # a port, yes; but not a subnet, a network:* port or a chosen MAC on someone's network
    _error(b.post('/v2.0/subnets', {'subnet': {'network_id': shared['id'], 'ip_version': 4,
                                               'cidr': '10.43.0.0/24'}}),
           403, 'PolicyNotAuthorized')
    _error(b.post('/v2.0/ports', {'port': {'network_id': shared['id'],
                                           'device_owner': 'network:dhcp'}}),
           403, 'PolicyNotAuthorized')
    _error(b.post('/v2.0/ports', {'port': {'network_id': shared['id'],
                                           'mac_address': 'fa:16:3e:11:22:33'}}),
           403, 'PolicyNotAuthorized')
    b_port = b.create('port', network_id=shared['id'])
    assert b_port['tenant_id'] != shared['tenant_id']
    assert b_port['fixed_ips'][0]['subnet_id'] == subnet['id']
    # a subnet, yes; an address of one's choosing on someone else's network, no (Neutron's
    # create_port:fixed_ips:ip_address)
    _error(a.post('/v2.0/ports', {'port': {'network_id': shared['id'],
                                           'fixed_ips': [{'ip_address': '10.42.0.99'}]}}),
           403, 'PolicyNotAuthorized')
    a_port = a.create('port', network_id=shared['id'],
                      fixed_ips=[{'subnet_id': subnet['id']}])
    # tenants see their own ports on it, not each other's; the network's owner sees both
    assert _ids(b.list('ports', {'network_id': shared['id']})) == [b_port['id']]
    assert _ids(a.list('ports', {'network_id': shared['id']})) == [a_port['id']]
    _error(b.get('/v2.0/ports/%s' % a_port['id']), 404, 'PortNotFound')
    assert _ids(admin.list('ports', {'network_id': shared['id']})) == \
        _ids([a_port, b_port])
    # only the owner (or admin) may change or delete the network
    _error(b.put('/v2.0/networks/%s' % shared['id'], {'network': {'name': 'mine'}}),
           403, 'PolicyNotAuthorized')
    _error(b.delete('/v2.0/networks/%s' % shared['id']), 403, 'PolicyNotAuthorized')
    _error(b.delete('/v2.0/subnets/%s' % subnet['id']), 403, 'PolicyNotAuthorized')
    # unsharing while other tenants have ports is refused
    _error(admin.put('/v2.0/networks/%s' % shared['id'], {'network': {'shared': False}}),
           409, 'InvalidSharedSetting')
    b.remove('port', b_port['id'])
    a.remove('port', a_port['id'])
    assert admin.put('/v2.0/networks/%s' % shared['id'],
                     {'network': {'shared': False}}).json['network']['shared'] is False
    _error(b.get('/v2.0/networks/%s' % shared['id']), 404, 'NetworkNotFound')


# ---- hostile input: a 4xx, never a 500 -------------------------------------------------------

def test_unicode_round_trip(api):
    name = 'réseau-ü-😀-%s' % uuid.uuid4().hex[:6]
    net = api.create('network', name=name)
    assert net['name'] == name
    assert api.show('network', net['id'])['name'] == name
    assert _ids(api.list('networks', {'name': name})) == [net['id']]


@pytest.mark.parametrize('path', [
    '/v2.0/networks/%ff', '/v2.0/networks?name=%ff', '/v2.0/networks?%ff%fe=1',
    '/v2.0/networks/%00', '/v2.0/networks?name=%00', '/v2.0/networks?id=%00',
    '/v2.0/ports?mac_address=%00', '/v2.0/networks?limit=1&marker=%00',
    '/v2.0/subnets?cidr=a%00b', '/v2.0/networks?fields=%00',
], ids=lambda p: p.rsplit('/', 1)[-1])
def test_bad_bytes_in_url_are_400(api, path):
    _error(api.get(path), 400, 'InvalidInput')


@pytest.mark.parametrize('raw', [
    '{"network": {"name": "a\\u0000b"}}', '{"network": {"name": "\\ud800"}}',
    '{"network": {"name": "x", "description": "\\udfff"}}', '{"network\\u0000": {}}',
    '{"network": ' + '[' * 100000 + ']' * 100000 + '}',
], ids=['nul', 'lone-surrogate', 'lone-low-surrogate', 'nul-key', 'deep'])
def test_bad_strings_in_body_are_400(api, raw):
    resp = api.post('/v2.0/networks', raw=raw)
    _error(resp, 400, 'MalformedRequestBody')


def test_chunked_request_body(server):
    """A body sent with Transfer-Encoding: chunked (no Content-Length) is read."""
    conn = http.client.HTTPConnection('127.0.0.1', server.port, timeout=30)
    try:
        name = _uniq('chunked')
        conn.request('POST', '/v2.0/networks',
                     body=iter([b'{"network": ', b'{"name": "%s"}}' % name.encode()]),
                     headers={'Content-Type': 'application/json'}, encode_chunked=True)
        resp = conn.getresponse()
        body = resp.read()
        assert resp.status == 201, body
        assert resp.getheader('Content-Length') == str(len(body))
    finally:
        conn.close()
    assert [n['name'] for n in server.client().list('networks', {'name': name})] == [name]


def test_pagination_sorted_by_nullable_key(api):
    net, _ = _net(api)
    subnets = [api.create('subnet', network_id=net['id'], cidr='10.90.%d.0/24' % i,
                          ip_version=4, gateway_ip=gw)
               for i, gw in enumerate([None, '10.90.1.1', None, '10.90.3.1', None])]
    for direction in ('asc', 'desc'):
        query = [('network_id', net['id']), ('sort_key', 'gateway_ip'),
                 ('sort_dir', direction), ('limit', '1')]
        resp = api.get('/v2.0/subnets', query=query)
        seen = []
        for _page in range(10):
            assert resp.status == 200, resp
            seen += [s['id'] for s in resp.json['subnets']]
            nxt = [link['href'] for link in resp.json['subnets_links']
                   if link['rel'] == 'next']
            if not nxt:
                break
            parts = urllib.parse.urlsplit(nxt[0])
            resp = api.get(parts.path + '?' + parts.query)
        assert sorted(seen) == _ids(subnets), direction


def test_out_of_range_integer_filter(api):
    resp = api.get('/v2.0/subnets?ip_version=99999999999999999999')
    assert resp.status == 400, resp
    assert resp.json['NeutronError']['type'] == 'InvalidInput'
