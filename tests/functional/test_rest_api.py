"""The Quantum/Neutron v2.0 REST API through a live netmgr-server process (SQLite).

Every assertion is about what a client sees: status, headers, and the JSON body, including
``{"NeutronError": {"type", "message", "detail"}}`` with Neutron's type names. All tests of this
module share one server; each works on resources it made (unique names, its own networks).
"""

import http.client
import urllib.parse
import uuid

import pytest

pytestmark = pytest.mark.functional

DEFAULT_TENANT = 'tenant-default'
NO_SUCH_ID = '00000000-0000-4000-8000-000000000000'


@pytest.fixture(scope='module')
def server(module_server_factory):
    return module_server_factory('rest-api', default_tenant_id=DEFAULT_TENANT)


@pytest.fixture
def api(server):
    """No tenant header, no roles header: the default tenant with the default (admin) role."""
    return server.client()


def _uniq(prefix='t'):
    return '%s-%s' % (prefix, uuid.uuid4().hex[:8])


def _net(api, cidr=None, **attrs):
    """A network (and a subnet on it when ``cidr`` is given): (network, subnet)."""
    attrs.setdefault('name', _uniq('net'))
    network = api.create('network', **attrs)
    subnet = None
    if cidr:
        subnet = api.create('subnet', network_id=network['id'], cidr=cidr, ip_version=4,
                            name=_uniq('sub'))
    return network, subnet


def _error(resp, status, error_type):
    assert resp.status == status, resp
    assert resp.header('Content-Type').startswith('application/json'), resp.headers
    error = resp.error  # checks the three keys
    assert error['type'] == error_type, error
    assert error['message'], error
    return error


def _ips(port):
    return sorted(f['ip_address'] for f in port['fixed_ips'])


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


def _ids(items):
    return sorted(i['id'] for i in items)


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


def _follow(api, href, server):
    assert href.startswith(server.url + '/v2.0/networks?'), href
    parts = urllib.parse.urlsplit(href)
    resp = api.get(parts.path + '?' + parts.query)
    assert resp.status == 200, resp
    return resp.json


def _links(body):
    return {link['rel']: link['href'] for link in body['networks_links']}


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


def test_accept_header_does_not_change_json(api, topology):
    path = '/v2.0/networks/%s' % topology['net1']['id']
    for accept in ('*/*', 'text/html', 'application/xml', 'application/json;q=0.1'):
        resp = api.get(path, headers={'Accept': accept})
        assert resp.status == 200, (accept, resp)
        assert resp.header('Content-Type').startswith('application/json')
        assert resp.json['network']['id'] == topology['net1']['id']
        resp = api.get('/v2.0/networks/%s' % NO_SUCH_ID, headers={'Accept': accept})
        _error(resp, 404, 'NetworkNotFound')


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


def test_absurd_limit_is_no_limit(api, five_networks):
    tag, nets = five_networks
    resp = api.get('/v2.0/networks?description=%s&limit=99999999999999999999999' % tag)
    assert resp.status == 200, resp
    assert _ids(resp.json['networks']) == _ids(nets)
    assert resp.json['networks_links'] == []


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
