"""The seed scenario, end to end with the real `openstack` CLI: two tenant networks, an
external network, a router joining them with a gateway, a floating IP on a port at 10.0.0.11,
then everything torn down again, leaving nothing behind."""

import pytest

pytestmark = pytest.mark.functional


@pytest.fixture(scope='module')
def server(module_server_factory):
    return module_server_factory('seed')


def test_seed_scenario(server, openstack_cli_factory):
    cli = openstack_cli_factory(server)
    api = server.client()

    net1 = cli('network', 'create', 'net1', '-f', 'json')
    subnet1 = cli('subnet', 'create', 'subnet1', '--network', 'net1',
                  '--subnet-range', '10.0.0.0/24', '-f', 'json')
    cli('network', 'create', 'net2', '-f', 'json')
    subnet2 = cli('subnet', 'create', 'subnet2', '--network', 'net2',
                  '--subnet-range', '10.0.1.0/24', '-f', 'json')
    ext = cli('network', 'create', '--external', 'net-ext', '-f', 'json')
    assert ext['router:external'] is True
    subnet_ext = cli('subnet', 'create', 'subnet-ext', '--network', 'net-ext',
                     '--subnet-range', '192.168.0.0/24', '--gateway', '192.168.0.1',
                     '--no-dhcp', '-f', 'json')
    assert (subnet_ext['gateway_ip'], subnet_ext['enable_dhcp']) == ('192.168.0.1', False)

    router = cli('router', 'create', 'routerA', '-f', 'json')
    cli('router', 'set', '--external-gateway', 'net-ext', 'routerA')
    cli('router', 'add', 'subnet', 'routerA', 'subnet1')
    cli('router', 'add', 'subnet', 'routerA', 'subnet2')
    shown = cli('router', 'show', 'routerA', '-f', 'json')
    gateway = shown['external_gateway_info']
    assert gateway['network_id'] == ext['id']
    [gw_ip] = gateway['external_fixed_ips']
    assert gw_ip['subnet_id'] == subnet_ext['id'] and gw_ip['ip_address'] != '192.168.0.1'
    interfaces = api.list('ports', {'device_id': router['id'],
                                    'device_owner': 'network:router_interface'})
    assert sorted(p['fixed_ips'][0]['ip_address'] for p in interfaces) == \
        ['10.0.0.1', '10.0.1.1']

    port = cli('port', 'create', 'vm1-port', '--network', 'net1',
               '--fixed-ip', 'subnet=subnet1,ip-address=10.0.0.11', '-f', 'json')
    fip = cli('floating', 'ip', 'create', '--port', 'vm1-port', 'net-ext', '-f', 'json')
    assert fip['fixed_ip_address'] == '10.0.0.11' and fip['port_id'] == port['id']
    assert fip['router_id'] == router['id'] and fip['floating_network_id'] == ext['id']
    assert fip['floating_ip_address'].startswith('192.168.0.')
    listed = cli('floating', 'ip', 'list', '--port', 'vm1-port', '-f', 'json')
    assert [(f['ID'], f['Fixed IP Address']) for f in listed] == [(fip['id'], '10.0.0.11')]

    # teardown, in the order a tenant would do it
    cli('floating', 'ip', 'unset', '--port', fip['id'])
    assert cli('floating', 'ip', 'show', fip['id'], '-f', 'json')['port_id'] is None
    cli('floating', 'ip', 'delete', fip['id'])
    cli('port', 'delete', 'vm1-port')
    cli('router', 'remove', 'subnet', 'routerA', 'subnet1')
    cli('router', 'remove', 'subnet', 'routerA', 'subnet2')
    cli('router', 'unset', '--external-gateway', 'routerA')
    cli('router', 'delete', 'routerA')
    cli('subnet', 'delete', 'subnet1', 'subnet2', 'subnet-ext')
    cli('network', 'delete', 'net1', 'net2', 'net-ext')

    for collection in ('networks', 'subnets', 'ports', 'routers', 'floatingips'):
        assert api.list(collection, {}) == [], collection
    assert api.get('/v2.0/networks/%s' % net1['id']).status == 404
    assert api.get('/v2.0/subnets/%s' % subnet1['id']).status == 404
    assert api.get('/v2.0/subnets/%s' % subnet2['id']).status == 404
