"""The Quantum/Neutron v2.0 REST API through a live netmgr-server process (SQLite): resources,
lists and client value forms.

Every assertion is about what a client sees: status, headers, and the JSON body, including
``{"NeutronError": {"type", "message", "detail"}}`` with Neutron's type names. All tests of this
module share one server; each works on resources it made (unique names, its own networks).
"""

import pytest

from tests.functional.rest_helpers import (
    DEFAULT_TENANT, NO_SUCH_ID, _error, _follow, _ids, _ips, _links, _net, _uniq)

pytestmark = pytest.mark.functional


@pytest.fixture(scope='module')
def server(module_server_factory):
    return module_server_factory('rest-api', default_tenant_id=DEFAULT_TENANT)


@pytest.fixture
def api(server):
    """No tenant header, no roles header: the default tenant with the default (admin) role."""
    return server.client()


# ---- version document and extensions -----------------------------------------------------

def test_version_document_needs_no_token(server):
    client = server.client()
    for headers in ({}, {'Accept': '*/*'}):
        resp = client.get('/', headers=headers)
        assert resp.status == 200, resp
        assert resp.header('Content-Type').startswith('application/json')
        versions = resp.json['versions']
        assert [(v['id'], v['status']) for v in versions] == [('v2.0', 'CURRENT')]
        links = versions[0]['links']
        self_links = [link['href'] for link in links if link['rel'] == 'self']
        assert len(self_links) == 1
        assert self_links[0] == server.url + '/v2.0/'


def test_v2_root_lists_resources(api, server):
    for path in ('/v2.0', '/v2.0/', '/v2.0.json'):
        resp = api.get(path)
        assert resp.status == 200, (path, resp)
        by_collection = {r['collection']: r for r in resp.json['resources']}
        assert {'networks', 'subnets', 'ports'} <= set(by_collection)
        assert by_collection['ports']['name'] == 'port'
        assert by_collection['ports']['links'][0]['href'] == server.url + '/v2.0/ports'


def test_extensions_list_and_unknown_aliases(api):
    for path in ('/v2.0/extensions', '/v2.0/extensions.json'):
        resp = api.get(path, headers={'X-Auth-Token': 'notused'})
        assert resp.status == 200, resp
        extensions = resp.json['extensions']
        assert isinstance(extensions, list)
        for ext in extensions:
            assert {'alias', 'name', 'description', 'updated', 'links'} <= set(ext)
    aliases = [e['alias'] for e in resp.json['extensions']]
    if aliases:
        resp = api.get('/v2.0/extensions/%s' % aliases[0])
        assert resp.status == 200 and resp.json['extension']['alias'] == aliases[0]
    for alias in ('tag-ports-during-bulk-creation', 'external-gateway-multihoming'):
        assert alias not in aliases
        for suffix in ('', '.json'):
            resp = api.get('/v2.0/extensions/%s%s' % (alias, suffix))
            error = _error(resp, 404, 'ExtensionNotFound')
            assert alias in error['message']


# ---- networks, subnets, ports CRUD -------------------------------------------------------

def _check_deleted(resp):
    assert resp.status == 204, resp
    assert resp.body == b''
    assert resp.header('Content-Length') == '0', resp.headers


def test_network_crud(api):
    name = _uniq('net')
    resp = api.post('/v2.0/networks', {'network': {'name': name}})
    assert resp.status == 201, resp
    net = resp.json['network']
    assert net['name'] == name
    assert net['tenant_id'] == net['project_id'] == DEFAULT_TENANT
    assert net['admin_state_up'] is True and net['shared'] is False
    assert net['status'] == 'ACTIVE' and net['subnets'] == []
    assert {'id', 'description', 'created_at', 'updated_at'} <= set(net)

    for path in ('/v2.0/networks/%s', '/v2.0/networks/%s.json'):
        resp = api.get(path % net['id'])
        assert resp.status == 200 and resp.json['network'] == net, resp

    resp = api.get('/v2.0/networks', query={'name': name})
    assert resp.status == 200 and resp.json == {'networks': [net]}, resp

    resp = api.put('/v2.0/networks/%s' % net['id'],
                   {'network': {'name': name + '-x', 'admin_state_up': False,
                                'description': 'd'}})
    assert resp.status == 200, resp
    updated = resp.json['network']
    assert (updated['name'], updated['admin_state_up'], updated['description']) == \
        (name + '-x', False, 'd')
    assert api.show('network', net['id']) == updated

    _check_deleted(api.delete('/v2.0/networks/%s' % net['id']))
    _error(api.get('/v2.0/networks/%s' % net['id']), 404, 'NetworkNotFound')
    assert api.list('networks', {'name': name + '-x'}) == []


