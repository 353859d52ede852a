"""The real `openstack` CLI on security groups, rules, port security and address pairs."""

import uuid

import pytest

pytestmark = pytest.mark.functional


@pytest.fixture(scope='module')
def server(module_server_factory):
    return module_server_factory('openstack-cli-secgroups')


@pytest.fixture(scope='module')
def cli(server, openstack_cli_factory):
    return openstack_cli_factory(server)


@pytest.fixture
def api(server):
    return server.client()


def _uniq(prefix):
    return '%s-%s' % (prefix, uuid.uuid4().hex[:8])


def test_security_group_lifecycle(cli, api):
    name = _uniq('sg')
    group = cli('security', 'group', 'create', name, '--description', 'web servers',
                '-f', 'json')
    assert (group['name'], group['description']) == (name, 'web servers')
    assert len(group['rules']) == 2

    listed = cli('security', 'group', 'list', '-f', 'json')
    assert sorted(g['Name'] for g in listed if g['Name'] in ('default', name)) == \
        ['default', name]

    rule = cli('security', 'group', 'rule', 'create', '--protocol', 'tcp', '--dst-port', '22',
               '--remote-ip', '0.0.0.0/0', name, '-f', 'json')
    assert (rule['protocol'], rule['port_range_min'], rule['port_range_max']) == ('tcp', 22, 22)
    assert rule['remote_ip_prefix'] == '0.0.0.0/0' and rule['security_group_id'] == group['id']
    rules = cli('security', 'group', 'rule', 'list', name, '-f', 'json')
    assert rule['id'] in [r['ID'] for r in rules] and len(rules) == 3

    result = cli('security', 'group', 'rule', 'create', '--protocol', 'tcp', '--dst-port', '22',
                 '--remote-ip', '0.0.0.0/0', name, expect_rc=1)
    assert 'ConflictException: 409' in result.stderr, result.stderr
    assert 'Security group rule already exists' in result.stderr, result.stderr

    cli('security', 'group', 'set', '--name', name + '-b', '--description', 'blue', name)
    shown = cli('security', 'group', 'show', name + '-b', '-f', 'json')
    assert (shown['id'], shown['description']) == (group['id'], 'blue')

    cli('security', 'group', 'rule', 'delete', rule['id'])
    cli('security', 'group', 'delete', name + '-b')
    assert api.get('/v2.0/security-groups/%s' % group['id']).status == 404


def test_port_with_groups_pairs_and_port_security(cli, api):
    net_name, sg_name = _uniq('net'), _uniq('sg')
    net = api.create('network', name=net_name)
    api.create('subnet', network_id=net['id'], cidr='10.7.0.0/24', ip_version=4)
    group = cli('security', 'group', 'create', sg_name, '-f', 'json')

    port = cli('port', 'create', '--network', net_name, '--security-group', sg_name,
               '--allowed-address', 'ip-address=10.0.0.50', 'p-' + net_name, '-f', 'json')
    assert port['security_group_ids'] == [group['id']]
    assert port['port_security_enabled'] is True
    assert port['allowed_address_pairs'] == [{'ip_address': '10.0.0.50',
                                              'mac_address': port['mac_address']}]

    result = cli('port', 'set', '--disable-port-security', 'p-' + net_name, expect_rc=1)
    assert 'ConflictException: 409' in result.stderr, result.stderr
    cli('port', 'set', '--no-security-group', '--no-allowed-address',
        '--disable-port-security', 'p-' + net_name)
    shown = cli('port', 'show', 'p-' + net_name, '-f', 'json')
    assert shown['security_group_ids'] == [] and shown['port_security_enabled'] is False
    assert shown['allowed_address_pairs'] == []

    plain = cli('port', 'create', '--network', net_name, 'q-' + net_name, '-f', 'json')
    default = cli('security', 'group', 'list', '-f', 'json')
    default_ids = [g['ID'] for g in default if g['Name'] == 'default']
    assert plain['security_group_ids'] == default_ids and len(default_ids) == 1
    shown = cli('security', 'group', 'show', 'default', '-f', 'json')
    assert shown['id'] == default_ids[0] and len(shown['rules']) == 4

    result = cli('security', 'group', 'delete', sg_name)
    assert result.returncode == 0
    cli('port', 'delete', 'p-' + net_name, 'q-' + net_name)
    cli('network', 'delete', net_name)
