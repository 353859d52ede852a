"""Routers through a live server, as the quantum CLI drives them."""

import pytest

from tests.functional.rest_helpers import _error, _net

pytestmark = pytest.mark.functional


@pytest.fixture(scope='module')
def server(module_server_factory):
    return module_server_factory('routers')


@pytest.fixture(scope='module')
def ext_net(server):
    network, _subnet = _net(server.client(), cidr='172.24.4.0/24', **{'router:external': True})
    return network


def test_router_extension_is_listed(server):
    resp = server.client().get('/v2.0/extensions/router.json')
    assert resp.status == 200 and resp.json['extension']['alias'] == 'router', resp


def test_gateway_interfaces_and_in_use_errors(server, ext_net):
    api = server.client().as_tenant('router-project')
    _network, subnet = _net(api, cidr='10.20.0.0/24')
    router = api.create('router', name='r1', external_gateway_info={'network_id': ext_net['id']})
    assert router['external_gateway_info']['network_id'] == ext_net['id']
    path = '/v2.0/routers/%s' % router['id']

    resp = api.put(path + '/add_router_interface.json', {'subnet_id': subnet['id']})
    assert resp.status == 200, resp
    answer = resp.json
    assert answer['port_id'] and answer['subnet_id'] == subnet['id']
    assert answer['id'] == router['id'] and answer['tenant_id'] == 'router-project'
    _error(api.put(path + '/add_router_interface', {'subnet_id': subnet['id']}),
           400, 'BadRequest')
    _error(api.delete('/v2.0/ports/%s' % answer['port_id']), 409, 'L3PortInUse')
    _error(api.delete(path), 409, 'RouterInUse')
    _error(api.delete('/v2.0/subnets/%s' % subnet['id']), 409, 'SubnetInUse')
    assert api.post(path + '/add_router_interface', {'subnet_id': subnet['id']}).status in (
        404, 405)

    # quantum router-gateway-clear
    resp = api.put(path + '.json', {'router': {'external_gateway_info': {}}})
    assert resp.status == 200 and resp.json['router']['external_gateway_info'] is None, resp

    resp = api.put(path + '/remove_router_interface.json', {'port_id': answer['port_id']})
    assert resp.status == 200 and resp.json['port_id'] == answer['port_id'], resp
    _error(api.put(path + '/remove_router_interface', {'subnet_id': subnet['id']}),
           404, 'RouterInterfaceNotFoundForSubnet')
    api.remove('router', router['id'])
    _error(api.get(path), 404, 'RouterNotFound')
    assert api.list('ports', query={'network_id': subnet['network_id']}) == []