def test_subnet_crud_json_suffix(api):
    net, _ = _net(api)
    body = {'subnet': {'network_id': net['id'], 'ip_version': 4, 'cidr': '10.20.0.0/24',
                       'name': 'sub1', 'allocation_pools': [
                           {'start': '10.20.0.10', 'end': '10.20.0.20'},
                           {'start': '10.20.0.100', 'end': '10.20.0.110'}],
                       'dns_nameservers': ['8.8.8.8', '8.8.4.4'],
                       'host_routes': [{'destination': '10.30.0.0/24',
                                        'nexthop': '10.20.0.254'}]}}
    resp = api.post('/v2.0/subnets.json', body)
    assert resp.status == 201, resp
    subnet = resp.json['subnet']
    assert subnet['cidr'] == '10.20.0.0/24' and subnet['ip_version'] == 4
    assert subnet['gateway_ip'] == '10.20.0.1'
    assert subnet['allocation_pools'] == body['subnet']['allocation_pools']
    assert subnet['dns_nameservers'] == ['8.8.8.8', '8.8.4.4']
    assert subnet['host_routes'] == body['subnet']['host_routes']
    assert subnet['enable_dhcp'] is True
    assert subnet['tenant_id'] == DEFAULT_TENANT

    assert api.get('/v2.0/subnets/%s.json' % subnet['id']).json['subnet'] == subnet
    assert api.get('/v2.0/networks/%s.json' % net['id']).json['network']['subnets'] == \
        [subnet['id']]
    resp = api.put('/v2.0/subnets/%s.json' % subnet['id'],
                   {'subnet': {'name': 'sub2', 'dns_nameservers': ['1.1.1.1'],
                               'gateway_ip': None}})
    assert resp.status == 200, resp
    assert (resp.json['subnet']['name'], resp.json['subnet']['dns_nameservers'],
            resp.json['subnet']['gateway_ip']) == ('sub2', ['1.1.1.1'], None)
    resp = api.get('/v2.0/subnets.json', query={'network_id': net['id']})
    assert [s['name'] for s in resp.json['subnets']] == ['sub2']

    _check_deleted(api.delete('/v2.0/subnets/%s.json' % subnet['id']))
    _error(api.get('/v2.0/subnets/%s.json' % subnet['id']), 404, 'SubnetNotFound')
    assert api.show('network', net['id'])['subnets'] == []
    _check_deleted(api.delete('/v2.0/networks/%s.json' % net['id']))
    _error(api.delete('/v2.0/networks/%s.json' % net['id']), 404, 'NetworkNotFound')


