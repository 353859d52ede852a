"""Security groups, rules, port security and allowed address pairs through a live server."""

import concurrent.futures
import threading

import pytest
import sqlalchemy as sa

from netmgr import conf as nm_conf
from netmgr import context as nm_context
from netmgr.db.models import secgroups as secgroup_models
from netmgr import wiring
from tests.functional.rest_helpers import NO_SUCH_ID, _error, _net, _uniq

pytestmark = pytest.mark.functional


@pytest.fixture(scope='module')
def server(module_server_factory):
    return module_server_factory('secgroups')


def _list(api, url_name, query=None):
    resp = api.get('/v2.0/' + url_name, query=query)
    assert resp.status == 200, resp
    return resp.json[url_name.replace('-', '_')]


def _post(api, path, singular, **attrs):
    resp = api.post(path, {singular: attrs})
    assert resp.status == 201, resp
    return resp.json[singular]


def test_extensions_and_collections_are_listed(server):
    api = server.client()
    for alias in ('security-group', 'port-security', 'allowed-address-pairs'):
        resp = api.get('/v2.0/extensions/%s' % alias)
        assert resp.status == 200 and resp.json['extension']['alias'] == alias, resp
    resources = {r['collection']: r for r in api.get('/v2.0').json['resources']}
    assert resources['security_groups']['links'][0]['href'].endswith('/v2.0/security-groups')
    assert resources['security_group_rules']['name'] == 'security_group_rule'
    assert api.get('/v2.0/security_groups').status == 404


def test_group_and_rule_lifecycle_with_dashed_urls(server):
    api = server.client().as_tenant(_uniq('proj'))
    resp = api.get('/v2.0/security-groups')
    assert resp.status == 200, resp
    [default] = resp.json['security_groups']
    assert default['name'] == 'default' and len(default['security_group_rules']) == 4

    group = _post(api, '/v2.0/security-groups', 'security_group', name='web')
    assert len(group['security_group_rules']) == 2
    rule = _post(api, '/v2.0/security-group-rules.json', 'security_group_rule',
                 security_group_id=group['id'], direction='ingress', protocol='tcp',
                 port_range_min=22, port_range_max=22, remote_ip_prefix='0.0.0.0/0')
    assert rule['protocol'] == 'tcp' and rule['ethertype'] == 'IPv4'
    resp = api.get('/v2.0/security-group-rules/%s' % rule['id'])
    assert resp.status == 200 and resp.json['security_group_rule'] == rule, resp
    resp = api.get('/v2.0/security-group-rules', query={'security_group_id': group['id'],
                                                        'direction': 'ingress'})
    assert [r['id'] for r in resp.json['security_group_rules']] == [rule['id']], resp

    resp = api.put('/v2.0/security-groups/%s' % group['id'],
                   {'security_group': {'name': 'www', 'description': 'd'}})
    assert resp.status == 200 and resp.json['security_group']['name'] == 'www', resp
    resp = api.get('/v2.0/security-groups',
                   query=[('name', 'www'), ('fields', 'id'), ('fields', 'name')])
    assert resp.json['security_groups'] == [{'id': group['id'], 'name': 'www'}], resp

    assert api.delete('/v2.0/security-group-rules/%s' % rule['id']).status == 204
    _error(api.get('/v2.0/security-group-rules/%s' % rule['id']), 404,
           'SecurityGroupRuleNotFound')
    assert api.delete('/v2.0/security-groups/%s.json' % group['id']).status == 204
    _error(api.get('/v2.0/security-groups/%s' % group['id']), 404, 'SecurityGroupNotFound')


