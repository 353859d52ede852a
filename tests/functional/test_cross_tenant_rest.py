"""Tenant isolation over REST: tenant B can neither see, change, attach to nor associate with
tenant A's routers, ports, subnets and floating IPs; each attempt is the 404 of the resource
B may not know about, and nothing of A's changes."""

import pytest

from tests.functional.rest_helpers import _error, _net

pytestmark = pytest.mark.functional


@pytest.fixture(scope='module')
def server(module_server_factory):
    return module_server_factory('cross-tenant')


@pytest.fixture(scope='module')
def world(server):
    """Tenant A's network, port, router (gateway + interface) and floating IP; tenant B's
    own network, port and router; a shared external network."""
    admin = server.client()
    ext, _ = _net(admin, cidr='203.0.113.0/24', **{'router:external': True})
    a = admin.as_tenant('tenant-a')
    b = admin.as_tenant('tenant-b')
    a_net, a_subnet = _net(a, cidr='10.10.0.0/24')
    a_port = a.create('port', network_id=a_net['id'], name='a-port')
    a_router = a.create('router', name='a-router',
                        external_gateway_info={'network_id': ext['id']})
    resp = a.put('/v2.0/routers/%s/add_router_interface' % a_router['id'],
                 {'subnet_id': a_subnet['id']})
    assert resp.status == 200, resp
    a_fip = a.create('floatingip', floating_network_id=ext['id'], port_id=a_port['id'])
    b_net, b_subnet = _net(b, cidr='10.20.0.0/24')
    b_port = b.create('port', network_id=b_net['id'], name='b-port')
    b_router = b.create('router', name='b-router',
                        external_gateway_info={'network_id': ext['id']})
    return dict(admin=admin, a=a, b=b, ext=ext, a_net=a_net, a_subnet=a_subnet,
                a_port=a_port, a_router=a_router, a_fip=a_fip, b_net=b_net,
                b_subnet=b_subnet, b_port=b_port, b_router=b_router)


@pytest.mark.parametrize('collection, key, error', [
    ('routers', 'a_router', 'RouterNotFound'),
    ('ports', 'a_port', 'PortNotFound'),
    ('networks', 'a_net', 'NetworkNotFound'),
    ('subnets', 'a_subnet', 'SubnetNotFound'),
    ('floatingips', 'a_fip', 'FloatingIPNotFound'),
])
def test_b_cannot_see_change_or_delete(world, collection, key, error):
    b, resource = world['b'], world[key]
    path = '/v2.0/%s/%s' % (collection, resource['id'])
    singular = collection[:-1]
    assert resource['id'] not in [r['id'] for r in b.list(collection)]
    _error(b.get(path), 404, error)
    _error(b.put(path, {singular: {'name': 'stolen'} if collection != 'floatingips'
                        else {'port_id': None}}), 404, error)
    _error(b.delete(path), 404, error)
    assert world['admin'].get(path).status == 200


def test_b_cannot_use_a_router(world):
    b, a_router = world['b'], world['a_router']
    for action in ('add_router_interface', 'remove_router_interface'):
        _error(b.put('/v2.0/routers/%s/%s' % (a_router['id'], action),
                     {'subnet_id': world['b_subnet']['id']}), 404, 'RouterNotFound')


def test_b_cannot_attach_a_subnet_or_port_of_a_to_its_router(world):
    b, path = world['b'], '/v2.0/routers/%s/add_router_interface' % world['b_router']['id']
    _error(b.put(path, {'subnet_id': world['a_subnet']['id']}), 404, 'SubnetNotFound')
    _error(b.put(path, {'port_id': world['a_port']['id']}), 404, 'PortNotFound')


def test_b_cannot_create_ports_on_a_network_of_a(world):
    _error(world['b'].post('/v2.0/ports', {'port': {'network_id': world['a_net']['id']}}),
           404, 'NetworkNotFound')


def test_b_cannot_associate_with_a_port_of_a(world):
    b = world['b']
    fip = b.create('floatingip', floating_network_id=world['ext']['id'])
    _error(b.put('/v2.0/floatingips/%s' % fip['id'],
                 {'floatingip': {'port_id': world['a_port']['id']}}), 404, 'PortNotFound')
    _error(b.post('/v2.0/floatingips', {'floatingip': {
        'floating_network_id': world['ext']['id'], 'port_id': world['a_port']['id']}}),
        404, 'PortNotFound')
    assert world['a'].get('/v2.0/floatingips/%s' % world['a_fip']['id']).json[
        'floatingip']['port_id'] == world['a_port']['id']


def test_a_resources_are_unchanged(world):
    a = world['a']
    assert a.get('/v2.0/routers/%s' % world['a_router']['id']).json['router']['name'] == \
        'a-router'
    assert a.get('/v2.0/ports/%s' % world['a_port']['id']).json['port']['name'] == 'a-port'