def test_port_crud(api):
    net, subnet = _net(api, '10.21.0.0/24')
    resp = api.post('/v2.0/ports.json', {'port': {
        'network_id': net['id'], 'name': 'p1', 'device_id': 'vm-1',
        'device_owner': 'compute:nova', 'fixed_ips': [{'ip_address': '10.21.0.50'}]}})
    assert resp.status == 201, resp
    port = resp.json['port']
    assert port['fixed_ips'] == [{'subnet_id': subnet['id'], 'ip_address': '10.21.0.50'}]
    assert port['network_id'] == net['id'] and port['status'] == 'DOWN'
    assert port['tenant_id'] == port['project_id'] == DEFAULT_TENANT
    assert port['mac_address'].startswith('fa:16:3e:')
    assert (port['device_id'], port['device_owner'], port['admin_state_up']) == \
        ('vm-1', 'compute:nova', True)

    assert api.get('/v2.0/ports/%s.json' % port['id']).json['port'] == port
    resp = api.put('/v2.0/ports/%s.json' % port['id'],
                   {'port': {'device_id': '', 'device_owner': '', 'name': 'p2',
                             'fixed_ips': [{'ip_address': '10.21.0.51'}]}})
    assert resp.status == 200, resp
    updated = resp.json['port']
    assert (updated['device_id'], updated['device_owner'], updated['name']) == ('', '', 'p2')
    assert _ips(updated) == ['10.21.0.51']
    # The old address went back: another port may take it.
    other = api.create('port', network_id=net['id'],
                       fixed_ips=[{'ip_address': '10.21.0.50'}])
    _check_deleted(api.delete('/v2.0/ports/%s.json' % port['id']))
    _error(api.get('/v2.0/ports/%s' % port['id']), 404, 'PortNotFound')
    assert [p['id'] for p in api.list('ports', {'network_id': net['id']})] == [other['id']]


def test_show_by_name_is_404_so_clients_fall_back_to_name_filter(api):
    net, subnet = _net(api, '10.22.0.0/24')
    port = api.create('port', network_id=net['id'], name=_uniq('port'))
    for singular, resource, error_type in (('network', net, 'NetworkNotFound'),
                                           ('subnet', subnet, 'SubnetNotFound'),
                                           ('port', port, 'PortNotFound')):
        resp = api.get('/v2.0/%ss/%s' % (singular, resource['name']))
        error = _error(resp, 404, error_type)
        assert resource['name'] in error['message']
        found = api.list(singular + 's', {'name': resource['name']})
        assert [r['id'] for r in found] == [resource['id']]


# ---- filters and fields ---------------------------------------------------------------------

@pytest.fixture
def topology(api):
    """Two networks (one admin-down), subnets and ports with known addresses."""
    tag = _uniq('topo')
    net1 = api.create('network', name=tag + '-1', description=tag)
    net2 = api.create('network', name=tag + '-2', description=tag, admin_state_up=False)
    sub1 = api.create('subnet', network_id=net1['id'], cidr='10.0.0.0/24', ip_version=4,
                      name=tag + '-s1')
    sub2 = api.create('subnet', network_id=net1['id'], cidr='10.0.1.0/24', ip_version=4,
                      name=tag + '-s2')
    sub3 = api.create('subnet', network_id=net2['id'], cidr='10.0.0.0/24', ip_version=4,
                      name=tag + '-s3')
    port1 = api.create('port', network_id=net1['id'], device_id=tag + '-vm1',
                       fixed_ips=[{'ip_address': '10.0.0.11'}])
    port2 = api.create('port', network_id=net1['id'], device_id=tag + '-vm2',
                       fixed_ips=[{'subnet_id': sub2['id']}])
    port3 = api.create('port', network_id=net2['id'], device_id=tag + '-vm1',
                       fixed_ips=[{'ip_address': '10.0.0.12'}])
    return dict(tag=tag, net1=net1, net2=net2, sub1=sub1, sub2=sub2, sub3=sub3, port1=port1,
                port2=port2, port3=port3)


