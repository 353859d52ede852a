"""The real `openstack` CLI against a live server (tests/fixtures/openstack_cli.py). Each
invocation costs about a second, so prerequisites that are not under test are made over plain
HTTP."""

import uuid

import pytest

pytestmark = pytest.mark.functional


@pytest.fixture(scope='module')
def server(module_server_factory):
    return module_server_factory('openstack-cli')


@pytest.fixture(scope='module')
def cli(server, openstack_cli_factory):
    return openstack_cli_factory(server)


@pytest.fixture
def api(server):
    return server.client()


def _uniq(prefix):
    return '%s-%s' % (prefix, uuid.uuid4().hex[:8])


def test_network_lifecycle(cli, api):
    name = _uniq('net')
    net = cli('network', 'create', name, '-f', 'json')
    assert (net['name'], net['status'], net['admin_state_up'], net['shared']) == \
        (name, 'ACTIVE', True, False)
    assert net['project_id'] == 'admin' and net['subnets'] == []

    listed = cli('network', 'list', '--name', name, '-f', 'json')
    assert [(n['ID'], n['Name']) for n in listed] == [(net['id'], name)]

    result = cli('network', 'set', '--name', name + '-new', '--description', 'blue',
                 '--disable', name)
    assert result.stdout == ''
    shown = cli('network', 'show', name + '-new', '-f', 'json')
    assert (shown['id'], shown['name'], shown['description'], shown['admin_state_up']) == \
        (net['id'], name + '-new', 'blue', False)

    result = cli('network', 'delete', name + '-new')
    assert result.stdout == ''
    assert api.get('/v2.0/networks/%s' % net['id']).status == 404


def test_subnet_and_port_lifecycle(cli, api):
    net_name, sub_name = _uniq('net'), _uniq('sub')
    net = api.create('network', name=net_name)

    subnet = cli('subnet', 'create', sub_name, '--network', net_name,
                 '--subnet-range', '10.5.0.0/24',
                 '--allocation-pool', 'start=10.5.0.10,end=10.5.0.20',
                 '--dns-nameserver', '8.8.8.8', '--gateway', 'none', '--no-dhcp',
                 '-f', 'json')
    assert (subnet['name'], subnet['network_id'], subnet['cidr'], subnet['ip_version']) == \
        (sub_name, net['id'], '10.5.0.0/24', 4)
    assert subnet['allocation_pools'] == [{'start': '10.5.0.10', 'end': '10.5.0.20'}]
    assert subnet['dns_nameservers'] == ['8.8.8.8']
    assert subnet['gateway_ip'] is None and subnet['enable_dhcp'] is False

    listed = cli('subnet', 'list', '--network', net_name, '-f', 'json')
    assert [(s['ID'], s['Name'], s['Subnet']) for s in listed] == \
        [(subnet['id'], sub_name, '10.5.0.0/24')]

    cli('subnet', 'set', '--name', sub_name + '-b', '--dns-nameserver', '1.1.1.1',
        '--dhcp', sub_name)
    shown = cli('subnet', 'show', sub_name + '-b', '-f', 'json')
    assert (shown['id'], shown['enable_dhcp']) == (subnet['id'], True)
    # the CLI sends the new servers first, then the old ones
    assert shown['dns_nameservers'] == ['1.1.1.1', '8.8.8.8']
    sub_name += '-b'

    port1 = cli('port', 'create', 'p1-' + net_name, '--network', net_name,
                '--fixed-ip', 'ip-address=10.5.0.12', '-f', 'json')
    assert port1['fixed_ips'] == [{'subnet_id': subnet['id'], 'ip_address': '10.5.0.12'}]
    assert (port1['network_id'], port1['status']) == (net['id'], 'DOWN')
    port2 = cli('port', 'create', 'p2-' + net_name, '--network', net_name,
                '--fixed-ip', 'subnet=%s' % sub_name, '-f', 'json')
    assert [f['subnet_id'] for f in port2['fixed_ips']] == [subnet['id']]
    address = port2['fixed_ips'][0]['ip_address']
    assert address != '10.5.0.12' and 10 <= int(address.rsplit('.', 1)[1]) <= 20

    listed = cli('port', 'list', '--network', net_name, '-f', 'json')
    assert sorted((p['ID'], p['Name'], p['MAC Address']) for p in listed) == sorted(
        (p['id'], p['name'], p['mac_address']) for p in (port1, port2))

    # 409 from the server, its message shown
    result = cli('port', 'create', 'p3-' + net_name, '--network', net_name,
                 '--fixed-ip', 'ip-address=10.5.0.12', expect_rc=1)
    assert 'ConflictException: 409' in result.stderr, result.stderr
    assert 'The IP address 10.5.0.12 is in use' in result.stderr, result.stderr
    result = cli('network', 'delete', net_name, expect_rc=1)
    assert 'ConflictException: 409' in result.stderr, result.stderr
    assert 'There are one or more ports still in use on the network' in result.stderr

    cli('port', 'set', '--name', 'p1b-' + net_name, '--device', 'vm-1',
        '--device-owner', 'compute:nova', '--disable', 'p1-' + net_name)
    shown = cli('port', 'show', 'p1b-' + net_name, '-f', 'json')
    assert (shown['id'], shown['device_id'], shown['device_owner'],
            shown['admin_state_up']) == (port1['id'], 'vm-1', 'compute:nova', False)

    cli('port', 'delete', 'p1b-' + net_name, port2['id'])
    cli('subnet', 'delete', sub_name)
    cli('network', 'delete', net_name)
    assert api.list('ports', {'network_id': net['id']}) == []
    assert api.get('/v2.0/networks/%s' % net['id']).status == 404


def test_bad_request_shows_server_message(cli, api):
    net = api.create('network', name=_uniq('net'))
    result = cli('subnet', 'create', _uniq('sub'), '--network', net['id'],
                 '--subnet-range', '10.7.0.0/33', expect_rc=1)
    assert 'BadRequestException: 400' in result.stderr, result.stderr
    assert "'10.7.0.0/33' is not a valid IP subnet" in result.stderr, result.stderr
    api.create('subnet', network_id=net['id'], ip_version=4, cidr='10.7.0.0/24')
    result = cli('port', 'create', _uniq('port'), '--network', net['id'],
                 '--fixed-ip', 'ip-address=10.8.0.5', expect_rc=1)
    assert 'BadRequestException: 400' in result.stderr, result.stderr
    assert 'IP address 10.8.0.5 is not a valid IP for any of the subnets' in result.stderr
    assert api.list('ports', {'network_id': net['id']}) == []


def test_not_found(cli):
    missing = str(uuid.uuid4())
    # --debug shows the answers: the server's 404 (with its NeutronError), then the name
    # lookup the client falls back to, which finds nothing.
    result = cli('--debug', 'network', 'show', missing, expect_rc=1)
    assert 'No Network found for %s' % missing in result.stderr
    assert 'Network %s could not be found.' % missing in result.stderr, result.stderr[-3000:]
    assert 'NetworkNotFound' in result.stderr


def test_port_list_by_fixed_ip(cli, api):
    net = api.create('network', name=_uniq('net'))
    api.create('subnet', network_id=net['id'], ip_version=4, cidr='10.9.0.0/24')
    port = api.create('port', network_id=net['id'], fixed_ips=[{'ip_address': '10.9.0.33'}])
    api.create('port', network_id=net['id'], fixed_ips=[{'ip_address': '10.9.0.34'}])
    listed = cli('port', 'list', '--network', net['id'], '--fixed-ip',
                 'ip-address=10.9.0.33', '-f', 'json')
    assert [p['ID'] for p in listed] == [port['id']]
