"""The real `openstack` CLI on routers and floating IPs (tests/fixtures/openstack_cli.py).
Prerequisites not under test are made over plain HTTP: each CLI run costs about a second."""

import uuid

import pytest

pytestmark = pytest.mark.functional


@pytest.fixture(scope='module')
def server(module_server_factory):
    return module_server_factory('openstack-cli-l3')


@pytest.fixture(scope='module')
def cli(server, openstack_cli_factory):
    return openstack_cli_factory(server)


@pytest.fixture(scope='module')
def api(server):
    return server.client()


def _uniq(prefix):
    return '%s-%s' % (prefix, uuid.uuid4().hex[:8])


@pytest.fixture(scope='module')
def ext(api):
    network = api.create('network', name=_uniq('ext'), **{'router:external': True})
    subnet = api.create('subnet', network_id=network['id'], ip_version=4,
                        cidr='172.24.8.0/24', name=_uniq('ext-sub'))
    return network, subnet


def test_router_with_gateway_and_interface(cli, api, ext):
    ext_net, _ext_subnet = ext
    net = api.create('network', name=_uniq('lan'))
    sub = api.create('subnet', network_id=net['id'], ip_version=4, cidr='10.60.0.0/24',
                     name=_uniq('lan-sub'))
    name = _uniq('router')
    router = cli('router', 'create', name, '-f', 'json')
    assert router['name'] == name and router['status'] == 'ACTIVE'
    cli('router', 'set', '--external-gateway', ext_net['name'], name)
    cli('router', 'add', 'subnet', name, sub['name'])
    shown = cli('router', 'show', name, '-f', 'json')
    assert shown['external_gateway_info']['network_id'] == ext_net['id']
    assert [p['subnet_id'] for p in shown['interfaces_info']] == [sub['id']]
    listed = cli('router', 'list', '--name', name, '-f', 'json')
    assert [r['ID'] for r in listed] == [router['id']]
    cli('router', 'remove', 'subnet', name, sub['name'])
    cli('router', 'unset', '--external-gateway', name)
    cli('router', 'delete', name)
    assert api.get('/v2.0/routers/%s' % router['id']).status == 404


def test_floating_ip_lifecycle(cli, api, ext):
    ext_net, ext_subnet = ext
    net = api.create('network', name=_uniq('lan'))
    sub = api.create('subnet', network_id=net['id'], ip_version=4, cidr='10.61.0.0/24',
                     name=_uniq('lan-sub'))
    router = api.create('router', name=_uniq('r'),
                        external_gateway_info={'network_id': ext_net['id']})
    assert api.put('/v2.0/routers/%s/add_router_interface' % router['id'],
                   {'subnet_id': sub['id']}).status == 200
    port = api.create('port', network_id=net['id'], name=_uniq('vm'))
    fixed = port['fixed_ips'][0]['ip_address']

    fip = cli('floating', 'ip', 'create', '--subnet', ext_subnet['name'],
              '--description', 'web', ext_net['name'], '-f', 'json')
    assert fip['floating_network_id'] == ext_net['id'] and fip['description'] == 'web'
    assert fip['status'] == 'DOWN' and fip['port_id'] is None
    address = fip['floating_ip_address']

    # By address, as users name them.
    cli('floating', 'ip', 'set', '--port', port['name'], address)
    shown = cli('floating', 'ip', 'show', address, '-f', 'json')
    assert (shown['port_id'], shown['fixed_ip_address'], shown['router_id'],
            shown['status']) == (port['id'], fixed, router['id'], 'ACTIVE')

    for option, value in (('--port', port['name']), ('--router', router['name']),
                          ('--network', ext_net['name']), ('--status', 'ACTIVE'),
                          ('--fixed-ip-address', fixed)):
        listed = cli('floating', 'ip', 'list', option, value, '-f', 'json')
        assert [f['ID'] for f in listed] == [fip['id']], option
    assert cli('floating', 'ip', 'list', '--status', 'DOWN', '--network', ext_net['name'],
               '-f', 'json') == []

    # Errors print as the server says.
    result = cli('router', 'remove', 'subnet', router['name'], sub['name'], expect_rc=1)
    assert 'required by one or more floating IPs' in result.stderr
    result = cli('floating', 'ip', 'create', '--port', port['name'], ext_net['name'],
                 expect_rc=1)
    assert 'already has a floating IP' in result.stderr

    cli('floating', 'ip', 'unset', '--port', address)
    shown = cli('floating', 'ip', 'show', fip['id'], '-f', 'json')
    assert shown['port_id'] is None and shown['status'] == 'DOWN'

    cli('floating', 'ip', 'delete', address)
    assert api.get('/v2.0/floatingips/%s' % fip['id']).status == 404
    assert api.list('ports', query={'device_id': fip['id']}) == []


def test_floating_ip_create_with_address_and_port(cli, api, ext):
    ext_net, _ext_subnet = ext
    net = api.create('network', name=_uniq('lan'))
    sub = api.create('subnet', network_id=net['id'], ip_version=4, cidr='10.62.0.0/24')
    router = api.create('router', name=_uniq('r'),
                        external_gateway_info={'network_id': ext_net['id']})
    assert api.put('/v2.0/routers/%s/add_router_interface' % router['id'],
                   {'subnet_id': sub['id']}).status == 200
    port = api.create('port', network_id=net['id'], fixed_ips=[
        {'subnet_id': sub['id'], 'ip_address': '10.62.0.20'},
        {'subnet_id': sub['id'], 'ip_address': '10.62.0.21'}])
    result = cli('floating', 'ip', 'create', '--port', port['id'], ext_net['id'],
                 expect_rc=1)
    assert 'multiple fixed IPv4 addresses' in result.stderr
    fip = cli('floating', 'ip', 'create', '--floating-ip-address', '172.24.8.99',
              '--port', port['id'], '--fixed-ip-address', '10.62.0.21', ext_net['id'],
              '-f', 'json')
    assert (fip['floating_ip_address'], fip['fixed_ip_address'], fip['router_id']) == \
        ('172.24.8.99', '10.62.0.21', router['id'])
    cli('floating', 'ip', 'delete', fip['id'])