def test_filters(api, topology):
    t = topology
    assert _ids(api.list('networks', {'name': t['tag'] + '-1'})) == [t['net1']['id']]
    # repeated id: OR
    query = [('id', t['net1']['id']), ('id', t['net2']['id']), ('id', NO_SUCH_ID)]
    assert _ids(api.list('networks', query)) == _ids([t['net1'], t['net2']])
    # Nova asks networks?id=A&id=A
    query = [('id', t['net1']['id']), ('id', t['net1']['id'])]
    assert _ids(api.list('networks', query)) == [t['net1']['id']]
    # string booleans
    assert _ids(api.list('networks', [('description', t['tag']),
                                      ('admin_state_up', 'False')])) == [t['net2']['id']]
    assert _ids(api.list('networks', [('description', t['tag']),
                                      ('admin_state_up', 'True')])) == [t['net1']['id']]
    assert api.list('networks', [('description', t['tag']), ('shared', 'True')]) == []
    assert len(api.list('networks', [('description', t['tag']), ('shared', 'false')])) == 2
    # network_id, cidr, device_id
    assert _ids(api.list('subnets', {'network_id': t['net1']['id']})) == \
        _ids([t['sub1'], t['sub2']])
    assert _ids(api.list('subnets', [('cidr', '10.0.0.0/24'),
                                     ('network_id', t['net1']['id']),
                                     ('network_id', t['net2']['id'])])) == \
        _ids([t['sub1'], t['sub3']])
    assert _ids(api.list('ports', {'network_id': t['net2']['id']})) == [t['port3']['id']]
    assert _ids(api.list('ports', {'device_id': t['tag'] + '-vm1'})) == \
        _ids([t['port1'], t['port3']])
    assert _ids(api.list('ports', [('device_id', t['tag'] + '-vm1'),
                                   ('tenant_id', DEFAULT_TENANT)])) == \
        _ids([t['port1'], t['port3']])
    assert api.list('ports', [('device_id', t['tag'] + '-vm1'),
                              ('tenant_id', 'someone-else')]) == []
    assert api.list('ports', [('network_id', t['net1']['id']),
                              ('device_owner', 'network:dhcp')]) == []


def test_unknown_filter_is_400(api, topology):
    for path, name in (('/v2.0/networks?foo=bar', 'foo'),
                       ('/v2.0/ports?bogus=1&name=x', 'bogus'),
                       ('/v2.0/subnets.json?allocation_pools=x', 'allocation_pools')):
        error = _error(api.get(path), 400, 'InvalidFilter')
        assert name in error['message']
    _error(api.get('/v2.0/networks?admin_state_up=maybe'), 400, 'InvalidInput')


def test_fixed_ips_filters(api, topology):
    t = topology
    # (other tests' topologies use the same addresses: scope by device_id or network)
    resp = api.get('/v2.0/ports?fixed_ips=ip_address%%3D10.0.0.11&device_id=%s'
                   % (t['tag'] + '-vm1'))
    assert resp.status == 200, resp
    assert _ids(resp.json['ports']) == [t['port1']['id']]
    resp = api.get('/v2.0/ports?fixed_ips=ip_address%%3D10.0.0.11&fixed_ips=ip_address'
                   '%%3D10.0.0.12&device_id=%s' % (t['tag'] + '-vm1'))
    assert _ids(resp.json['ports']) == _ids([t['port1'], t['port3']])
    resp = api.get('/v2.0/ports?fixed_ips=subnet_id%%3D%s&fields=id' % t['sub2']['id'])
    assert resp.status == 200, resp
    assert resp.json['ports'] == [{'id': t['port2']['id']}]
    resp = api.get('/v2.0/ports?fixed_ips=ip_address%%3D10.0.0.12&network_id=%s'
                   % t['net1']['id'])
    assert resp.status == 200 and resp.json['ports'] == [], resp


def test_fields(api, topology):
    t = topology
    # The quantum CLI's net-list second request.
    resp = api.get('/v2.0/subnets.json?fields=id&fields=cidr&id=%s&id=%s'
                   % (t['sub1']['id'], t['sub2']['id']))
    assert resp.status == 200, resp
    assert sorted(resp.json['subnets'], key=lambda s: s['id']) == sorted(
        [{'id': t['sub1']['id'], 'cidr': '10.0.0.0/24'},
         {'id': t['sub2']['id'], 'cidr': '10.0.1.0/24'}], key=lambda s: s['id'])
    # quantum CLI name lookup
    resp = api.get('/v2.0/subnets.json?fields=id&name=%s' % t['sub3']['name'])
    assert resp.json == {'subnets': [{'id': t['sub3']['id']}]}
    resp = api.get('/v2.0/networks/%s?fields=id' % t['net1']['id'])
    assert resp.status == 200 and resp.json == {'network': {'id': t['net1']['id']}}, resp
    resp = api.get('/v2.0/networks/%s.json?fields=id&fields=subnets' % t['net1']['id'])
    assert set(resp.json['network']) == {'id', 'subnets'}
    assert sorted(resp.json['network']['subnets']) == _ids([t['sub1'], t['sub2']])
    # Nova: an attribute this server does not have gives 200 and an empty dict
    resp = api.get('/v2.0/networks/%s?fields=segments' % t['net1']['id'])
    assert resp.status == 200 and resp.json == {'network': {}}, resp
    resp = api.get('/v2.0/ports?device_id=%s&fields=mac_address&fields=fixed_ips'
                   % (t['tag'] + '-vm2'))
    assert resp.json['ports'] == [{'mac_address': t['port2']['mac_address'],
                                   'fixed_ips': t['port2']['fixed_ips']}]