def test_errors_on_the_wire(server):
    api = server.client().as_tenant(_uniq('proj'))
    group = _post(api, '/v2.0/security-groups', 'security_group', name='g')
    path = '/v2.0/security-group-rules'

    def rule(**attrs):
        return api.post(path, {'security_group_rule': dict(
            {'security_group_id': group['id'], 'direction': 'ingress'}, **attrs)})

    _error(rule(protocol='tcp', port_range_min=30, port_range_max=20), 400,
           'SecurityGroupInvalidPortRange')
    _error(rule(protocol='tcp', port_range_min=70000, port_range_max=70000), 400,
           'SecurityGroupInvalidPortValue')
    _error(rule(protocol='icmp', port_range_min=300), 400, 'SecurityGroupInvalidIcmpValue')
    _error(rule(protocol='nope'), 400, 'SecurityGroupRuleInvalidProtocol')
    _error(rule(remote_ip_prefix='10.0.0.0/8', remote_group_id=group['id']), 400,
           'SecurityGroupRemoteGroupAndRemoteIpPrefix')
    _error(rule(remote_ip_prefix='::/0'), 400, 'SecurityGroupRuleParameterConflict')
    _error(rule(direction='up'), 400, 'InvalidInput')
    _error(rule(security_group_id=NO_SUCH_ID), 404, 'SecurityGroupNotFound')
    ok = rule(protocol='udp')
    assert ok.status == 201, ok
    err = _error(rule(protocol='udp'), 409, 'SecurityGroupRuleExists')
    assert ok.json['security_group_rule']['id'] in err['message']
    _error(api.post('/v2.0/security-groups', {'security_group': {'name': 'default'}}), 409,
           'SecurityGroupDefaultAlreadyExists')
    default = _list(api, 'security-groups', query={'name': 'default'})[0]
    _error(api.put('/v2.0/security-groups/%s' % default['id'],
                   {'security_group': {'name': 'x'}}), 409, 'SecurityGroupCannotUpdateDefault')
    _error(api.delete('/v2.0/security-groups/%s' % default['id']), 409,
           'SecurityGroupCannotRemoveDefault')


def test_bulk_rules_are_all_or_nothing(server):
    api = server.client().as_tenant(_uniq('proj'))
    group = _post(api, '/v2.0/security-groups', 'security_group', name='g')
    base = {'security_group_id': group['id'], 'direction': 'ingress', 'protocol': 'tcp'}
    resp = api.post('/v2.0/security-group-rules', {'security_group_rules': [
        dict(base, port_range_min=80, port_range_max=80),
        dict(base, port_range_min=443, port_range_max=443)]})
    assert resp.status == 201 and len(resp.json['security_group_rules']) == 2, resp
    resp = api.post('/v2.0/security-group-rules', {'security_group_rules': [
        dict(base, port_range_min=8080, port_range_max=8080),
        dict(base, port_range_min=80, port_range_max=80)]})
    _error(resp, 409, 'SecurityGroupRuleExists')
    rules = _list(api, 'security-group-rules', query={'security_group_id': group['id']})
    assert len(rules) == 4


def test_cross_tenant(server):
    alice = server.client().as_tenant(_uniq('alice'))
    bob = server.client().as_tenant(_uniq('bob'))
    group = _post(alice, '/v2.0/security-groups', 'security_group', name='private')
    rule_id = group['security_group_rules'][0]['id']
    assert group['id'] not in [g['id'] for g in _list(bob, 'security-groups')]
    _error(bob.get('/v2.0/security-groups/%s' % group['id']), 404, 'SecurityGroupNotFound')
    _error(bob.put('/v2.0/security-groups/%s' % group['id'],
                   {'security_group': {'name': 'x'}}), 404, 'SecurityGroupNotFound')
    _error(bob.delete('/v2.0/security-groups/%s' % group['id']), 404, 'SecurityGroupNotFound')
    _error(bob.get('/v2.0/security-group-rules/%s' % rule_id), 404,
           'SecurityGroupRuleNotFound')
    _error(bob.delete('/v2.0/security-group-rules/%s' % rule_id), 404,
           'SecurityGroupRuleNotFound')
    own = _post(bob, '/v2.0/security-groups', 'security_group', name='mine')
    _error(bob.post('/v2.0/security-group-rules', {'security_group_rule': {
        'security_group_id': own['id'], 'direction': 'ingress',
        'remote_group_id': group['id']}}), 404, 'SecurityGroupNotFound')
    network, _subnet = _net(bob, cidr='10.44.0.0/24')
    _error(bob.post('/v2.0/ports', {'port': {'network_id': network['id'],
                                             'security_groups': [group['id']]}}),
           404, 'SecurityGroupNotFound')