# ---- sorting and pagination -----------------------------------------------------------------

@pytest.fixture
def five_networks(api):
    tag = _uniq('page')
    # names: b, b, a, c, a -> sorting by name alone is ambiguous
    nets = [api.create('network', name=n, description=tag, admin_state_up=up)
            for n, up in (('b', True), ('b', False), ('a', True), ('c', False), ('a', False))]
    return tag, nets


def test_sorting(api, five_networks):
    tag, nets = five_networks

    def listed(query):
        return [n['id'] for n in api.list('networks', [('description', tag)] + query)]

    expected = [n['id'] for n in sorted(nets, key=lambda n: (n['name'], n['id']))]
    assert listed([('sort_key', 'name'), ('sort_dir', 'asc')]) == expected
    assert listed([('sort_key', 'name')]) == expected
    expected = [n['id'] for n in sorted(nets, key=lambda n: (n['name'], n['id']),
                                        reverse=True)]
    assert listed([('sort_key', 'name'), ('sort_dir', 'desc'),
                   ('sort_key', 'id'), ('sort_dir', 'desc')]) == expected
    # two keys, mixed directions: name asc, admin_state_up desc
    expected = [n['id'] for n in sorted(
        sorted(nets, key=lambda n: n['id']), key=lambda n: (n['name'], not n['admin_state_up']))]
    assert listed([('sort_key', 'name'), ('sort_dir', 'asc'),
                   ('sort_key', 'admin_state_up'), ('sort_dir', 'desc')]) == expected
    _error(api.get('/v2.0/networks?sort_key=bogus'), 400, 'InvalidSortKey')
    _error(api.get('/v2.0/networks?sort_key=name&sort_dir=up'), 400, 'InvalidInput')
    _error(api.get('/v2.0/networks?sort_key=name&sort_key=id&sort_dir=asc'), 400,
           'InvalidInput')


@pytest.mark.parametrize('fields', [[], ['name']], ids=['all-fields', 'fields-without-id'])
def test_pagination_links_work_when_followed(api, server, five_networks, fields):
    tag, nets = five_networks
    expected = sorted(nets, key=lambda n: (n['name'], n['id']))
    query = [('description', tag), ('sort_key', 'name'), ('sort_dir', 'asc'),
             ('limit', '2')] + [('fields', f) for f in fields]

    def shown(items):
        if fields:
            assert all(set(i) == set(fields) for i in items), items
            return [i['name'] for i in items]
        return [i['id'] for i in items]

    def want(items):
        return [i['name'] for i in items] if fields else [i['id'] for i in items]

    resp = api.get('/v2.0/networks', query=query)
    assert resp.status == 200, resp
    body = resp.json
    pages = [shown(body['networks'])]
    assert 'previous' not in _links(body)
    while 'next' in _links(body):
        body = _follow(api, _links(body)['next'], server)
        pages.append(shown(body['networks']))
        assert 'previous' in _links(body)
    assert pages == [want(expected[0:2]), want(expected[2:4]), want(expected[4:5])]
    back = [shown(body['networks'])]
    while 'previous' in _links(body):
        body = _follow(api, _links(body)['previous'], server)
        back.append(shown(body['networks']))
    assert back == list(reversed(pages))


def test_pagination_marker_and_page_reverse(api, five_networks):
    tag, nets = five_networks
    ids = [n['id'] for n in sorted(nets, key=lambda n: n['id'])]
    base = [('description', tag), ('fields', 'id')]
    page = api.list('networks', base + [('limit', '2'), ('marker', ids[1])])
    assert [n['id'] for n in page] == ids[2:4]
    page = api.list('networks', base + [('limit', '2'), ('marker', ids[3]),
                                        ('page_reverse', 'True')])
    assert [n['id'] for n in page] == ids[1:3]
    page = api.list('networks', base + [('limit', '2'), ('page_reverse', 'True')])
    assert [n['id'] for n in page] == ids[3:5]
    assert [n['id'] for n in api.list('networks', base + [('limit', '0')])] == ids
    _error(api.get('/v2.0/networks?limit=x'), 400, 'InvalidInput')
    _error(api.get('/v2.0/networks?limit=-1'), 400, 'InvalidInput')
    _error(api.get('/v2.0/networks?limit=1&marker=%s' % NO_SUCH_ID), 404, 'MarkerNotFound')


# ---- bulk create ---------------------------------------------------------------------------

def test_bulk_create(api):
    net, subnet = _net(api, '10.23.0.0/24')
    resp = api.post('/v2.0/ports', {'ports': [
        {'network_id': net['id'], 'name': 'b1'},
        {'network_id': net['id'], 'name': 'b2', 'fixed_ips': [{'ip_address': '10.23.0.77'}]},
    ]})
    assert resp.status == 201, resp
    ports = resp.json['ports']
    assert [p['name'] for p in ports] == ['b1', 'b2']
    assert _ips(ports[1]) == ['10.23.0.77']
    assert ports[0]['fixed_ips'][0]['subnet_id'] == subnet['id']
    assert _ids(api.list('ports', {'network_id': net['id']})) == _ids(ports)
    resp = api.post('/v2.0/networks.json', {'networks': [{'name': 'bn1'}, {'name': 'bn2'}]})
    assert resp.status == 201 and [n['name'] for n in resp.json['networks']] == \
        ['bn1', 'bn2'], resp


def test_bulk_create_is_all_or_nothing(api):
    net, subnet = _net(api, '10.24.0.0/24')
    keep = api.create('port', network_id=net['id'], fixed_ips=[{'ip_address': '10.24.0.5'}])
    mac = api.create('port', network_id=net['id'])
    before = api.list('ports', {'network_id': net['id']})

    # IP in use in the last item: the first two were allocated, then rolled back.
    resp = api.post('/v2.0/ports', {'ports': [
        {'network_id': net['id'], 'fixed_ips': [{'ip_address': '10.24.0.20'}]},
        {'network_id': net['id'], 'fixed_ips': [{'ip_address': '10.24.0.21'}]},
        {'network_id': net['id'], 'fixed_ips': [{'ip_address': '10.24.0.5'}]}]})
    _error(resp, 409, 'IpAddressInUse')
    # MAC in use in the second item
    resp = api.post('/v2.0/ports', {'ports': [
        {'network_id': net['id'], 'fixed_ips': [{'ip_address': '10.24.0.22'}]},
        {'network_id': net['id'], 'mac_address': mac['mac_address']}]})
    _error(resp, 409, 'MacAddressInUse')
    # invalid item (validation, before anything is written)
    resp = api.post('/v2.0/ports', {'ports': [
        {'network_id': net['id']}, {'network_id': net['id'], 'mac_address': 'zz'}]})
    _error(resp, 400, 'InvalidInput')
    # an item on a network that does not exist
    resp = api.post('/v2.0/ports', {'ports': [
        {'network_id': net['id']}, {'network_id': NO_SUCH_ID}]})
    _error(resp, 404, 'NetworkNotFound')

    assert api.list('ports', {'network_id': net['id']}) == before
    # no address was left behind: each one can be taken again
    for ip in ('10.24.0.20', '10.24.0.21', '10.24.0.22'):
        assert _ips(api.create('port', network_id=net['id'],
                               fixed_ips=[{'ip_address': ip}])) == [ip]
    assert keep['id'] in _ids(api.list('ports', {'network_id': net['id']}))