def test_ports_groups_port_security_and_address_pairs(server):
    api = server.client().as_tenant(_uniq('proj'))
    network, _subnet = _net(api, cidr='10.45.0.0/24')
    assert network['port_security_enabled'] is True
    port = api.create('port', network_id=network['id'],
                      allowed_address_pairs=[{'ip_address': '10.45.0.50'}])
    default = _list(api, 'security-groups', query={'name': 'default'})[0]
    assert port['security_groups'] == [default['id']]
    assert port['port_security_enabled'] is True
    assert port['allowed_address_pairs'] == [{'ip_address': '10.45.0.50',
                                              'mac_address': port['mac_address']}]
    listed = api.list('ports', query={'id': port['id']})[0]
    assert listed['security_groups'] == [default['id']]
    _error(api.delete('/v2.0/security-groups/%s' % default['id']), 409,
           'SecurityGroupCannotRemoveDefault')

    path = '/v2.0/ports/%s' % port['id']
    _error(api.put(path, {'port': {'port_security_enabled': False}}), 409,
           'PortSecurityPortHasSecurityGroup')
    _error(api.put(path, {'port': {'port_security_enabled': False, 'security_groups': []}}),
           409, 'AddressPairAndPortSecurityRequired')
    resp = api.put(path, {'port': {'port_security_enabled': False, 'security_groups': [],
                                   'allowed_address_pairs': []}})
    assert resp.status == 200, resp
    assert resp.json['port']['security_groups'] == [] and \
        resp.json['port']['port_security_enabled'] is False
    _error(api.put(path, {'port': {'security_groups': [default['id']]}}), 400,
           'PortSecurityAndIPRequiredForSecurityGroups')
    _error(api.post('/v2.0/ports', {'port': {'network_id': network['id'],
                                             'allowed_address_pairs': [{}]}}),
           400, 'AllowedAddressPairsMissingIP')
    pairs = [{'ip_address': '10.45.1.%d' % i} for i in range(11)]
    _error(api.post('/v2.0/ports', {'port': {'network_id': network['id'],
                                             'allowed_address_pairs': pairs}}),
           400, 'AllowedAddressPairExhausted')


def test_concurrent_first_requests_make_one_default_group(server):
    tenant = _uniq('race')

    def first_port(_i):
        api = server.client().as_tenant(tenant)
        network, _subnet = _net(api, cidr='10.46.0.0/24')
        return api.create('port', network_id=network['id'])['security_groups']

    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        groups = list(pool.map(first_port, range(6)))
    assert len({tuple(g) for g in groups}) == 1
    api = server.client().as_tenant(tenant)
    assert [g['name'] for g in _list(api, 'security-groups')] == ['default']


def test_one_default_group_under_a_race_on_each_database(database):
    """Threads on their own connections list a new tenant's groups at the same moment."""
    tenant = _uniq('race')
    client = wiring.build_client(nm_conf.new_conf(),
                                 nm_context.tenant_context(tenant), db=database)
    start = threading.Barrier(8)

    def first_list(_i):
        start.wait(timeout=30)
        return [g['id'] for g in client.list_security_groups()]

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        seen = list(pool.map(first_list, range(8)))
    assert len({tuple(ids) for ids in seen}) == 1 and len(seen[0]) == 1
    groups = secgroup_models.SecurityGroup.__table__
    rules = secgroup_models.SecurityGroupRule.__table__
    with database.reader() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(groups).where(
            groups.c.tenant_id == tenant)) == 1
        assert session.scalar(sa.select(sa.func.count()).select_from(rules).where(
            rules.c.tenant_id == tenant)) == 4