def test_bulk_create_all_or_nothing_on_exhaustion(api):
    net, subnet = _net(api, '10.25.0.0/29')  # pool .2 - .6: five addresses
    api.create('port', network_id=net['id'])
    api.create('port', network_id=net['id'])
    resp = api.post('/v2.0/ports', {'ports': [{'network_id': net['id']}] * 4})
    _error(resp, 409, 'IpAddressGenerationFailure')
    assert len(api.list('ports', {'network_id': net['id']})) == 2
    resp = api.post('/v2.0/ports', {'ports': [{'network_id': net['id']}] * 3})
    assert resp.status == 201, resp
    allocated = sorted(ip for p in api.list('ports', {'network_id': net['id']})
                       for ip in _ips(p))
    assert allocated == ['10.25.0.%d' % i for i in range(2, 7)]


# ---- quantum CLI value forms -----------------------------------------------------------------

def test_string_booleans_are_stored_as_json_booleans(api):
    net, _ = _net(api, admin_state_up='False')
    assert net['admin_state_up'] is False
    resp = api.post('/v2.0/subnets.json', {'subnet': {
        'network_id': net['id'], 'cidr': '10.26.0.0/24', 'ip_version': '4',
        'enable_dhcp': 'False'}})
    assert resp.status == 201, resp
    subnet = resp.json['subnet']
    assert subnet['enable_dhcp'] is False and subnet['ip_version'] == 4
    assert b'"enable_dhcp": false' in api.get('/v2.0/subnets/%s.json' % subnet['id']).body
    resp = api.put('/v2.0/subnets/%s.json' % subnet['id'],
                   {'subnet': {'enable_dhcp': 'True'}})
    assert resp.status == 200 and resp.json['subnet']['enable_dhcp'] is True, resp
    resp = api.put('/v2.0/networks/%s.json' % net['id'],
                   {'network': {'admin_state_up': 'true'}})
    assert resp.json['network']['admin_state_up'] is True
    assert _ids(api.list('subnets', [('network_id', net['id']),
                                     ('enable_dhcp', 'True')])) == [subnet['id']]


# ---- more list and header behaviour --------------------------------------------------------

def test_accept_header_does_not_change_json(api, topology):
    path = '/v2.0/networks/%s' % topology['net1']['id']
    for accept in ('*/*', 'text/html', 'application/xml', 'application/json;q=0.1'):
        resp = api.get(path, headers={'Accept': accept})
        assert resp.status == 200, (accept, resp)
        assert resp.header('Content-Type').startswith('application/json')
        assert resp.json['network']['id'] == topology['net1']['id']
        resp = api.get('/v2.0/networks/%s' % NO_SUCH_ID, headers={'Accept': accept})
        _error(resp, 404, 'NetworkNotFound')


def test_absurd_limit_is_no_limit(api, five_networks):
    tag, nets = five_networks
    resp = api.get('/v2.0/networks?description=%s&limit=99999999999999999999999' % tag)
    assert resp.status == 200, resp
    assert _ids(resp.json['networks']) == _ids(nets)
    assert resp.json['networks_links'] == []


def test_pagination_sorted_by_boolean_key(api, server, five_networks):
    tag, nets = five_networks
    query = [('description', tag), ('sort_key', 'admin_state_up'), ('sort_dir', 'asc'),
             ('limit', '2')]
    body = api.get('/v2.0/networks', query=query).json
    seen = [n['id'] for n in body['networks']]
    while 'next' in _links(body):
        body = _follow(api, _links(body)['next'], server)
        seen += [n['id'] for n in body['networks']]
    expected = sorted(nets, key=lambda n: (n['admin_state_up'], n['id']))
    assert seen == [n['id'] for n in expected]
